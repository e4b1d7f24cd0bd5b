// The course notebooks follow the commit rules and run green in the real tslab kernel; the runner itself
// is proven on small fixture notebooks (tests/fixtures/notebooks) that do not import the lab.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  formatFailure,
  notebookProblems,
  readNotebook,
  runNotebook,
} from '../tools/notebook-runner';
import { startKernel } from '../tools/notebook-runner/kernel';
import { RAN_SINCE_ENV, ranGreenSince } from '../tools/recorded-runs';

const NOTEBOOKS = fileURLToPath(new URL('../notebooks', import.meta.url));
const FIXTURES = fileURLToPath(new URL('fixtures/notebooks', import.meta.url));
const OPEN_NOTEBOOKS = fileURLToPath(new URL('../tools/open-notebooks.mjs', import.meta.url));
const RUN_NOTEBOOKS = fileURLToPath(new URL('../tools/run-notebooks.ts', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

const notebooks = readdirSync(NOTEBOOKS)
  .filter((name) => name.endsWith('.ipynb'))
  .sort();

const dirs: string[] = [];
const tempDir = () => dirs[dirs.push(mkdtempSync(join(tmpdir(), 'statelab-test-'))) - 1];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// A kernel start is a TypeScript compiler warming up: seconds, more on a busy machine.
const RUN_TIMEOUT_MS = 120_000;

// CI runs every notebook once through this same runner (`npm run notebook-pages -- --fresh`) before
// `npm test` and says when that began (RAN_SINCE_ENV): then the suite checks those runs' records
// (tools/recorded-runs.ts, ranGreenSince) instead of running each notebook a second time.

describe('the course notebooks', () => {
  it('include at least one notebook in notebooks/', () => {
    expect(notebooks, `no notebooks found in ${NOTEBOOKS}`).not.toHaveLength(0);
  });

  for (const name of notebooks) {
    const path = join(NOTEBOOKS, name);

    it(`${name} is committed as nbformat 4.5 for tslab, with cell ids and without outputs`, () => {
      expect(notebookProblems(`notebooks/${name}`, readNotebook(path))).toEqual([]);
    });

    // Twice in one kernel: a reader who presses Run All again without a restart must see it pass
    // again. (CI's run of every notebook through Jupyter's own executor does the same: .ci/run.)
    it(
      `${name} runs green in the tslab kernel, twice in one kernel`,
      {
        timeout: 20 * RUN_TIMEOUT_MS,
      },
      async () => {
        const since = process.env[RAN_SINCE_ENV];
        if (since) {
          const slug = name.replace(/\.ipynb$/, '');
          expect(ranGreenSince(slug, readFileSync(path, 'utf8'), since)).toBeUndefined();
          return;
        }
        const run = await runNotebook(path, { runAll: 2 });
        expect(run.ok, run.failure && formatFailure(run.failure)).toBe(true);
      },
    );
  }
});

describe('the notebook runner', () => {
  it(
    'returns what each code cell printed and displayed, run in the notebook folder',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runNotebook(fixture('passing.ipynb'));

      expect(run.ok, run.failure && formatFailure(run.failure)).toBe(true);
      expect(run.cells.map((cell) => [cell.index, cell.id, cell.status])).toEqual([
        [1, 'hello', 'ok'],
        [2, 'answer', 'ok'],
        [3, 'use-answer', 'ok'],
        [4, 'markdown', 'ok'],
        [5, 'cwd', 'ok'],
        [6, 'empty', 'ok'],
      ]);
      const outputs = (id: string) => run.cells.find((cell) => cell.id === id)?.outputs;
      const stdout = (text: string) => [{ output_type: 'stream', name: 'stdout', text }];
      expect(outputs('hello')).toEqual(stdout('hello from the kernel\n'));
      expect(outputs('answer')).toEqual([]);
      expect(outputs('use-answer')).toEqual(stdout('the answer is 42\n'));
      expect(outputs('markdown')).toEqual([
        { output_type: 'display_data', data: { 'text/markdown': '**bold** words' }, metadata: {} },
      ]);
      expect(outputs('cwd')).toEqual(stdout(`${FIXTURES}\n`));
      expect(run.kernelStartMs).toBeGreaterThan(0);
      expect(run.durationMs).toBeGreaterThanOrEqual(run.kernelStartMs);
      expect(run.cells.every((cell) => cell.durationMs >= 0)).toBe(true);
    },
  );

  it(
    'reports a thrown error with the cell number, the cell’s first lines and the error text',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const path = fixture('throws.ipynb');
      const run = await runNotebook(path);

      expect(run.ok).toBe(false);
      expect(run.cells.map((cell) => cell.status)).toEqual(['ok', 'failed', 'not-run']);
      expect(run.failure).toMatchObject({
        path,
        cellNumber: 3,
        cellId: 'throws',
        ename: 'Error',
        evalue: 'price must not be negative',
      });
      const report = formatFailure(run.failure!);
      expect(report).toContain(`${path}: cell 3 failed (counting all cells, markdown included`);
      expect(report).toContain('| const price = -1;');
      expect(report).toContain('Error: price must not be negative');
      expect(report).not.toContain('node_modules/tslab');
      expect(report).not.toContain('\u001b[');
    },
  );

  it(
    'reports a type error in the words tslab gives, with its line and column',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runNotebook(fixture('type-error.ipynb'));

      expect(run.failure).toMatchObject({
        cellNumber: 1,
        ename: 'TypeScript',
        evalue: "1:7 - Type 'string' is not assignable to type 'number'.",
      });
    },
  );

  it(
    'stops an endless cell at the cell timeout and says so',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runNotebook(fixture('infinite-loop.ipynb'), { cellTimeoutMs: 3_000 });

      expect(run.cells.map((cell) => cell.status)).toEqual(['ok', 'timed-out', 'not-run']);
      expect(run.cells[0].outputs).toEqual([
        { output_type: 'stream', name: 'stdout', text: 'before the loop\n' },
      ]);
      expect(run.failure).toMatchObject({
        cellNumber: 3,
        ename: 'Timeout',
        firstLines: 'while (true) {}',
      });
      expect(formatFailure(run.failure!)).toContain('still running after 3 s');
    },
  );

  it(
    'leaves no process behind: the kernel and the processes the notebook started are stopped',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runNotebook(fixture('leaves-processes-running.ipynb'));
      expect(run.ok, run.failure && formatFailure(run.failure)).toBe(true);
      const printed = run.cells[0].outputs[0];
      const childPid = Number(printed.output_type === 'stream' ? printed.text : NaN);
      expect(childPid).toBeGreaterThan(0);

      await vi.waitFor(() => expect(isRunning(childPid)).toBe(false), { timeout: 10_000 });
    },
  );

  it(
    'fails a notebook whose code throws after its cell was answered (tslab only prints it)',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runNotebook(fixture('fails-late.ipynb'));
      expect(run.ok).toBe(false);
      expect(run.failure?.ename).toBe('UnhandledPromiseRejection');
      expect(run.failure?.evalue).toMatch(/a claim did not hold, after its cell/);
      // Its stderr may come after the cell's answer: the blame falls on that cell or the next.
      expect(run.cells.map((c) => c.status)).toContain('failed');
    },
  );

  it(
    'runs every cell again in the same kernel when asked, and fails a notebook that passes only once',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const path = fixture('passes-once-per-kernel.ipynb');
      expect((await runNotebook(path)).ok).toBe(true);

      const twice = await runNotebook(path, { runAll: 2 });
      expect(twice.ok).toBe(false);
      expect(twice.cells.map((cell) => cell.status)).toEqual(['ok', 'failed']);
      expect(twice.cells[0].outputs).toEqual([
        { output_type: 'stream', name: 'stdout', text: 'run 2\n' },
      ]);
      expect(twice.failure).toMatchObject({
        cellId: 'first-run-only',
        evalue: 'this cell assumes a fresh kernel',
        runAll: 2,
      });
      expect(formatFailure(twice.failure!)).toContain('it failed on Run All number 2');
    },
  );

  it(
    'fails a notebook that leaves a server listening after its last cell, naming the address',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runNotebook(fixture('leaves-server-open.ipynb'));
      expect(run.ok).toBe(false);
      expect(run.failure?.ename).toBe('ServersLeftOpen');
      expect(run.failure?.evalue).toMatch(
        /still listening when the notebook ended: 127\.0\.0\.1:\d+/,
      );
    },
  );

  it(
    'leaves no process behind even when the runner itself is killed in the middle of a cell',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const pidFile = join(tempDir(), 'pids');
      const runner = spawn(
        process.execPath,
        ['--import', 'tsx', RUN_NOTEBOOKS, fixture('spins-forever.ipynb')],
        {
          env: { ...process.env, STATELAB_PID_FILE: pidFile },
          stdio: 'ignore',
        },
      );
      // The notebook writes "<kernel pid> <child pid>", then spins.
      // The file may be read half-written: wait until it holds both pids.
      const pids = await vi.waitFor(
        () => {
          const read = readFileSync(pidFile, 'utf8').split(' ').map(Number);
          if (read.length !== 2 || !read.every((pid) => Number.isInteger(pid) && pid > 0)) {
            throw new Error(`pid file not complete yet: ${read.join(' ')}`);
          }
          return read;
        },
        {
          timeout: RUN_TIMEOUT_MS / 2,
          interval: 100,
        },
      );
      runner.kill('SIGKILL');

      await vi.waitFor(() => expect(pids.filter(isRunning)).toEqual([]), { timeout: 10_000 });
    },
  );
});

// The runner picks free ports for a kernel and the kernel binds them a moment later, as
// jupyter_client does: another process can take one in between (CI runs several suites at once).
describe('a kernel whose port was taken before it bound it', () => {
  it(
    'starts again on new ports, and says which when it cannot',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const taken = createServer();
      await new Promise<void>((ready) => taken.listen(0, '127.0.0.1', ready));
      const port = (taken.address() as AddressInfo).port;
      const free = async (count: number) => {
        const servers = Array.from({ length: count }, () => createServer());
        await Promise.all(
          servers.map((s) => new Promise<void>((ready) => s.listen(0, '127.0.0.1', ready))),
        );
        const ports = servers.map((s) => (s.address() as AddressInfo).port);
        await Promise.all(servers.map((s) => new Promise((closed) => s.close(closed))));
        return ports;
      };
      try {
        let picks = 0;
        const kernel = await startKernel(FIXTURES, 60_000, async (count) =>
          ++picks === 1 ? [port, ...(await free(count - 1))] : free(count),
        );
        try {
          expect(picks, 'ports picked').toBe(2);
          const ran = await kernel.execute('1 + 1', 30_000);
          expect(ran.kind).toBe('replied');
        } finally {
          await kernel.shutdown();
        }
        // Every time taken: the error names the ports and the kernel's own words.
        await expect(
          startKernel(FIXTURES, 60_000, async (count) => [port, ...(await free(count - 1))]),
        ).rejects.toThrow(
          new RegExp(
            `could not bind a port another process had taken \\(cwd .*, ports ${port}, [\\s\\S]*already in use`,
            'i',
          ),
        );
      } finally {
        taken.close();
      }
    },
  );
});

describe('the commit rules for notebooks', () => {
  it('accept a notebook saved without outputs', () => {
    const path = fixture('passing.ipynb');
    expect(notebookProblems(path, readNotebook(path))).toEqual([]);
  });

  it('reject a notebook committed with outputs, naming the file and the cell', () => {
    const path = fixture('committed-outputs.ipynb');
    expect(notebookProblems(path, readNotebook(path))).toEqual([
      `${path}: cell 2 (id "printed") has 1 output(s); commit code cells with "outputs": [] (clear outputs)`,
      `${path}: cell 2 (id "printed") has execution_count 1; it must be null (clear outputs)`,
    ]);
  });

  it('reject a notebook without cell ids or for another kernel', () => {
    const notebook = readNotebook(fixture('passing.ipynb'));
    notebook.metadata.kernelspec = { name: 'python3', language: 'python' };
    delete notebook.cells[0].id;
    expect(notebookProblems('old.ipynb', notebook)).toEqual([
      'old.ipynb: metadata.kernelspec.name is "python3"; it must be "tslab"',
      'old.ipynb: the notebook language (metadata.kernelspec.language / metadata.language_info.name) must be "typescript"',
      'old.ipynb: cell 1 has no valid id (1-64 letters, digits, "-" or "_")',
    ]);
  });
});

describe('npm run notebooks', () => {
  // STATELAB_JUPYTER names the front end, so no test here depends on what PATH holds (Debian puts
  // jupyter-notebook in /usr/bin, beside node) and none starts a real Jupyter server: each names
  // a stand-in, or a path where nothing is. Every run has a deadline.
  const OPEN_TIMEOUT_MS = 60_000;
  const openNotebooks = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [OPEN_NOTEBOOKS, ...args], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: OPEN_TIMEOUT_MS,
    });
  /** A stand-in for a Jupyter front end: it prints its name, its arguments and where it started. */
  const fakeJupyter = (dir: string, name: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} started in $PWD with: $*"\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('registers the tslab kernel and, with no Jupyter installed, says how to get one', () => {
    const dataDir = tempDir();
    const result = openNotebooks([], {
      JUPYTER_DATA_DIR: dataDir,
      STATELAB_JUPYTER: join(dataDir, 'no-jupyter-here'),
    });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No Jupyter front end found');
    expect(result.stderr).toContain('pipx install jupyterlab');
    expect(result.stderr).toContain('"TypeScript" (tslab)');
    const kernel = JSON.parse(readFileSync(join(dataDir, 'kernels/tslab/kernel.json'), 'utf8'));
    expect(kernel).toMatchObject({ display_name: 'TypeScript', language: 'typescript' });
    expect(kernel.argv.slice(-3)).toEqual(['kernel', '--config-path', '{connection_file}']);
    expect(kernel.argv[1]).toMatch(/node_modules[\\/]tslab[\\/]bin[\\/]tslab$/);
  });

  it('only registers the kernel with --no-open, and succeeds without Jupyter (for VS Code)', () => {
    const dataDir = tempDir();
    const result = openNotebooks(['--no-open'], {
      JUPYTER_DATA_DIR: dataDir,
      STATELAB_JUPYTER: join(dataDir, 'no-jupyter-here'),
    });

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('"TypeScript" (tslab)');
    expect(readFileSync(join(dataDir, 'kernels/tslab/kernel.json'), 'utf8')).toContain('tslab');
  });

  it.skipIf(process.platform === 'win32')(
    'opens the first of jupyter-lab and jupyter-notebook on PATH, in notebooks/',
    () => {
      const dataDir = tempDir();
      fakeJupyter(dataDir, 'jupyter-notebook');
      // PATH is only the stand-in's folder: node runs by its full path, the stand-in by its #!.
      const result = openNotebooks([], {
        JUPYTER_DATA_DIR: dataDir,
        PATH: dataDir,
        STATELAB_JUPYTER: '',
      });

      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`jupyter-notebook started in ${NOTEBOOKS} with: \n`);
      // As root Jupyter refuses to start without --allow-root, so the command says how to pass it.
      expect(result.stdout.includes('npm run notebooks -- --allow-root')).toBe(
        process.getuid?.() === 0,
      );

      fakeJupyter(dataDir, 'jupyter-lab');
      const both = { JUPYTER_DATA_DIR: dataDir, PATH: dataDir, STATELAB_JUPYTER: '' };
      expect(openNotebooks([], both).stdout).toContain(`jupyter-lab started in ${NOTEBOOKS}`);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'passes the arguments after "npm run notebooks --" to Jupyter (--allow-root for root)',
    () => {
      const dataDir = tempDir();
      const result = spawnSync('npm', ['run', 'notebooks', '--', '--allow-root', '--port=0'], {
        cwd: dirname(NOTEBOOKS),
        env: {
          ...process.env,
          JUPYTER_DATA_DIR: dataDir,
          STATELAB_JUPYTER: fakeJupyter(dataDir, 'jupyter-lab'),
        },
        encoding: 'utf8',
        timeout: OPEN_TIMEOUT_MS,
      });

      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `jupyter-lab started in ${NOTEBOOKS} with: --allow-root --port=0\n`,
      );
      expect(result.stdout).not.toContain('Jupyter refuses');
    },
  );

  // Jupyter's own executor is an optional real part: CI installs it; elsewhere the skip says what to add.
  const hasNbconvert =
    spawnSync('jupyter', ['nbconvert', '--version'], { timeout: OPEN_TIMEOUT_MS }).status === 0;
  if (!hasNbconvert && !process.env.CI) {
    console.warn(
      'skipping the nbconvert test: install Jupyter nbconvert (Debian: apt-get install ' +
        'jupyter-nbconvert python3-nbclient python3-ipykernel; or pip install nbconvert ipykernel)',
    );
  }
  it.skipIf(!hasNbconvert && !process.env.CI)(
    'registers a kernel with which Jupyter’s own nbconvert gets the same outputs as the runner',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const dataDir = tempDir();
      expect(openNotebooks(['--no-open'], { JUPYTER_DATA_DIR: dataDir }).status).toBe(0);
      const executed = spawnSync(
        'jupyter',
        [
          'nbconvert',
          '--to',
          'notebook',
          '--execute',
          fixture('passing.ipynb'),
          '--output-dir',
          dataDir,
        ],
        {
          env: { ...process.env, JUPYTER_DATA_DIR: dataDir },
          encoding: 'utf8',
          timeout: RUN_TIMEOUT_MS,
        },
      );
      expect(executed.status, executed.stderr).toBe(0);

      // nbformat may store text as a list of lines; compare it joined.
      const joined = (value: unknown) => (Array.isArray(value) ? value.join('') : value);
      const outputsOf = (cells: { outputs?: unknown[] }[]) =>
        cells.map((cell) =>
          (cell.outputs ?? []).map((output) =>
            JSON.parse(JSON.stringify(output), (_key, value) => joined(value)),
          ),
        );
      const byJupyter = readNotebook(join(dataDir, 'passing.ipynb')).cells.filter(
        (cell) => cell.cell_type === 'code',
      );
      const run = await runNotebook(fixture('passing.ipynb'));
      expect(outputsOf(run.cells)).toEqual(outputsOf(byJupyter));
    },
  );
});

/** A zombie (exited, not yet reaped by init) counts as stopped. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}
