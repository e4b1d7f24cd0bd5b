// Exercise 06's check fails every plausible wrong design of an idempotent checkout, and says why:
// each fixture below keeps its keys somewhere a crash or a second server can separate from the
// order, and a real `npm run check 06` must fail it on exactly the checks that show the fault,
// naming the problem and pointing into the fixture's file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../tools/checks/manifest';
import { checkRunner } from './run-check';

const WRONG = join(ROOT, 'tests/fixtures/exercises/06-wrong');

const check06 = checkRunner('06');

/** A check (by words of its title) a wrong design must fail, and what its failure must say. */
type Failure = readonly [title: string, says: RegExp];
const COMMITTED_409: Failure = ['the retry on app-1 gets that order, not 409', /got:\s+409/];
const COMMITTED_TWICE: Failure = ['the retry on app-1 gets that order, not 409', /2 orders/];
const A_DAY_LATER: Failure = ['a day later places no second order', /2 orders/];
const BLOCKED: Failure = ['before its order is written', /got:\s+409/];
const TWO_COPIES: Failure = ['two copies of one checkout', /both copies found the key free/];
const OTHER_SERVER: Failure = ['to the other server', /whichever server gets it/];
const SECOND_COPY_500: Failure = ['two copies of one checkout', /500[\s\S]*look it up inside/];
const REUSED_KEY: Failure = ['another body is refused with 422', /another fingerprint/];

describe('exercise 06 check against wrong designs of an idempotent checkout', () => {
  it.each([
    ['done-after-commit', [COMMITTED_409, A_DAY_LATER, BLOCKED, TWO_COPIES]],
    ['memory-map', [OTHER_SERVER, A_DAY_LATER, TWO_COPIES]],
    ['check-then-set', [TWO_COPIES]],
    ['look-up-outside', [SECOND_COPY_500]],
    ['set-if-absent-store', [COMMITTED_409, BLOCKED]],
    ['no-fingerprint', [REUSED_KEY]],
    ['key-own-transaction', [COMMITTED_TWICE, A_DAY_LATER]],
    ['claim-inside-order-outside', [COMMITTED_409, BLOCKED]],
    ['store-made-up-order', [['the retry on app-1 gets that order, not 409', /order id 0/]]],
    ['key-with-fingerprint', [REUSED_KEY]],
    // Found by a review; these passed every check when they were added.
    ['new-date-expiry', [A_DAY_LATER]],
    ['sql-clock-expiry', [A_DAY_LATER]],
    ['claim-takeover', [TWO_COPIES]],
    ['lookup-own-transaction', [TWO_COPIES]],
  ] as const)(
    '%s: fails the checks that show its fault, says why, and points into the file',
    async (name, failures) => {
      const run = await check06(join(WRONG, name));
      expect(run.code).toBe(1);
      const failed = run.output.split(/\n(?= {2}[✓✗] )/).filter((block) => /^ {2}✗/.test(block));
      for (const [title, says] of failures) {
        const block = failed.find((b) => b.includes(title));
        expect(
          block,
          `the check "${title}" should fail; the run said:\n${run.output}`,
        ).toBeDefined();
        expect(block).toMatch(says);
        expect(block).toMatch(new RegExp(`06-wrong/${name}/06-state-that-remains\\.ts:\\d+`));
      }
      expect(run.output).not.toMatch(/exercise 06 is done/);
    },
    90_000,
  );
});
