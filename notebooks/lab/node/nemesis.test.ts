// The nemesis over real server processes (mystery-fleet.ts): seeded, so the same seed sends the
// same requests to the same servers; silent on the reference solution; it finds all six
// kinds of hidden state in the mystery shop as shipped; and a login that answers before its
// session is written is caught however late the customer's next click comes.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verdictsOf, type Run, type Verdicts } from '../core/hidden-state';
import { mysteryFleet, type MysteryFleet } from './mystery-fleet';
import { CRASH_HOP_MS, runNemesis, type Fleet } from './nemesis';

const NOTEBOOKS = join(__dirname, '../..');
const fleets = new Set<MysteryFleet>();
afterAll(() => Promise.all([...fleets].map((fleet) => fleet.stop())));

async function judge(
  file: string,
  seed: number,
  wrap: (fleet: Fleet) => Fleet = (fleet) => fleet,
): Promise<Run> {
  const fleet = mysteryFleet(join(NOTEBOOKS, file));
  fleets.add(fleet);
  try {
    return await runNemesis(wrap(fleet), seed);
  } finally {
    fleets.delete(fleet);
    await fleet.stop();
  }
}
/** What was sent, where and when: not what came back (two requests at once may race). */
const sent = (run: Run) =>
  run.records.map((r) => [r.kind, r.round, r.user, r.op, r.server, r.productId ?? '-'].join(' '));
const findings = (v: Verdicts) =>
  [v.loggedOut, v.lostItems, v.rateLimit, v.stalePrices, v.missingReceipts, v.mails].map(
    (found) => found.length,
  );

describe('runNemesis', () => {
  it('sends the same requests to the same servers for the same seed, and finds nothing in the reference solution', async () => {
    const first = await judge('solutions/08-hidden-state.ts', 2);
    const again = await judge('solutions/08-hidden-state.ts', 2);
    expect(sent(again)).toEqual(sent(first));
    expect(findings(verdictsOf(first))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(verdictsOf(first).sessionIds).toEqual([]);
    expect(verdictsOf(first).audit.acknowledgedLost).toBe(0);
    expect(first.records.filter((r) => r.op === 'checkout' && r.status === 201).length).toBe(
      first.mails.length,
    );
  }, 180_000);

  it('finds every kind of hidden state in the mystery shop as shipped', async () => {
    const found = findings(verdictsOf(await judge('exercises/08-hidden-state.ts', 2)));
    expect(
      found.every((n) => n > 0),
      `findings per kind: ${found.join(', ')}`,
    ).toBe(true);
  }, 180_000);

  it('catches a login that answers before its session is written, however late the next click', async () => {
    // A busy machine: every add reaches the server three slow round trips after it is sent, when
    // a session write left running by the login would have landed on its own.
    const lateAdds = (fleet: Fleet): Fleet => ({
      ...fleet,
      request: async (name, request) => {
        if (request.method === 'POST' && request.path === '/cart')
          await new Promise((wait) => setTimeout(wait, 3 * CRASH_HOP_MS));
        return fleet.request(name, request);
      },
    });
    const wrong =
      '../tests/fixtures/exercises/08-wrong/login-before-session-written/08-hidden-state.ts';
    const run = await judge(wrong, 2, lateAdds);
    const crashes = run.records.filter((r) => r.kind === 'crash' && r.op === 'add');
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes.every((r) => r.status === 401)).toBe(true);
    expect(verdictsOf(run).loggedOut.length).toBeGreaterThan(0);
    // The reference solution, with the same late adds, is logged in every time.
    const right = await judge('solutions/08-hidden-state.ts', 2, lateAdds);
    expect(findings(verdictsOf(right))).toEqual([0, 0, 0, 0, 0, 0]);
  }, 360_000);
});
