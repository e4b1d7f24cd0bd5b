// Did the shop keep its word? After a run, for every user: the cart writes (adds) in the history
// by outcome, against what the shop holds at the end: the items in the user's orders plus the
// cart, as each server gives it. Counted per product, so an add whose answer was lost but which
// happened is told apart from an acknowledged add that vanished. A pure function: node/audit.ts
// gathers what real servers hold, and the simulator (sim-model.ts) what its stores hold.
import { byUser, type HistoryRecord } from './history';

export interface CartAudit {
  users: number;
  /** Cart writes by outcome: acknowledged (answered 200), failed (certainly not applied: refused,
   *  not forwarded, or rejected with a 4xx), unknown (may or may not have been applied). */
  writesAcknowledged: number;
  writesFailed: number;
  writesUnknown: number;
  /** Acknowledged items found in neither an order nor the final cart: the shop broke its word.
   *  A lower bound: an acknowledged item that vanished while an unknown add of the same product
   *  took effect shows as neither (item counts cannot tell the two apart). */
  acknowledgedLost: number;
  /** Unknown writes that took effect: held although their answer never came. Neither a loss nor
   *  a failure: the honest outcome of a write whose answer was lost. */
  unknownApplied: number;
  /** Writes counted as failed that took effect anyway. Must be 0: anything else means the client
   *  called "certainly not applied" something that was. */
  failedApplied: number;
  /** Users for whom every server gave the same cart. */
  sameOnEveryServer: number;
  /** Users whom at least one server did not know (401): their session is not on that server. */
  unknownToSomeServer: number;
}

type Lines = readonly { productId: number; qty: number }[];

/** What the shop holds for one user at the end. */
export interface Holding {
  user: string;
  /** The lines of every order the user placed. */
  ordered: Lines;
  /** The user's cart on each server; undefined where the server did not know them (401). */
  carts: readonly (Lines | undefined)[];
}

/** Quantity per product id. */
function perProduct(lines: Lines): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of lines)
    counts.set(line.productId, (counts.get(line.productId) ?? 0) + line.qty);
  return counts;
}

export function auditCarts(
  history: readonly HistoryRecord[],
  holdings: readonly Holding[],
): CartAudit {
  const audit: CartAudit = {
    users: holdings.length,
    writesAcknowledged: 0,
    writesFailed: 0,
    writesUnknown: 0,
    acknowledgedLost: 0,
    unknownApplied: 0,
    failedApplied: 0,
    sameOnEveryServer: 0,
    unknownToSomeServer: 0,
  };
  const histories = byUser(history);
  for (const { user, ordered: orderLines, carts } of holdings) {
    const writes = (histories.get(user) ?? []).filter((r) => r.op === 'add');
    const byOutcome = (keep: (r: HistoryRecord) => boolean) =>
      perProduct(writes.filter(keep).map((r) => ({ productId: r.productId ?? 0, qty: 1 })));
    const acknowledged = byOutcome((r) => r.outcome === 'ok' && r.status === 200);
    const unknown = byOutcome((r) => r.outcome === 'unknown');
    const failed = byOutcome((r) => r.outcome === 'fail');

    const shapes = carts.map((c) => (c ? JSON.stringify([...perProduct(c)].sort()) : '401'));
    if (shapes.every((s) => s === shapes[0])) audit.sameOnEveryServer += 1;
    if (carts.includes(undefined)) audit.unknownToSomeServer += 1;

    const ordered = perProduct(orderLines);
    const inCarts = carts.map((c) => perProduct(c ?? []));
    const products = new Set([...acknowledged.keys(), ...unknown.keys(), ...failed.keys()]);
    for (const map of [ordered, ...inCarts]) for (const id of map.keys()) products.add(id);
    for (const id of products) {
      const ack = acknowledged.get(id) ?? 0;
      const maybe = unknown.get(id) ?? 0;
      const held = (ordered.get(id) ?? 0) + Math.max(0, ...inCarts.map((m) => m.get(id) ?? 0));
      audit.writesAcknowledged += ack;
      audit.writesUnknown += maybe;
      audit.writesFailed += failed.get(id) ?? 0;
      audit.acknowledgedLost += Math.max(0, ack - held);
      const extra = Math.max(0, held - ack); // held beyond what was acknowledged
      audit.unknownApplied += Math.min(extra, maybe);
      audit.failedApplied += extra - Math.min(extra, maybe);
    }
  }
  return audit;
}
