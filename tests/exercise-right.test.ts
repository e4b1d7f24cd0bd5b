// The checks pass right answers other than the reference (tests/fixtures/exercises/NN-right/<name>/):
// a check that fails a sound design is worse than one that misses a wrong one. Each fixture is a
// solution with one choice made another way that the exercise's text allows (its first lines say
// which): another parser, another policy, a cache warmed instead of emptied, writes side by side.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExercise, loadExercises, ROOT } from '../tools/checks/manifest';
import { runChecks } from '../tools/checks/run-checks';

const FIXTURES = join(ROOT, 'tests/fixtures/exercises');
const exercises = loadExercises();
const cases = exercises.flatMap((exercise) => {
  const dir = join(FIXTURES, `${exercise.id}-right`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => [`${exercise.id}/${name}`, exercise.id, join(dir, name)]);
});

describe('exercise checks against right answers other than the reference', () => {
  it('has right answers for every exercise', () => {
    const covered = new Set(cases.map(([, id]) => id));
    expect(exercises.filter((e) => !covered.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it.each(cases)(
    '%s: passes every check',
    async (_, id, dir) => {
      const exercise = findExercise(exercises, id)!;
      const [result] = await runChecks([exercise], dir);
      expect(result.error, `the checks could not run: ${result.error}`).toBeUndefined();
      expect(result.checks.length).toBe(exercise.behaviours.length);
      expect(result.checks.filter((c) => !c.passed)).toEqual([]);
    },
    180_000,
  );
});
