// Exercise 04's check cannot be fooled by state kept in one process: each cheat below keeps carts
// somewhere other than the shared store, and a real `npm run check 04` must fail it, naming the
// problem (not visible on another server, or lost in a crash) and pointing into the cheat's file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../tools/checks/manifest';
import { checkRunner } from './run-check';

const CHEATS = join(ROOT, 'tests/fixtures/exercises/04-cheats');

const check04 = checkRunner('04');

const NOT_SHARED = /not visible on another server|missing lines that other servers added/;
const NOT_DURABLE = /did not survive the crash/;

describe('exercise 04 check against cheats that keep state in one process', () => {
  it.each([
    ['module-variable', [NOT_SHARED]],
    ['closure', [NOT_SHARED, NOT_DURABLE]],
    ['global-this', [NOT_SHARED, NOT_DURABLE]],
  ])(
    '%s: fails, says why, and points into the file',
    async (name, problems) => {
      const run = await check04(join(CHEATS, name));
      expect(run.code).toBe(1);
      for (const problem of problems) expect(run.output).toMatch(problem);
      expect(run.output).toMatch(new RegExp(`04-cheats/${name}/04-stateless-servers\\.ts:\\d+`));
      expect(run.output).not.toMatch(/exercise 04 is done/);
    },
    30_000,
  );
});
