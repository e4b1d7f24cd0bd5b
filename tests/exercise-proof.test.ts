// Every exercise proves its checks: the reference solution passes all of them, and the untouched
// starter fails every one of them with a message that points into the reader's file. The checks
// are exactly the behaviours the manifest says the exercise teaches (their titles).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exercisePath, loadExercises, ROOT, sha256OfText } from '../tools/checks/manifest';
import { runChecks } from '../tools/checks/run-checks';

const exercises = loadExercises();
const starters = join(ROOT, 'notebooks/exercises');
const solutions = join(ROOT, 'notebooks/solutions');
/** A run of one exercise's checks; the capstone's (08) starts 21 server processes, three fleets
 *  under the nemesis, which on a busy machine takes longer than vitest's default 30 s. A safety
 *  net only: the checks themselves are bounded by CPU time, not by this. */
const RUN_TIMEOUT_MS = 120_000;

describe.each(exercises)('exercise $id ($slug)', (exercise) => {
  const starter = exercisePath(starters, exercise);
  const pristine = existsSync(starter) && sha256OfText(starter) === exercise.starterSha256;
  // A reader who is working on the exercise has changed the starter: the proof needs the
  // untouched file, so it runs in CI (a fresh clone) and is skipped, with a word, here.
  const skipStarter = !pristine && !process.env.CI;
  if (skipStarter) {
    console.warn(`exercise ${exercise.id}: ${starter} has edits; its starter proof runs in CI.`);
  }

  it('has a solution and a check beside the starter', () => {
    expect(existsSync(exercisePath(solutions, exercise))).toBe(true);
    expect(existsSync(join(ROOT, 'tests/exercises', `${exercise.slug}.check.ts`))).toBe(true);
  });

  it(
    'passes every check with the reference solution, one check for each behaviour in the manifest',
    async () => {
      const [result] = await runChecks([exercise], solutions);
      expect(result.error).toBeUndefined();
      expect(result.checks.length).toBeGreaterThan(0);
      expect(result.checks.filter((c) => !c.passed)).toEqual([]);
      expect(
        result.checks.map((c) => c.title),
        'behaviours in notebooks/exercises.json',
      ).toEqual(exercise.behaviours);
    },
    RUN_TIMEOUT_MS,
  );

  it.skipIf(skipStarter)(
    'fails every check with the untouched starter, pointing into it',
    async () => {
      expect(sha256OfText(starter), 'starterSha256 in notebooks/exercises.json').toBe(
        exercise.starterSha256,
      );
      const [result] = await runChecks([exercise], starters);
      expect(result.error).toBeUndefined();
      expect(result.checks.length).toBeGreaterThan(0);
      for (const check of result.checks) {
        expect(check.passed, check.title).toBe(false);
        expect(check.message).toContain(`notebooks/exercises/${exercise.slug}.ts:`);
      }
    },
    RUN_TIMEOUT_MS,
  );
});
