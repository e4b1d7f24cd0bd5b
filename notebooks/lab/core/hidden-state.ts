// Chapter 8's nemesis and its checker, the platform-free half: the seeded plan (which server
// joins, dies and restarts when), what a run records, and the verdicts read from that record.
// Every verdict holds the fleet to what ONE server would have done: a user is never logged out,
// an acknowledged item is never lost, a price changed is the price shown, a receipt written can
// be read, the rate limit is the limit, and each order is mailed once. node/nemesis.ts runs the
// plan against real servers over HTTP. State: none of its own.
import { auditCarts, type CartAudit } from './cart-audit';
import { checkHistory, learn, newShopper, stepsOf, type HistoryRecord } from './history';
import { seededRandom } from './random';

/** The shop's rate limit: a user may add this many items per minute. */
export const ADDS_PER_MINUTE = 3;
export const MINUTE_MS = 60_000;
/** Rounds of the nemesis per minute of the shop's clock. */
export const ROUNDS_PER_MINUTE = 6;
/** The shop's clock at the start of `round`, from the run's start (ms): the minute, and a second
 *  for each round into it. The clock stands still within a round. */
export const clockAt = (round: number) =>
  Math.floor(round / ROUNDS_PER_MINUTE) * MINUTE_MS + (round % ROUNDS_PER_MINUTE) * 1_000;
export const ROUNDS = 9;
/** The last look (round ROUNDS) comes this long after the last round by the shop's clock, once
 *  the mail job has run again: a session, cart, receipt or mail mark kept for "a day" or "a week"
 *  written in seconds (86,400 or 604,800 ms: under a minute and a half, ten minutes) has expired
 *  by then; one kept for a quarter of an hour or more (an idle timeout), a day, or for good, has
 *  not. */
export const LAST_LOOK_AFTER_MS = 12 * 60_000;
/** The shop's clock at `round`, the last look (ROUNDS) included. */
export const shopClockAt = (round: number) =>
  round >= ROUNDS ? clockAt(ROUNDS) + LAST_LOOK_AFTER_MS : clockAt(round);
/** "12 s", or "61 minutes": a span of the shop's clock, said as a reader would. */
const span = (ms: number) =>
  ms < 120_000 ? `${ms / 1_000} s` : `${Math.round(ms / 60_000)} minutes`;
/** When `round` was: "at round 4", or "at the last look, 12 minutes after the last round". */
const moment = (round: number) =>
  round >= ROUNDS
    ? `at the last look, ${span(LAST_LOOK_AFTER_MS)} after the last round`
    : `at round ${round}`;
export const USERS = 6;
/** In each minute, at this round of it, every user clicks "add" this many times at once. */
export const BURST_ROUND = 2;
export const BURST_ADDS = ADDS_PER_MINUTE + 1;
/** A session id shorter than this is one an attacker can guess by trying (a UUID has 36). */
export const MIN_SESSION_ID_CHARS = 16;
/** Two session ids that differ in fewer characters than this (in place, from the start or from
 *  the end) were counted or timed, not drawn: from one, the other is a few tries away. Two random
 *  UUIDs differ in about 28 of their 36; two drawn at random this close are never seen. */
export const MIN_SESSION_ID_DIFFERENCE = 6;

/** In how many characters two ids differ, lined up from the start or from the end (the fewer). */
export function charactersApart(a: string, b: string): number {
  let fromStart = 0;
  let fromEnd = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) fromStart += 1;
    if (a[a.length - 1 - i] !== b[b.length - 1 - i]) fromEnd += 1;
  }
  return Math.min(fromStart, fromEnd);
}

// #region plan
/** What happens to the fleet before a round starts. */
export type FleetEvent =
  | { round: number; kind: 'start'; server: string } // the fleet's first servers
  | { round: number; kind: 'scale-out'; server: string } // a new server joins
  | { round: number; kind: 'kill'; server: string } // SIGKILL; a fresh machine replaces it
  | { round: number; kind: 'restart'; server: string } // the rolling restart, one at a time
  | PriceChange;

/** The admin sets a price, through server `via` (the runner picks it, and records it). */
export interface PriceChange {
  round: number;
  kind: 'price';
  productId: number;
  priceCents: number;
  via?: string;
}

/** The seeded plan of one run: two servers, a third joins, one is killed and replaced, the
 *  admin changes two prices, and the last rounds restart every server, one per round. */
export function planFleet(seed: number): FleetEvent[] {
  const random = seededRandom(seed * 7_919 + 1);
  const events: FleetEvent[] = [
    { round: 0, kind: 'start', server: 'app-1' },
    { round: 0, kind: 'start', server: 'app-2' },
  ];
  const scaleOut = 2 + random.int(2); // round 2 or 3
  events.push({ round: scaleOut, kind: 'scale-out', server: 'app-3' });
  const killAt = scaleOut + 1 + random.int(2); // before the rolling restart
  events.push({
    round: killAt,
    kind: 'kill',
    server: random.pick(['app-1', 'app-2', 'app-3']),
  });
  for (const round of [1 + random.int(3), 4 + random.int(3)]) {
    events.push({
      round,
      kind: 'price',
      productId: 1 + random.int(5),
      priceCents: 100 * round + 99,
    });
  }
  const order = random.shuffle(['app-1', 'app-2', 'app-3']);
  order.forEach((server, i) => events.push({ round: ROUNDS - 3 + i, kind: 'restart', server }));
  return events.sort((a, b) => a.round - b.round);
}
// #endregion plan

/** One request of the run, as recorded: the history's record, and where and when it went. */
export interface RunRecord extends HistoryRecord {
  round: number;
  /** The server it was sent to (servedBy says which answered). */
  server: string;
  /** A user's journey step, a burst of clicks, a checkout the server died right after, the
   *  admin's look at a price, a receipt fetch, the last look at every cart, or a stranger's try
   *  at a session id made from another user's. Only journey steps are folded by checkHistory(). */
  kind: 'journey' | 'burst' | 'crash' | 'price-check' | 'receipt' | 'final-cart' | 'forgery';
  /** Sent with a session from a login the shop accepted. */
  withSession?: boolean;
  /** A login's answer: the session id the shop handed out; a forgery's, or the last look's with
   *  the user's own session: the id it sent. */
  sid?: string;
  /** A forgery: the session id it was made from, handed to `user` (whom it tried to be). */
  forgedFrom?: { sid: string; user: string };
  priceCents?: number;
  orderId?: number;
  lines?: { productId: number; qty: number }[];
}

export interface Run {
  seed: number;
  events: FleetEvent[];
  records: RunRecord[];
  /** Recipients of every mail sent, in order ("order-7"). */
  mails: string[];
}

/** What the checker found: for each kind of trouble, the evidence, quoted from the history. */
export interface Verdicts {
  loggedOut: string[];
  /** Session ids handed out twice, or that anyone could guess. */
  sessionIds: string[];
  lostItems: string[];
  rateLimit: string[];
  stalePrices: string[];
  missingReceipts: string[];
  mails: string[];
  audit: CartAudit;
  requests: number;
}

const at = (r: RunRecord) => `${r.server} at round ${r.round}`;
const itemsOf = (lines: readonly { qty: number }[]) => lines.reduce((n, line) => n + line.qty, 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What happened to the server that answered `r`, up to round `until`: "app-2 was killed at
 *  round 6", or, for the checkout a server died after, that it was killed the moment it answered. */
function fateOf(run: Run, r: RunRecord, until: number): string {
  if (r.kind === 'crash') return ` (${r.server} was killed the moment it answered)`;
  return fate(run, r.server, r.round, until);
}

/** What happened to `server` after `round`, up to `until`: "app-2 was killed at round 6". */
function fate(run: Run, server: string, round: number, until: number): string {
  const later = run.events.find(
    (e) =>
      'server' in e &&
      e.server === server &&
      e.round > round &&
      e.round <= until &&
      (e.kind === 'kill' || e.kind === 'restart'),
  );
  return later && 'server' in later
    ? ` (${server} was ${later.kind === 'kill' ? 'killed' : 'restarted'} at round ${later.round})`
    : '';
}

// #region verdicts
export function verdictsOf(run: Run): Verdicts {
  const seed = `seed ${run.seed}`;
  const byUser = new Map<string, RunRecord[]>();
  for (const r of run.records) byUser.set(r.user, [...(byUser.get(r.user) ?? []), r]);

  // Logged out: a request sent with a session the shop had accepted, answered 401. The click
  // sent the moment its login answered comes first: it names the fault most exactly (a login
  // that answers before its session is written), and only the first few lines are shown.
  const loggedOut: string[] = [];
  const crashFirst = [...byUser].sort(
    ([, a], [, b]) => Number(b[0]?.kind === 'crash') - Number(a[0]?.kind === 'crash'),
  );
  for (const [user, records] of crashFirst) {
    const out = records.find((r) => r.withSession && r.status === 401);
    // The login whose session the 401 was sent with, where the record says (the last look's),
    // else the user's first.
    const login =
      records.find((r) => r.op === 'login' && r.status === 200 && out?.sid && r.sid === out.sid) ??
      records.find((r) => r.op === 'login' && r.status === 200);
    if (login && out) {
      // Accepted after a server died: that death did not take the session with it.
      const acceptedWithSession = records.filter(
        (r) => r.withSession && r.status === 200 && r.round >= login.round && r.round < out.round,
      );
      const lastAccepted = acceptedWithSession.at(-1);
      const since = lastAccepted?.round ?? login.round;
      const died = fate(run, login.server, since, out.round);
      const expired =
        out.round >= ROUNDS && !died && lastAccepted
          ? `; the session had last been accepted at round ${lastAccepted.round}: did it expire before the last look (how long is it kept, and in which unit)?`
          : '';
      loggedOut.push(
        `${user} logged in on ${at(login)}; ${moment(out.round)}${out.round > login.round ? ` (${span(shopClockAt(out.round) - shopClockAt(login.round))} later by the shop's clock)` : ''}, ${out.server} answered 401 "not logged in"${died}${out.kind === 'crash' && login.kind === 'crash' ? ' to their very next click, sent the moment the login answered (over a slow network)' : ''}${expired} (${seed})`,
      );
    }
  }

  // Session ids: every login gets a fresh one that nobody could guess. An id handed out twice,
  // one a stranger made from another user's id by writing their own victim's name in it, one
  // short enough to try them all, or one a few characters away from another (from a counter or
  // a clock: whoever has one can try its neighbours) is a key to an account that the shop
  // handed to whoever asks, however well every server knows it. A name in an id is no fault by
  // itself: an id signed, or with a random part, is refused once the name in it is changed.
  const sessionIds: string[] = [];
  for (const r of run.records.filter((r) => r.kind === 'forgery' && r.status === 200)) {
    const from = r.forgedFrom!;
    sessionIds.push(
      `${from.user} was handed session id "${from.sid}"; after the last round, a stranger sent "${r.sid}" to ${r.server}, with ${r.user}'s name in place of ${from.user}'s, and was let in as a logged-in user (${seed})`,
    );
  }
  const issued = new Map<string, RunRecord>();
  for (const r of run.records) {
    if (r.op !== 'login' || r.status !== 200 || r.sid === undefined) continue;
    const earlier = issued.get(r.sid);
    if (earlier) {
      sessionIds.push(
        `${r.user} logged in on ${at(r)} and was handed session id "${r.sid}", the one ${earlier.user} was handed on ${at(earlier)} (${seed})`,
      );
      continue;
    }
    if (r.sid.length < MIN_SESSION_ID_CHARS) {
      sessionIds.push(
        `${r.user} logged in on ${at(r)} and was handed session id "${r.sid}": ${plural(r.sid.length, 'character')}, few enough to try them all (${seed})`,
      );
    } else {
      // The nearest id handed out before it.
      let near: { r: RunRecord; apart: number } | undefined;
      for (const [sid, earlier] of issued) {
        const apart = charactersApart(sid, r.sid);
        if (apart < MIN_SESSION_ID_DIFFERENCE && (!near || apart < near.apart))
          near = { r: earlier, apart };
      }
      if (near) {
        sessionIds.push(
          `${r.user} logged in on ${at(r)} and was handed session id "${r.sid}", ${plural(near.apart, 'character')} away from "${near.r.sid}", handed to ${near.r.user} on ${at(near.r)}: whoever has one id finds others by trying its neighbours (${seed})`,
        );
      }
    }
    issued.set(r.sid, r);
  }

  // Lost items: the journey folded as the checker does; a cart shown with fewer items than the
  // user's acknowledged adds, quoted with those adds. The cart an add answers with is held to
  // what one server would show too: at least the items the user is sure of and this one (any
  // item, when their other tab checked out at the same moment), at most every item they could
  // have there.
  const lostItems: string[] = [];
  for (const [user, records] of byUser) {
    const journey = records.filter((r) => r.kind === 'journey');
    const shopper = newShopper();
    let acked: RunRecord[] = [];
    /** The most items the cart can hold: the last cart shown, and every add acknowledged since. */
    let possible = 0;
    for (const step of stepsOf(journey) as RunRecord[][]) {
      const sure = shopper.cartItems;
      const racing = step.some((r) => r.op === 'checkout');
      const addsHere = step.filter((r) => r.op === 'add' && r.status === 200);
      // An add refused at the same moment that was put in the cart anyway is the rate limit's
      // fault: that verdict finds it in the order or the cart, so it is allowed for here.
      const refusedHere = step.filter((r) => r.op === 'add' && r.status === 429).length;
      for (const r of addsHere) {
        if (r.lines === undefined) continue;
        const shown = itemsOf(r.lines);
        const most = possible + addsHere.length + refusedHere;
        if (shown < (racing ? 1 : sure + 1)) {
          const adds = acked.map(at).join(', ');
          lostItems.push(
            `${user} had ${plural(sure, 'item')} in their cart${adds ? ` (acknowledged by ${adds})` : ''}; at round ${r.round}, ${r.server} answered their add with a cart of ${plural(shown, 'item')} (${seed})`,
          );
        } else if (shown > most) {
          lostItems.push(
            `${user}'s cart could hold at most ${plural(most, 'item')}; at round ${r.round}, ${r.server} answered their add with a cart of ${plural(shown, 'item')}: items already ordered, or never added (${seed})`,
          );
        }
      }
      const emptied = step.some(
        (r) => r.op === 'checkout' && (r.status === 201 || r.emptyCart === true),
      );
      const shownCart = step.find((r) => r.op === 'cart' && r.status === 200);
      possible = shownCart ? (shownCart.items ?? 0) : (emptied ? 0 : possible) + addsHere.length;
      const lessons = learn(shopper, step);
      step.forEach((r, i) => {
        if (lessons[i].lostItems > 0) {
          const adds = acked.map(at).join(', ');
          lostItems.push(
            `${user} added ${plural(sure, 'item')} (acknowledged by ${adds || 'the shop'}); at round ${r.round}, ${r.server} ${r.op === 'cart' ? `showed their cart with ${plural(r.items ?? 0, 'item')}` : `placed an order of ${plural(r.items ?? 0, 'item')}`} (${seed})`,
          );
        }
      });
      for (const r of step) {
        if (r.op === 'add' && r.status === 200) acked.push(r);
        if ((r.op === 'cart' && r.status === 200) || (r.op === 'checkout' && r.status === 201))
          acked = [];
      }
      if (shopper.cartItems === 0) acked = [];
    }
  }
  // The clickers: every add a burst got acknowledged is in the order placed right after it.
  for (const [user, records] of byUser) {
    for (const round of new Set(records.filter((r) => r.kind === 'burst').map((r) => r.round))) {
      const burst = records.filter((r) => r.kind === 'burst' && r.round === round);
      const acked = burst.filter((r) => r.op === 'add' && r.status === 200);
      const checkout = burst.find((r) => r.op === 'checkout');
      const ordered = checkout?.status === 201 ? (checkout.items ?? 0) : 0;
      if (checkout && acked.length > ordered) {
        lostItems.push(
          `${user} clicked "add" ${burst.filter((r) => r.op === 'add').length} times at once at round ${round}, and ${plural(acked.length, 'add was', 'adds were')} acknowledged (${acked.map((r) => r.server).join(', ')}); the checkout right after, on ${checkout.server}, ${checkout.status === 201 ? `ordered ${plural(ordered, 'item')}` : `answered ${checkout.status}`} (${seed})`,
        );
      }
    }
  }
  const holdings = [...byUser].map(([user, records]) => ({
    user,
    ordered: records
      .filter((r) => r.op === 'checkout' && r.status === 201)
      .flatMap((r) => r.lines ?? []),
    carts: records
      .filter((r) => r.kind === 'final-cart' && r.op === 'cart')
      .map((r) => (r.status === 200 ? (r.lines ?? []) : undefined)),
  }));
  const audit = auditCarts(run.records, holdings);
  if (audit.acknowledgedLost > 0 && lostItems.length === 0) {
    // Whose items: a user with more adds acknowledged than their orders and their last cart
    // hold, quoted with the add that came at the same moment as their checkout, if one did.
    const qty = (lines: { qty: number }[]) => lines.reduce((n, line) => n + line.qty, 0);
    for (const { user, ordered, carts } of holdings) {
      const records = byUser.get(user) ?? [];
      const adds = records.filter((r) => r.op === 'add' && r.status === 200);
      const inCart = Math.max(0, ...carts.map((cart) => qty(cart ?? [])));
      if (adds.length <= qty(ordered) + inCart) continue;
      const checkouts = records.filter((r) => r.op === 'checkout' && r.together);
      const raced = adds.find((a) => a.together && checkouts.some((c) => c.round === a.round));
      const checkout = raced && checkouts.find((c) => c.round === raced.round);
      lostItems.push(
        `${user} had ${plural(adds.length, 'add')} acknowledged${raced && checkout ? `, one of them on ${at(raced)} at the same moment as their checkout on ${checkout.server}` : ''}; ${moment(ROUNDS)}, their orders held ${plural(qty(ordered), 'item')} and their cart ${plural(inCart, 'item')} (${seed})`,
      );
    }
  }
  if (audit.acknowledgedLost > 0 && lostItems.length === 0) {
    const finals = run.records.filter(
      (r) => r.kind === 'final-cart' && r.op === 'cart' && r.status === 200,
    );
    lostItems.push(
      `the shop acknowledged ${plural(audit.writesAcknowledged, 'add')}, and after the last round ${plural(audit.acknowledgedLost, 'item')} of them were in no order and in no cart (the last look: ${finals.length} carts on ${[...new Set(finals.map((r) => r.server))].join(', ')}) (${seed})`,
    );
  }
  for (const { user, carts } of holdings) {
    const shapes = new Set(carts.filter((c) => c).map((c) => JSON.stringify(c)));
    if (shapes.size > 1) {
      lostItems.push(
        `after the last round, the servers showed ${user} ${shapes.size} different carts (${seed})`,
      );
    }
  }

  // The rate limit: per user and minute, acknowledged adds at most the limit, and a refusal
  // only once the limit was reached.
  const rateLimit: string[] = [];
  for (const [user, records] of byUser) {
    const minutes = new Map<number, RunRecord[]>();
    for (const r of records.filter((r) => r.op === 'add')) {
      const m = Math.floor(r.round / ROUNDS_PER_MINUTE);
      minutes.set(m, [...(minutes.get(m) ?? []), r]);
    }
    for (const [minute, records] of minutes) {
      const ok = records.filter((r) => r.status === 200);
      const refused = records.filter((r) => r.status === 429);
      if (ok.length > ADDS_PER_MINUTE) {
        rateLimit.push(
          `${user} had ${ok.length} adds accepted in minute ${minute} (${ok.map(at).join(', ')}); one server accepts ${ADDS_PER_MINUTE} a minute (${seed})`,
        );
      } else if (refused.length > 0 && ok.length < ADDS_PER_MINUTE) {
        rateLimit.push(
          `${user} was refused (429) on ${at(refused[0])} with only ${plural(ok.length, 'add')} accepted in minute ${minute}; the limit is ${ADDS_PER_MINUTE} (${seed})`,
        );
      }
    }
  }
  // A refused add leaves nothing behind: per product, the user's orders and last cart hold at
  // most the adds that were accepted (or whose answer never came), as on one server. One thing
  // besides a refused add can put more there: an accepted add racing the user's checkout (the
  // other tab) that read the cart before the checkout emptied it, and wrote back what the
  // checkout ordered. That is the cart's fault, which the lost-items verdict reports. Its copies
  // land after that checkout (in the cart, or in a later order), never in its own order; so up
  // to what it ordered, those later copies are not laid on the limit.
  const accepted = (r: RunRecord) => r.status === 200 || r.outcome === 'unknown';
  for (const { user, ordered, carts } of holdings) {
    const records = byUser.get(user) ?? [];
    const adds = records.filter((r) => r.op === 'add');
    const refused = adds.filter((r) => r.status === 429);
    const racedCheckouts = records.filter(
      (r) =>
        r.op === 'checkout' &&
        r.status === 201 &&
        r.together === true &&
        adds.some((a) => a.together === true && a.round === r.round && accepted(a)),
    );
    const firstRace = Math.min(...racedCheckouts.map((r) => r.round));
    const orderedLater = records
      .filter((r) => r.op === 'checkout' && r.status === 201 && r.round > firstRace)
      .flatMap((r) => r.lines ?? []);
    for (const productId of new Set(refused.map((r) => r.productId))) {
      const of = (lines: readonly { productId: number; qty: number }[]) =>
        itemsOf(lines.filter((line) => line.productId === productId));
      const acceptedAdds = adds.filter((r) => r.productId === productId && accepted(r)).length;
      const inOrders = of(ordered);
      const inCart = Math.max(0, ...carts.map((cart) => of(cart ?? [])));
      const writtenBack = Math.min(
        of(racedCheckouts.flatMap((r) => r.lines ?? [])),
        inCart + of(orderedLater),
      );
      if (inOrders + inCart > acceptedAdds + writtenBack) {
        const first = refused.find((r) => r.productId === productId)!;
        rateLimit.push(
          `${user}'s add of product ${productId} was refused (429) on ${at(first)}; yet after the last round their orders held ${plural(inOrders, 'item')} of it and their cart ${plural(inCart, 'item')}, with only ${plural(acceptedAdds, 'add')} of it accepted${writtenBack > 0 ? `, and ${writtenBack} of it ordered by a checkout that an add raced` : ''}: a refused add was put in the cart (${seed})`,
        );
      }
    }
  }

  // Prices: after the admin's change was acknowledged, every look at that product shows it.
  const stalePrices: string[] = [];
  const isPrice = (e: FleetEvent): e is PriceChange => e.kind === 'price';
  const changes = run.events.filter(isPrice);
  for (const change of changes) {
    const next = changes.find((e) => e.round > change.round && e.productId === change.productId);
    const seen = run.records.find(
      (r) =>
        r.op === 'browse' &&
        r.productId === change.productId &&
        r.status === 200 &&
        r.round >= change.round &&
        (!next || r.round < next.round) &&
        r.priceCents !== change.priceCents,
    );
    if (seen) {
      stalePrices.push(
        `the admin set product ${change.productId} to ${change.priceCents} cents on ${change.via ?? 'a server'} at round ${change.round}; at round ${seen.round}, ${seen.server} still showed ${seen.priceCents} cents (${seed})`,
      );
    }
  }

  // Receipts: every receipt of an order the shop confirmed can be fetched, from any server.
  const missingReceipts: string[] = [];
  for (const fetch of run.records.filter((r) => r.kind === 'receipt' && r.status !== 200)) {
    const placed = run.records.find((r) => r.op === 'checkout' && r.orderId === fetch.orderId);
    if (!placed) continue;
    // The same receipt served before (by another server than the one that wrote it, if one
    // did: then it was where every server reads, and went away from there).
    const before = run.records.filter(
      (r) =>
        r.kind === 'receipt' &&
        r.orderId === fetch.orderId &&
        r.status === 200 &&
        r.round < fetch.round,
    );
    const served = before.find((r) => r.server !== placed.server) ?? before[0];
    missingReceipts.push(
      `${placed.user}'s order ${fetch.orderId} was placed on ${at(placed)}${fateOf(run, placed, fetch.round)}; ${moment(fetch.round)}, ${fetch.server} answered ${fetch.status} for its receipt${served ? `, which ${served.server} had served at round ${served.round} (${span(shopClockAt(fetch.round) - shopClockAt(served.round))} earlier by the shop's clock)` : ''} (${seed})`,
    );
  }

  // Mail: every confirmed order, exactly one confirmation mail.
  const mails: string[] = [];
  for (const placed of run.records.filter((r) => r.op === 'checkout' && r.status === 201)) {
    const count = run.mails.filter((to) => to === `order-${placed.orderId}`).length;
    if (count !== 1) {
      mails.push(
        `${placed.user}'s order ${placed.orderId} (placed on ${at(placed)}${placed.kind === 'crash' ? `; ${placed.server} was killed the moment it answered` : ''}) got ${count === 0 ? 'no confirmation mail' : `${count} confirmation mails`}; the job runs on every server, once a round, and once more ${span(LAST_LOOK_AFTER_MS)} after the last round (${seed})`,
      );
    }
  }
  return {
    loggedOut,
    sessionIds,
    lostItems,
    rateLimit,
    stalePrices,
    missingReceipts,
    mails,
    audit,
    requests: run.records.length,
  };
}
// #endregion verdicts

/** The history's own totals for the journey steps (checkHistory), for the verdict table. */
export const journeyTotals = (run: Run) =>
  checkHistory(run.records.filter((r) => r.kind === 'journey')).totals;
