// Watch mode moves on once an exercise passes. A save to the next exercise's file while its first
// check is still running must be checked too: the reader saved, so the verdict they read must be
// of what they saved (tools/checks/watch.ts). The checks here are stand-ins: what is under test is
// which saves watch mode reacts to, not the checks themselves.
import { mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { exercisePath, type Exercise } from './manifest';
import type { ExerciseResult } from './run-checks';
import { watchExercises } from './watch';

const dir = mkdtempSync(join(tmpdir(), 'statelab-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exercise = (id: string) => ({ id, slug: `${id}-stand-in` }) as Exercise;
const result = (e: Exercise, ok: boolean): ExerciseResult => ({
  exercise: e,
  checks: [{ title: 'stand-in', passed: ok, message: ok ? undefined : 'not yet' }],
});

/** Resolves once fs.watch has reported a change to `file` in `dir` (so watch.ts has seen it). */
const seenSaved = (file: string) =>
  new Promise<void>((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name !== file) return;
      watcher.close();
      setTimeout(resolve, 200); // past watch.ts's 50 ms wait for the editor to finish saving
    });
  });

it('checks again a save made to the next exercise while it is being checked for the first time', async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'clear').mockImplementation(() => {});
  const [a, b] = [exercise('01'), exercise('02')];
  for (const e of [a, b]) writeFileSync(exercisePath(dir, e), '// starter\n');
  let saved = false;
  const checked: string[] = [];
  const check = async (e: Exercise) => {
    checked.push(e.id);
    if (e === a) return result(a, true);
    if (!saved) {
      // The reader fixes 02 while watch mode is still checking the starter of 02.
      saved = true;
      const seen = seenSaved(`${b.slug}.ts`);
      writeFileSync(exercisePath(dir, b), '// fixed\n');
      await seen;
      return result(b, false);
    }
    return result(b, true);
  };
  const done = watchExercises({ exercises: [a, b], exercisesDir: dir, check, show: () => {} }, a);
  // Before the fix, the save was ignored: watch mode sat on 02's stale verdict for good.
  const stuck = new Promise<string>((resolve) => setTimeout(() => resolve('stuck'), 15_000));
  expect(await Promise.race([done.then(() => 'all pass'), stuck])).toBe('all pass');
  // 02 twice (the starter, then the save), then 01 again: watch mode ends only once it has seen
  // every exercise pass.
  expect(checked).toEqual(['01', '02', '02', '01']);
}, 30_000);

/** Watch mode on one stand-in exercise in `folder`, its checks failing until `passing()`: resolves
 *  'all pass' once a check of it passes, or 'stuck' after 15 s. */
function watchOne(folder: string, passing: () => boolean) {
  const logged: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
  vi.spyOn(console, 'clear').mockImplementation(() => {});
  const a = exercise('01');
  const checked: string[] = [];
  const check = async (e: Exercise) => {
    checked.push(e.id);
    return result(e, passing());
  };
  const done = watchExercises({ exercises: [a], exercisesDir: folder, check, show: () => {} }, a);
  const stuck = new Promise<string>((resolve) => setTimeout(() => resolve('stuck'), 15_000));
  return { logged, checked, outcome: Promise.race([done.then(() => 'all pass'), stuck]) };
}

it('notices saves after its folder is deleted and made again', async () => {
  const folder = mkdtempSync(join(dir, 'remade-'));
  const file = exercisePath(folder, exercise('01'));
  writeFileSync(file, '// starter\n');
  let fixed = false;
  const { checked, outcome } = watchOne(folder, () => fixed);
  await vi.waitFor(() => expect(checked).toEqual(['01']), { timeout: 10_000 });
  // Before the fix, the watch on the old folder heard nothing more: watch mode never checked again.
  rmSync(folder, { recursive: true, force: true });
  await new Promise((resolve) => setTimeout(resolve, 500));
  mkdirSync(folder);
  fixed = true;
  writeFileSync(file, '// fixed\n');
  expect(await outcome).toBe('all pass');
  expect(checked).toEqual(['01', '01']);
}, 30_000);

it('watches for the file when its folder is missing, and checks it once it is there', async () => {
  const folder = join(dir, 'not-yet');
  // Before the fix, fs.watch of the missing folder threw, and the runner crashed.
  const { logged, checked, outcome } = watchOne(folder, () => true);
  await vi.waitFor(() => expect(logged.join('\n')).toMatch(/not-yet\/01-stand-in\.ts is missing/));
  expect(checked).toEqual([]);
  mkdirSync(folder);
  writeFileSync(exercisePath(folder, exercise('01')), '// mine\n');
  expect(await outcome).toBe('all pass');
  expect(checked).toEqual(['01']);
}, 30_000);
