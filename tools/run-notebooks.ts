// `npm run run-notebooks [-- files...]`: executes notebooks in the tslab kernel, as CI does, one at a
// time (each kernel is a TypeScript compiler plus the notebook's servers), and fails if any cell fails.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CELL_TIMEOUT_MS, formatFailure, runNotebook } from './notebook-runner';

const USAGE = `usage: tsx tools/run-notebooks.ts [--cell-timeout <seconds>] [--twice] [notebook.ipynb ...]
Runs every notebooks/*.ipynb when no notebook is named.
  --twice  runs every cell twice in one kernel, as a reader who presses Run All again without
           restarting the kernel: both times must pass`;

const notebooksDir = fileURLToPath(new URL('../notebooks/', import.meta.url));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'cell-timeout': { type: 'string', default: String(DEFAULT_CELL_TIMEOUT_MS / 1000) },
      twice: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const cellTimeoutSeconds = Number(values['cell-timeout']);
  if (values.help || !(cellTimeoutSeconds > 0)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const paths = positionals.length > 0 ? positionals : allNotebooks();
  if (paths.length === 0) {
    console.error(`no notebooks found in ${relative(process.cwd(), notebooksDir) || '.'}`);
    return 1;
  }

  const started = performance.now();
  let failed = 0;
  for (const path of paths) {
    const run = await runNotebook(path, {
      cellTimeoutMs: cellTimeoutSeconds * 1000,
      runAll: values.twice ? 2 : 1,
    }).catch((error: Error) => error);
    if (run instanceof Error) {
      failed++;
      console.log(`✗ ${path}: ${run.message}`);
      continue;
    }
    const ran = run.cells.filter((cell) => cell.status !== 'not-run').length;
    const timing = `${seconds(run.durationMs)} (kernel start ${seconds(run.kernelStartMs)})`;
    if (run.failure) {
      failed++;
      console.log(`✗ ${path}  ${ran}/${run.cells.length} code cells  ${timing}`);
      console.log(formatFailure(run.failure));
    } else {
      const times = values.twice ? ' twice' : '';
      console.log(`✓ ${path}  ${run.cells.length} code cells${times}  ${timing}`);
    }
  }
  const passed = paths.length - failed;
  console.log(
    `${paths.length} notebook(s): ${passed} passed, ${failed} failed in ${seconds(performance.now() - started)}`,
  );
  return failed === 0 ? 0 : 1;
}

function allNotebooks(): string[] {
  return readdirSync(notebooksDir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => relative(process.cwd(), join(notebooksDir, name)));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// No top-level await: tsx runs this project's .ts files as CommonJS.
void main().then((code) => (process.exitCode = code));
