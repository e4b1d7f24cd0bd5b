// What must not outlive the process that made it: the temp folders a notebook or the lab made, and
// the real parts (redis-server, nginx, HAProxy) it started. Their own stop() removes them; this is
// for when stop() never runs: a cell failed before the notebook's clean-up cell, and the reader then
// restarts or shuts down the kernel. State here: the clean-ups still to run, in this process.
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

const cleanups = new Set<() => void>();

/**
 * Runs `cleanup` when this process exits, unless the returned function is called first (the thing
 * was stopped by hand). Clean-ups run last registered first: a process started in a folder is
 * stopped before the folder is removed.
 */
export function atExit(cleanup: () => void): () => void {
  hookExitOnce();
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/**
 * Makes a fresh folder in the OS temp folder (`statelab-01-` → /tmp/statelab-01-x7Gq2k) and removes
 * it when this process exits, if nothing removed it before.
 */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let hooked = false;
function hookExitOnce() {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const cleanup of [...cleanups].reverse()) cleanup();
    cleanups.clear();
  });
  // Node runs 'exit' listeners when the process ends by itself or calls process.exit(), not when
  // a signal ends it. Jupyter shuts down a kernel whose servers still listen with SIGTERM (2.5 s
  // after asking it to stop; SIGKILL 2.5 s later, which nothing can catch), and a closed terminal
  // sends SIGHUP: each becomes an ordinary exit, so the clean-ups run.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      // A process with a handler of its own for the signal (a shop process drains on SIGTERM) ends
      // itself when it is ready.
      if (process.listenerCount(signal) === 0) process.exit(128 + constants.signals[signal]);
    });
  }
}
