// How an exercise server process tells the check that the reader's code is stuck, in a way a busy
// machine cannot fake. Two kinds of stuck, and neither is measured with a clock on the wall:
//
// - A loop that never lets go of the thread burns CPU. The watchdog thread (watchdog-worker.mjs)
//   counts the CPU time the process spends while its event loop stands still; at
//   LOOP_CPU_BUDGET_MS it reports where the loop is and kills the process. A process starved of
//   CPU by other programs spends no CPU time while it waits, so it is never blamed.
// - A promise that never settles burns nothing: the event loop stays free and the answer never
//   comes. The main thread's heartbeat counts turns of a free event loop; the check gives up on a
//   request only after IDLE_BEATS of them (about 10 s on a quiet machine, longer on a busy one,
//   where the heartbeat itself comes late). (A file cannot hang this way while it loads: the
//   exercises compile to CommonJS, where a top-level await is a syntax error.)
//
// The server scripts beside the checks load the reader's file with importExercise(), which starts
// the watchdog first: the lab and the server around the reader's code are not watched while they
// load, the reader's code is, from its first line.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The heartbeat: one tick of a free event loop. */
export const HEARTBEAT_MS = 20;
/** CPU time a stuck event loop may burn before it is called a loop that never ends. */
export const LOOP_CPU_BUDGET_MS = 500;
/** Heartbeats while one request waits for its answer. */
export const IDLE_BEATS = 500;
/** Set by the check (harness.ts) to the server's own working and temp folder (server-env.cjs). */
export const SERVER_HOME_ENV = 'STATELAB_SERVER_HOME';
/** Set by the check (harness.ts) to the file descriptor it reads the watchdog's reports on. */
export const WATCHDOG_FD_ENV = 'STATELAB_WATCHDOG_FD';

/** What the watchdog tells the check, one JSON object a line. */
export type WatchdogReport = { beats: number } | { stuck: { cpuMs: number; stack?: string } };

let started = false;

/** Starts the heartbeat and the watchdog thread, once; without a check listening, does nothing. */
export function watchReaderCode() {
  const fd = Number(process.env[WATCHDOG_FD_ENV]);
  if (started || !Number.isInteger(fd)) return;
  started = true;
  const heartbeat = new Int32Array(new SharedArrayBuffer(4));
  setInterval(() => Atomics.add(heartbeat, 0, 1), HEARTBEAT_MS).unref();
  const worker = new Worker(new URL('./watchdog-worker.mjs', pathToFileURL(__filename)), {
    workerData: { heartbeat, budgetMs: LOOP_CPU_BUDGET_MS, pollMs: 50, fd },
    execArgv: [], // plain JavaScript: no tsx to load in the watchdog's thread
  });
  worker.unref();
}

/** Loads the reader's exercise file, its top level watched like the rest of its code. It is
 *  CommonJS, as tslab compiles it, loaded with tsx's require hook (harness.ts). */
export async function importExercise(file: string): Promise<Record<string, unknown>> {
  watchReaderCode();
  return require(file) as Record<string, unknown>;
}
