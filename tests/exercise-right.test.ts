// Exercise 08's checks pass right fixes other than the reference (tests/fixtures/exercises/08-right/):
// a check that fails a sound design is worse than one that misses a wrong one. Each is the
// reference with one choice made another way that one server would never show: a name in the
// session id beside a random part, other keys and Date.now() for the minute, writes side by
// side, the mail sent by the checkout instead of the job.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExercise, loadExercises, ROOT } from '../tools/checks/manifest';
import { runChecks } from '../tools/checks/run-checks';

const RIGHT = ['name-in-session-id', 'other-keys-and-clock', 'mail-at-checkout'];
const exercise = findExercise(loadExercises(), '08')!;

describe('exercise 08 checks against right answers other than the reference', () => {
  it.each(RIGHT)(
    '%s: passes every check',
    async (name) => {
      const [result] = await runChecks(
        [exercise],
        join(ROOT, 'tests/fixtures/exercises/08-right', name),
      );
      expect(result.error, `the checks could not run: ${result.error}`).toBeUndefined();
      expect(result.checks.length).toBe(exercise.behaviours.length);
      expect(result.checks.filter((c) => !c.passed)).toEqual([]);
    },
    180_000,
  );
});
