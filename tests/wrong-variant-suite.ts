// Runs an exercise's checks on each of its wrong variants (wrong-variants.ts) and proves that each
// fails the checks that show its fault, with a message that says so and points into its file.
// Not a test file itself: tests/exercise-NN-wrong.test.ts call it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExercise, loadExercises, ROOT } from '../tools/checks/manifest';
import { passed, runChecks } from '../tools/checks/run-checks';
import { WRONG_VARIANTS } from './wrong-variants';

export const wrongVariantsDir = (id: string) => join(ROOT, `tests/fixtures/exercises/${id}-wrong`);

export function proveWrongVariantsFail(id: string) {
  const exercise = findExercise(loadExercises(), id)!;
  describe(`exercise ${id} checks against wrong answers`, () => {
    it.each(WRONG_VARIANTS[id].map((variant) => [variant.name, variant] as const))(
      '%s: fails the checks that show its fault, says why, and points into the file',
      { timeout: 180_000 },
      async (name, variant) => {
        const [result] = await runChecks([exercise], join(wrongVariantsDir(id), name)).finally(() =>
          variant.leaves?.forEach((path) => rmSync(path, { force: true })),
        );
        const report = JSON.stringify(result.checks, null, 2);
        expect(result.error, `the checks could not run: ${result.error}`).toBeUndefined();
        expect(passed(result)).toBe(false);
        for (const { check, says } of variant.fails) {
          const outcome = result.checks.find((c) => c.title.includes(check));
          expect(outcome, `no check titled "…${check}…"; the run said:\n${report}`).toBeDefined();
          expect(outcome!.passed, `"${outcome!.title}" should fail; the run said:\n${report}`).toBe(
            false,
          );
          expect(outcome!.message).toMatch(says);
          expect(outcome!.message).toMatch(
            new RegExp(`${id}-wrong/${name}/${exercise.slug}\\.ts:\\d+`),
          );
        }
        if (variant.only) {
          const failed = result.checks.filter((c) => !c.passed).map((c) => c.title);
          const named = failed.filter((title) =>
            variant.fails.some((f) => title.includes(f.check)),
          );
          expect(failed, `only the checks it names should fail; the run said:\n${report}`).toEqual(
            named,
          );
        }
      },
    );
  });
}
