// Every behaviour an exercise teaches (its `behaviours` in notebooks/exercises.json, one check
// each) is failed by at least one wrong-but-plausible answer, and every exercise has at least six
// of them: the wrong-variant table (wrong-variants.ts), its fixtures and the tests that run them
// (tests/exercise-NN-wrong.test.ts) agree. No check runs here; those tests run them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exercisePath, loadExercises, ROOT } from '../tools/checks/manifest';
import { wrongVariantsDir } from './wrong-variant-suite';
import { WRONG_VARIANTS } from './wrong-variants';

const MIN_VARIANTS = 6;

describe.each(loadExercises())(
  'exercise $id: every behaviour has a wrong answer that fails it',
  (exercise) => {
    const variants = WRONG_VARIANTS[exercise.id] ?? [];

    it(`has at least ${MIN_VARIANTS} wrong variants, each a fixture, run by its test file`, () => {
      expect(variants.length).toBeGreaterThanOrEqual(MIN_VARIANTS);
      const dir = wrongVariantsDir(exercise.id);
      expect(readdirSync(dir).sort()).toEqual(variants.map((v) => v.name).sort());
      for (const variant of variants) {
        expect(existsSync(exercisePath(join(dir, variant.name), exercise)), variant.name).toBe(
          true,
        );
      }
      expect(existsSync(join(ROOT, `tests/exercise-${exercise.id}-wrong.test.ts`))).toBe(true);
    });

    it('names each failed check by words of exactly one behaviour', () => {
      for (const variant of variants) {
        for (const failure of variant.fails) {
          const named = exercise.behaviours.filter((b) => b.includes(failure.check));
          expect(named, `${variant.name}: "${failure.check}"`).toHaveLength(1);
        }
      }
    });

    it.each(exercise.behaviours)('"%s" is failed by a wrong variant', (behaviour) => {
      const failing = variants.filter((v) => v.fails.some((f) => behaviour.includes(f.check)));
      expect(failing.map((v) => v.name)).not.toEqual([]);
    });
  },
);
