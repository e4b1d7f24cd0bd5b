// What went wrong in a notebook cell, in words a reader can act on: where, which code, which error, and a hint.
// tslab sends no `error` message: it prints the error to the cell's stderr, so the error is read from there.
import { stripAnsi } from '../../src/components/NotebookOutput/run';
import type { NotebookOutput } from './notebook';

export interface CellFailure {
  /** The notebook, as it was given to the runner. */
  path: string;
  /** 1-based over all cells, markdown included (what a reader counts scrolling the notebook). */
  cellNumber: number;
  cellId?: string;
  /** The first lines of the cell's source, to recognise it. */
  firstLines: string;
  ename: string;
  evalue: string;
  /** Without ANSI colour codes and without frames inside tslab and node:vm. */
  traceback: string[];
  hint?: string;
  /** Set when every cell had passed before in the same kernel: the Run All (2, 3 …) that failed. */
  runAll?: number;
}

export type CellProblem =
  | { kind: 'error'; outputs: NotebookOutput[] }
  | { kind: 'timed-out'; outputs: NotebookOutput[]; timeoutMs: number }
  | { kind: 'kernel-died'; outputs: NotebookOutput[]; kernelLog: string };

const FIRST_LINES = 3;

export function describeCellProblem(
  where: { path: string; cellNumber: number; cellId?: string; source: string; cwd: string },
  problem: CellProblem,
): CellFailure {
  const { path, cellNumber, cellId, source, cwd } = where;
  const lines = source.split('\n');
  const firstLines =
    lines.slice(0, FIRST_LINES).join('\n') + (lines.length > FIRST_LINES ? '\n...' : '');
  const stderr = problem.outputs
    .flatMap((o) => (o.output_type === 'stream' && o.name === 'stderr' ? [o.text] : []))
    .join('');
  const error = problem.outputs.find(
    (o): o is Extract<NotebookOutput, { output_type: 'error' }> => o.output_type === 'error',
  );
  const printed = error ? error.traceback.join('\n') : stderr;
  const traceback = problem.kind === 'timed-out' ? [] : readableTrace(printed);

  let ename: string;
  let evalue: string;
  if (problem.kind === 'timed-out') {
    ename = 'Timeout';
    evalue = `the cell was still running after ${problem.timeoutMs / 1000} s; it was interrupted and the kernel stopped`;
  } else if (problem.kind === 'kernel-died') {
    ename = 'KernelDied';
    evalue = 'the kernel process exited while this cell ran';
    traceback.push(...stripAnsi(problem.kernelLog).trim().split('\n'));
  } else if (error) {
    ({ ename, evalue } = error);
  } else {
    ({ ename, evalue } = nameTheError(traceback));
  }
  const hint = hintFor(`${evalue}\n${traceback.join('\n')}`, cwd);
  return { path, cellNumber, cellId, firstLines, ename, evalue, traceback, hint };
}

/**
 * Node prints a thrown error with a "evalmachine.<anonymous>:6" source excerpt first; its line numbers
 * are those of the compiled cell, not the reader's, so it goes. So do the kernel's own frames.
 */
function readableTrace(printed: string): string[] {
  const lines = stripAnsi(printed).split('\n');
  if (/^evalmachine\.<anonymous>:\d+$/.test(lines[0] ?? '')) lines.splice(0, lines.indexOf('') + 1);
  return lines
    .filter((line) => !/^\s+at .*(node_modules[\\/]tslab[\\/]|node:vm:)/.test(line))
    .filter((line) => line.trim() !== '');
}

/** tslab prints either TypeScript diagnostics ("3:7 - Cannot find name 'x'.") or a thrown value. */
function nameTheError(lines: string[]): { ename: string; evalue: string } {
  const diagnostic = lines.find((line) => /^\d+:\d+ - /.test(line));
  if (diagnostic) return { ename: 'TypeScript', evalue: diagnostic };
  for (const line of lines) {
    const thrown = /^([A-Z]\w*(?:Error|Exception)|Error)(?:: (.*))?$/.exec(line);
    if (thrown) return { ename: thrown[1], evalue: thrown[2] ?? '' };
  }
  const first = lines.find((line) => line.trim() !== '');
  return { ename: 'Error', evalue: first ?? '(the kernel reported an error and printed nothing)' };
}

function hintFor(text: string, cwd: string): string | undefined {
  const blank =
    text.trim() === '' || /^<?error>?$/i.test(text.trim()) || /printed nothing/.test(text);
  if (
    blank ||
    /Cannot find name '(console|process|require|Buffer|setTimeout)'/.test(text) ||
    /Cannot find (module 'node:|type definition file for 'node')/.test(text)
  ) {
    return (
      `tslab type-checks each cell against the @types it finds from the kernel's working directory ` +
      `(${cwd}). Make sure @types/node resolves from there: run "npm install" in the project and keep ` +
      `the notebook inside the project's notebooks/ folder.`
    );
  }
  if (/Unexpected pending rebuildTimer/.test(text)) {
    return (
      `tslab's compiler saw a file this kernel had imported (under ${cwd}, such as ./lab/...) ` +
      'change while the kernel ran, and from then on it fails this way. Restart the kernel and run ' +
      'the notebook again; edit the lab while no notebook runs.'
    );
  }
  if (/rootDir/.test(text)) {
    return (
      `tslab compiles with rootDir = the notebook's folder (${cwd}): a notebook can import only files ` +
      `under it, such as ./lab/..., not ../src/...`
    );
  }
  return undefined;
}

/** The failure as the runner prints it. */
export function formatFailure(failure: CellFailure): string {
  const id = failure.cellId ? `, id "${failure.cellId}"` : '';
  const quoted = failure.firstLines.split('\n').map((line) => `    | ${line}`);
  const summary = `${failure.ename}: ${failure.evalue}`;
  // The printed traceback usually repeats the summary; say it once.
  const rest = failure.traceback.filter((line) => line !== summary && line !== failure.evalue);
  const error = [summary, ...rest].map((line) => `    ${line}`);
  const again = failure.runAll
    ? [
        `  it failed on Run All number ${failure.runAll} in the same kernel, after every cell had ` +
          'passed: it depends on something an earlier run left behind or used up (a closed ' +
          'database, a stopped server, a counter), as a reader who runs the notebook again finds',
      ]
    : [];
  return [
    `${failure.path}: cell ${failure.cellNumber} failed (counting all cells, markdown included${id})`,
    ...quoted,
    ...error,
    ...again,
    ...(failure.hint ? [`  hint: ${failure.hint}`] : []),
  ].join('\n');
}
