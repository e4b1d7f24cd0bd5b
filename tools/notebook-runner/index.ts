// The notebook runner: executes a notebook's code cells in a fresh tslab kernel, in order, and reports
// per-cell outputs and durations. It stops at the first failing cell, as `jupyter nbconvert --execute` does.
import { dirname, resolve } from 'node:path';
import { describeCellProblem, type CellFailure, type CellProblem } from './failure';
import { startKernel, STRAY_MARK } from './kernel';
import { readNotebook, sourceOf, type NotebookOutput } from './notebook';
import { OutputCollector } from './outputs';

export { formatFailure, type CellFailure } from './failure';
export { notebookProblems, readNotebook, type Notebook, type NotebookOutput } from './notebook';

/** The default cell timeout, in ms (see RunOptions.cellTimeoutMs). */
export const DEFAULT_CELL_TIMEOUT_MS = 180_000;

/**
 * How long the runner's own code in the kernel (its error hooks, first: the kernel's first compile;
 * the check for servers left listening) may take, whatever a short cell timeout asks of the cells.
 */
const RUNNER_CODE_TIMEOUT_MS = 60_000;

export interface RunOptions {
  /**
   * A cell still running after this long is interrupted and the run fails. Default 180 s, as CI's
   * `nbconvert --execute` run: a hung cell still ends the run, and a busy machine does not (the
   * longest cell takes under 20 s on an idle 2-core machine, under 40 s at a load average of 20).
   */
  cellTimeoutMs?: number;
  /** How long the kernel may take to answer its first kernel_info_request. Default 60 s. */
  kernelStartTimeoutMs?: number;
  /**
   * How many times every cell runs, in order, in the same kernel: 2 is a reader who presses Run
   * All again without restarting the kernel. Each time must pass, and leave no server listening.
   * Default 1.
   */
  runAll?: number;
}

export interface CellRun {
  /** Position in the notebook's cells (0-based, markdown included): outputs can be written back there. */
  index: number;
  id?: string;
  source: string;
  status: 'ok' | 'failed' | 'timed-out' | 'kernel-died' | 'not-run';
  outputs: NotebookOutput[];
  durationMs: number;
}

export interface NotebookRun {
  path: string;
  ok: boolean;
  /** From spawning the kernel to its first kernel_info_reply. */
  kernelStartMs: number;
  /** The whole run: kernel start, every cell, shutdown. */
  durationMs: number;
  /** One entry per code cell, in order, from the last time they ran; cells after a failure are 'not-run'. */
  cells: CellRun[];
  failure?: CellFailure;
}

// Asks the kernel, after the last cell, which servers still listen. A notebook must stop every
// server it starts: a reader who re-runs it would otherwise pile up servers and ports.
const LISTENING_PROBE = `
import * as statelabNet from 'node:net';
console.log('STATELAB_LISTENING ' + JSON.stringify(
  ((process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles())
    .filter((h): h is statelabNet.Server => h instanceof statelabNet.Server && h.listening)
    .map((server) => { const a = server.address(); return typeof a === 'string' ? a : a ? a.address + ':' + a.port : '?'; })));
`;

/**
 * A cell whose reply was ok may still have failed: code it started (a timer, a callback, a promise
 * nothing awaited) threw after it was answered, and tslab only printed that on its stderr. A failed
 * claim() there would otherwise leave the run green. Blamed on the cell that just ran: the error
 * came from it or from a cell before it.
 */
function strayFailure(
  kernel: Awaited<ReturnType<typeof startKernel>>,
  where: { path: string; cellNumber: number; cellId?: string; source: string },
): CellFailure | undefined {
  const [first, ...more] = kernel.strayErrors();
  if (first === undefined) return undefined;
  const [event, ...rest] = first.slice(STRAY_MARK.length).split(': ');
  const ename = event === 'unhandledRejection' ? 'UnhandledPromiseRejection' : 'UncaughtException';
  return {
    path: where.path,
    cellNumber: where.cellNumber,
    cellId: where.cellId,
    firstLines: where.source.split('\n').slice(0, 3).join('\n'),
    ename,
    evalue: rest.join(': '),
    traceback: more.map((line) => line.slice(STRAY_MARK.length)),
    hint:
      'code this cell (or one before it) started failed after the cell was answered: ' +
      'await the promise, or catch the error where it is thrown',
  };
}

// Run before the first cell: an error thrown outside a cell's run (a timer, a callback, a promise
// nothing awaited) is otherwise lost, since tslab's own handlers print it to no cell, and the cell
// that started it was answered ok. These write it to the kernel's stderr, where strayFailure() finds it.
const STRAY_HOOKS = `
import * as statelabFs from 'node:fs';
for (const statelabEvent of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(statelabEvent, (error: unknown) => statelabFs.writeSync(2,
    '\\n${STRAY_MARK}' + statelabEvent + ': ' + (error instanceof Error ? error.stack : String(error)) + '\\n'));
}
`;

async function serversLeftOpen(
  kernel: Awaited<ReturnType<typeof startKernel>>,
  path: string,
  cellCount: number,
  timeoutMs: number,
): Promise<CellFailure | undefined> {
  const outcome = await kernel.execute(LISTENING_PROBE, timeoutMs);
  const printed = new OutputCollector()
    .collect(outcome.iopub)
    .flatMap((o) => (o.output_type === 'stream' ? [o.text] : []))
    .join('');
  const match = /STATELAB_LISTENING (\[.*\])/.exec(printed);
  const open = match ? (JSON.parse(match[1]) as string[]) : ['(the check could not run)'];
  if (open.length === 0) return undefined;
  return {
    path,
    cellNumber: cellCount,
    cellId: 'after the last cell',
    firstLines: "(the runner's check for servers left running)",
    ename: 'ServersLeftOpen',
    evalue: `still listening when the notebook ended: ${open.join(', ')}`,
    traceback: [],
    hint: 'stop every server the notebook starts in its last cell (server.stop(), cluster.stop())',
  };
}

export async function runNotebook(path: string, options: RunOptions = {}): Promise<NotebookRun> {
  const cellTimeoutMs = options.cellTimeoutMs ?? DEFAULT_CELL_TIMEOUT_MS;
  const notebook = readNotebook(path);
  const cwd = dirname(resolve(path));
  const started = performance.now();
  const kernel = await startKernel(cwd, options.kernelStartTimeoutMs);
  const kernelStartMs = performance.now() - started;
  const runnerTimeoutMs = Math.max(cellTimeoutMs, RUNNER_CODE_TIMEOUT_MS);
  const hooked = await kernel.execute(STRAY_HOOKS, runnerTimeoutMs);
  if (hooked.kind !== 'replied' || hooked.reply.status !== 'ok') {
    await kernel.shutdown();
    throw new Error(`${path}: the runner could not install its error hooks in the kernel`);
  }
  const collector = new OutputCollector();
  const runAll = options.runAll ?? 1;
  let cells: CellRun[] = [];
  let failure: CellFailure | undefined;
  try {
    for (let round = 1; round <= runAll && !failure; round++) {
      cells = [];
      failure = await runEveryCell();
      if (failure && round > 1) failure.runAll = round;
    }
  } finally {
    await kernel.shutdown();
  }
  return {
    path,
    ok: failure === undefined,
    kernelStartMs,
    durationMs: performance.now() - started,
    cells,
    failure,
  };

  /** Every code cell once, in order, as Jupyter's Run All; then the check for servers left open. */
  async function runEveryCell(): Promise<CellFailure | undefined> {
    let failure: CellFailure | undefined;
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      const source = sourceOf(cell);
      const run: CellRun = {
        index,
        id: cell.id,
        source,
        status: 'not-run',
        outputs: [],
        durationMs: 0,
      };
      cells.push(run);
      if (failure) continue; // nothing runs after a failure, as with nbconvert
      if (source.trim() === '') {
        run.status = 'ok'; // Jupyter does not send an empty cell either
        continue;
      }
      const cellStarted = performance.now();
      const outcome = await kernel.execute(source, cellTimeoutMs);
      run.durationMs = performance.now() - cellStarted;
      run.outputs = collector.collect(outcome.iopub);
      if (outcome.kind === 'replied' && outcome.reply.status === 'ok') {
        run.status = 'ok';
        failure = strayFailure(kernel, { path, cellNumber: index + 1, cellId: cell.id, source });
        if (failure) run.status = 'failed';
        continue;
      }
      const problem: CellProblem =
        outcome.kind === 'timed-out'
          ? { kind: 'timed-out', outputs: run.outputs, timeoutMs: cellTimeoutMs }
          : outcome.kind === 'kernel-died'
            ? { kind: 'kernel-died', outputs: run.outputs, kernelLog: kernel.log() }
            : { kind: 'error', outputs: run.outputs };
      run.status = problem.kind === 'error' ? 'failed' : problem.kind;
      const where = { path, cellNumber: index + 1, cellId: cell.id, source, cwd };
      failure = describeCellProblem(where, problem);
    }
    if (!failure)
      failure = await serversLeftOpen(kernel, path, notebook.cells.length, runnerTimeoutMs);
    // The probe above was one more round trip: what a last cell left to fail later has printed.
    failure ??= strayFailure(kernel, {
      path,
      cellNumber: notebook.cells.length,
      cellId: 'after the last cell',
      source: '',
    });
    return failure;
  }
}
