// Runs `npm run check <exercise>` for real (tools/check.ts in its own process) on the exercise
// files in `dir`, with progress kept in a temp folder: how the wrong-answer tests prove that a
// check fails a plausible wrong design. Not a test file itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT } from '../tools/checks/manifest';

/** A check runner for one test file; its progress folder is removed after the file's tests. */
export function checkRunner(exercise: string) {
  const state = mkdtempSync(join(tmpdir(), 'statelab-state-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  return (dir: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/check.ts', exercise], {
      cwd: ROOT,
      env: { ...process.env, STATELAB_EXERCISES: dir, STATELAB_STATE: state, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    return new Promise<{ code: number | null; output: string }>((resolve) =>
      child.once('close', (code) => resolve({ code, output })),
    );
  };
}
