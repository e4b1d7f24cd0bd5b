// The exercise runner as a reader starts it (`npm run check ...args`), for the tests that drive it:
// a real process on an exercises folder, with its own progress file and no colours.
import { spawn } from 'node:child_process';
import { ROOT } from './manifest';

export interface CheckRun {
  code: number | null;
  output: string;
}

/** Runs `tools/check.ts ...args` on `exercises`, recording progress in `state`; `until` ends a
 *  watch run once it has said enough. */
export function runCheckCommand(
  exercises: string,
  state: string,
  args: string[],
  until?: (output: string) => boolean,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/check.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, STATELAB_EXERCISES: exercises, STATELAB_STATE: state, NO_COLOR: '1' },
  });
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk;
    if (until?.(output)) child.kill();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const done = new Promise<CheckRun>((resolve) =>
    child.once('close', (code) => resolve({ code, output })),
  );
  return { child, done, output: () => output };
}
