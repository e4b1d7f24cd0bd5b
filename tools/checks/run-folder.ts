// The one temp folder of a check run (or of a watch session's runs). Everything a run writes to
// disk lives under it: the checks' databases, each reader's server's working folder, and whatever
// lab code a check calls writes to the temp dir. The checks are not told about it one by one: the
// run's vitest host gets it as its TMPDIR, so `os.tmpdir()` (and SQLite's temp files) land in it,
// in every check and in every server (harness.ts gives each server a folder inside it). Only tsx's
// compile cache for the servers lives elsewhere, kept between runs (harness.ts).
//
// It is removed when the run ends, and when the runner is stopped by Ctrl-C, SIGTERM or a closed
// terminal. A runner killed outright (SIGKILL) cannot clean up: its folder is named with its pid,
// and the next run removes the folders of runners that no longer exist.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'statelab-check-';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface RunFolder {
  path: string;
  /** The environment that puts a process's temp files in the folder. */
  env: Record<string, string>;
  /** Removes the folder (once the processes that write to it have ended). */
  remove(): void;
}

/**
 * Creates the run's folder. `onSignal` is called if the runner is told to stop while the folder
 * exists: it ends the processes that write there, then the folder is removed and the runner
 * stops as it was told to.
 */
export function openRunFolder(onSignal: () => Promise<void>): RunFolder {
  removeAbandoned();
  const path = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const remove = () => {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
    process.off('exit', remove);
    for (const signal of SIGNALS) process.off(signal, stop);
  };
  const stop = (signal: NodeJS.Signals) => {
    void onSignal().finally(() => {
      remove();
      process.kill(process.pid, signal); // no listener now: the default, the process ends
    });
  };
  process.on('exit', remove);
  for (const signal of SIGNALS) process.on(signal, stop);
  return { path, env: { TMPDIR: path, TMP: path, TEMP: path }, remove };
}

/** Removes the folders of runs whose runner is gone (killed before it could remove them). */
function removeAbandoned() {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's: not ours to judge
  }
}
