// The nemesis over real server processes (mystery-fleet.ts): seeded, so the same seed sends the
// same requests to the same servers; silent on the reference solution; and it finds all six
// kinds of hidden state in the mystery shop as shipped.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verdictsOf, type Run, type Verdicts } from '../core/hidden-state';
import { mysteryFleet, type MysteryFleet } from './mystery-fleet';
import { runNemesis } from './nemesis';

const NOTEBOOKS = join(__dirname, '../..');
const fleets = new Set<MysteryFleet>();
afterAll(() => Promise.all([...fleets].map((fleet) => fleet.stop())));

async function judge(file: string, seed: number): Promise<Run> {
  const fleet = mysteryFleet(join(NOTEBOOKS, file));
  fleets.add(fleet);
  try {
    return await runNemesis(fleet, seed);
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
});
