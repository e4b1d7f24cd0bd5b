// The nemesis's plan and its checker: the plan is seeded and holds every kind of trouble, and each
// verdict finds its trouble in a small hand-written history, quoting it, and stays silent on
// the same history without it.
import { describe, expect, it } from 'vitest';
import {
  ADDS_PER_MINUTE,
  clockAt,
  LAST_LOOK_AFTER_MS,
  planFleet,
  ROUNDS,
  shopClockAt,
  verdictsOf,
  type Run,
  type RunRecord,
} from './hidden-state';

const rec = (r: Partial<RunRecord> & Pick<RunRecord, 'user' | 'op' | 'status'>): RunRecord => ({
  outcome: r.status < 400 ? 'ok' : 'fail',
  round: 0,
  server: 'app-1',
  kind: 'journey',
  ...r,
});
const run = (records: RunRecord[], extra: Partial<Run> = {}): Run => ({
  seed: 1,
  events: planFleet(1),
  records,
  mails: [],
  ...extra,
});
const lines = [{ productId: 2, qty: 1 }];
const LOGIN = rec({ user: 'user-1', op: 'login', status: 200, server: 'app-2' });

describe('planFleet', () => {
  it('is the same for the same seed, and holds a scale-out, a kill, prices and a rolling restart', () => {
    expect(planFleet(7)).toEqual(planFleet(7));
    expect(planFleet(1)).not.toEqual(planFleet(2));
    for (const seed of [1, 2, 3]) {
      const kinds = planFleet(seed).map((e) => e.kind);
      expect(kinds.filter((k) => k === 'start')).toHaveLength(2);
      expect(kinds).toContain('scale-out');
      expect(kinds).toContain('kill');
      expect(kinds.filter((k) => k === 'price')).toHaveLength(2);
      const restarts = planFleet(seed).filter((e) => e.kind === 'restart');
      expect(restarts.map((e) => e.round)).toEqual([ROUNDS - 3, ROUNDS - 2, ROUNDS - 1]);
    }
  });
});

describe('verdictsOf', () => {
  it('finds nothing in a history where the shop behaved as one server', () => {
    const v = verdictsOf(
      run([
        LOGIN,
        rec({ user: 'user-1', op: 'add', status: 200, round: 1, withSession: true, productId: 2 }),
        rec({ user: 'user-1', op: 'cart', status: 200, round: 2, withSession: true, items: 1 }),
        rec({ user: 'user-1', op: 'cart', status: 200, round: ROUNDS, kind: 'final-cart', lines }),
        rec({
          user: 'user-1',
          op: 'cart',
          status: 200,
          round: ROUNDS,
          kind: 'final-cart',
          lines,
          server: 'app-2',
        }),
      ]),
    );
    expect([
      v.loggedOut,
      v.sessionIds,
      v.lostItems,
      v.rateLimit,
      v.stalePrices,
      v.missingReceipts,
      v.mails,
    ]).toEqual([[], [], [], [], [], [], []]);
  });

  it('quotes a user logged out by another server', () => {
    const v = verdictsOf(
      run([LOGIN, rec({ user: 'user-1', op: 'cart', status: 401, round: 3, withSession: true })]),
    );
    expect(v.loggedOut).toEqual([
      'user-1 logged in on app-2 at round 0; at round 3 (3 s later by the shop\'s clock), app-1 answered 401 "not logged in" (seed 1)',
    ]);
  });

  it('quotes a session id handed out twice, one a stranger made from another, or one short enough to try', () => {
    const uuid = '0b6f3c1e-8d1a-4f0e-9a53-2f4c7d9e1b20';
    const login = (user: string, sid: string, round: number) =>
      rec({ user, op: 'login', status: 200, round, sid });
    const forgery = (sid: string, status: number) =>
      rec({
        user: 'user-4',
        op: 'cart',
        status,
        round: ROUNDS,
        server: 'app-3',
        kind: 'forgery',
        sid: sid.replace('user-3', 'user-4'),
        forgedFrom: { sid, user: 'user-3' },
      });
    const other = '7c2e9a40-1f3b-4d8c-b6e5-90a1d4f37c58';
    expect(
      verdictsOf(run([login('user-1', uuid, 0), login('user-2', other, 1)])).sessionIds,
    ).toEqual([]);
    // A name in the id is no fault by itself: the stranger's copy with another name is refused.
    expect(
      verdictsOf(run([login('user-3', `user-3.${uuid}`, 2), forgery(`user-3.${uuid}`, 401)]))
        .sessionIds,
    ).toEqual([]);
    expect(
      verdictsOf(
        run([
          login('user-1', uuid, 0),
          login('user-2', uuid, 1),
          login('user-3', 'sid-user-3-of-the-shop', 2),
          forgery('sid-user-3-of-the-shop', 200),
        ]),
      ).sessionIds,
    ).toEqual([
      'user-3 was handed session id "sid-user-3-of-the-shop"; after the last round, a stranger sent "sid-user-4-of-the-shop" to app-3, with user-4\'s name in place of user-3\'s, and was let in as a logged-in user (seed 1)',
      `user-2 logged in on app-1 at round 1 and was handed session id "${uuid}", the one user-1 was handed on app-1 at round 0 (seed 1)`,
    ]);
    expect(verdictsOf(run([login('user-1', '42', 0)])).sessionIds).toEqual([
      'user-1 logged in on app-1 at round 0 and was handed session id "42": 2 characters, few enough to try them all (seed 1)',
    ]);
  });

  it('quotes a session id a few characters away from one handed out before it', () => {
    const login = (user: string, sid: string, round: number) =>
      rec({ user, op: 'login', status: 200, round, sid });
    expect(
      verdictsOf(
        run([
          login('user-1', 'session-000000000041', 0),
          login('user-2', 'session-000000000042', 1),
          login('user-3', 'session-000000000100', 2),
        ]),
      ).sessionIds,
    ).toEqual([
      'user-2 logged in on app-1 at round 1 and was handed session id "session-000000000042", 1 character away from "session-000000000041", handed to user-1 on app-1 at round 0: whoever has one id finds others by trying its neighbours (seed 1)',
      'user-3 logged in on app-1 at round 2 and was handed session id "session-000000000100", 3 characters away from "session-000000000041", handed to user-1 on app-1 at round 0: whoever has one id finds others by trying its neighbours (seed 1)',
    ]);
    // Random parts differ almost everywhere, beside the same name or not, whatever their length.
    const ids = [
      'user-1.0b6f3c1e-8d1a-4f0e-9a53-2f4c7d9e1b20',
      'user-1.7c2e9a40-1f3b-4d8c-b6e5-90a1d4f37c58',
      'user-10.0b6f3c1e-8d1a-4f0e-9a53-2f4c7d9e1b21',
      'f3a9c2d1e0b4a5968776c5d4e3f2a1b0',
      'Yk3_pQ9zR2mN8vL1xW4tBw',
    ];
    expect(verdictsOf(run(ids.map((sid, i) => login(`user-${i}`, sid, i)))).sessionIds).toEqual([]);
  });

  it('quotes a user the very next click after their login found logged out', () => {
    const v = verdictsOf(
      run([
        rec({ user: 'customer-4', op: 'login', status: 200, round: 4, kind: 'crash' }),
        rec({
          user: 'customer-4',
          op: 'add',
          status: 401,
          round: 4,
          kind: 'crash',
          withSession: true,
        }),
      ]),
    );
    expect(v.loggedOut).toEqual([
      'customer-4 logged in on app-1 at round 4; at round 4, app-1 answered 401 "not logged in" to their very next click, sent the moment the login answered (over a slow network) (seed 1)',
    ]);
  });

  it('says a 401 at the last look came minutes after the last round, and asks about expiry', () => {
    const v = verdictsOf(
      run([
        rec({ user: 'user-1', op: 'login', status: 200, round: 1 }),
        rec({
          user: 'user-1',
          op: 'cart',
          status: 401,
          round: ROUNDS,
          kind: 'final-cart',
          withSession: true,
        }),
      ]),
    );
    expect(v.loggedOut[0]).toMatch(
      /^user-1 logged in on app-1 at round 1; at the last look, 12 minutes after the last round \(13 minutes later by the shop's clock\), app-1 answered 401/,
    );
    // Accepted at round 8, after every server had restarted: no death is blamed; expiry is asked.
    const renewed = verdictsOf(
      run([
        rec({ user: 'user-1', op: 'login', status: 200, round: 1, sid: 'a' }),
        rec({ user: 'user-1', op: 'login', status: 200, round: 7, sid: 'b' }),
        rec({ user: 'user-1', op: 'cart', status: 200, round: 8, withSession: true }),
        rec({
          user: 'user-1',
          op: 'cart',
          status: 401,
          round: ROUNDS,
          kind: 'final-cart',
          withSession: true,
          sid: 'b',
        }),
      ]),
    );
    expect(renewed.loggedOut[0]).toMatch(
      /^user-1 logged in on app-1 at round 7; at the last look, [^;]*answered 401 "not logged in"; the session had last been accepted at round 8: did it expire before the last look/,
    );
    expect(shopClockAt(ROUNDS) - clockAt(ROUNDS)).toBe(LAST_LOOK_AFTER_MS);
    expect(shopClockAt(3)).toBe(clockAt(3));
  });

  it('quotes first the click sent the moment its login answered, before other users logged out', () => {
    const user = (name: string, kind: RunRecord['kind']) => [
      rec({ user: name, op: 'login', status: 200, round: 2, kind }),
      rec({ user: name, op: 'add', status: 401, round: 2, kind, withSession: true }),
    ];
    const v = verdictsOf(
      run([
        ...user('user-1', 'journey'),
        ...user('clicker-1', 'burst'),
        ...user('clicker-2', 'burst'),
        ...user('customer-4', 'crash'),
      ]),
    );
    expect(v.loggedOut).toHaveLength(4);
    expect(v.loggedOut[0]).toMatch(/^customer-4 .* to their very next click/);
    expect(v.loggedOut.slice(1).map((line) => line.split(' ')[0])).toEqual([
      'user-1',
      'clicker-1',
      'clicker-2',
    ]);
  });

  it('quotes the acknowledged adds a cart later lost', () => {
    const v = verdictsOf(
      run([
        LOGIN,
        rec({ user: 'user-1', op: 'add', status: 200, round: 1, server: 'app-2', productId: 1 }),
        rec({ user: 'user-1', op: 'add', status: 200, round: 2, server: 'app-2', productId: 1 }),
        rec({ user: 'user-1', op: 'cart', status: 200, round: 3, items: 1 }),
      ]),
    );
    expect(v.lostItems[0]).toBe(
      'user-1 added 2 items (acknowledged by app-2 at round 1, app-2 at round 2); at round 3, app-1 showed their cart with 1 item (seed 1)',
    );
  });

  it('quotes whose acknowledged add is in no order and no cart, and the checkout it raced', () => {
    const add = (round: number, together?: true) =>
      rec({ user: 'user-1', op: 'add', status: 200, round, productId: 2, together });
    const history = (cart: typeof lines) => [
      LOGIN,
      add(1),
      rec({
        user: 'user-1',
        op: 'checkout',
        status: 201,
        round: 2,
        together: true,
        items: 1,
        lines,
      }),
      add(2, true),
      rec({ user: 'user-1', op: 'cart', status: 200, kind: 'final-cart', round: 9, lines: cart }),
    ];
    expect(verdictsOf(run(history(lines))).lostItems).toEqual([]);
    expect(verdictsOf(run(history([]))).lostItems).toEqual([
      'user-1 had 2 adds acknowledged, one of them on app-1 at round 2 at the same moment as their checkout on app-1; at the last look, 12 minutes after the last round, their orders held 1 item and their cart 0 items (seed 1)',
    ]);
  });

  it('holds the cart an add answers with to what one server would show', () => {
    const add = (round: number, shown: number, extra: Partial<RunRecord> = {}) =>
      rec({
        user: 'user-1',
        op: 'add',
        status: 200,
        round,
        productId: 2,
        lines: Array.from({ length: shown }, () => ({ productId: 2, qty: 1 })),
        ...extra,
      });
    const checkout = (round: number, items: number, together?: true) =>
      rec({ user: 'user-1', op: 'checkout', status: 201, round, items, together });
    // (These histories end without a last look at the cart: only the adds' answers are judged.)
    const lost = (records: RunRecord[]) =>
      verdictsOf(run([LOGIN, ...records])).lostItems.filter((line) => /their add/.test(line));
    // As one server would answer: each add shows every item before it, two tabs at once included.
    expect(
      lost([add(1, 1), add(2, 2), add(3, 3, { together: true }), add(3, 4, { together: true })]),
    ).toEqual([]);
    // An add racing a checkout in the other tab may land after it: its cart may hold it alone.
    expect(lost([add(1, 1), checkout(2, 1, true), add(2, 1, { together: true })])).toEqual([]);
    // Fewer than the user is sure of: an item another server acknowledged is not in this cart.
    expect(lost([add(1, 1), add(2, 1, { server: 'app-3' })])).toEqual([
      'user-1 had 1 item in their cart (acknowledged by app-1 at round 1); at round 2, app-3 answered their add with a cart of 1 item (seed 1)',
    ]);
    // More than the cart can hold: items already ordered are back.
    expect(lost([add(1, 1), checkout(2, 1), add(3, 2)])).toEqual([
      "user-1's cart could hold at most 1 item; at round 3, app-1 answered their add with a cart of 2 items: items already ordered, or never added (seed 1)",
    ]);
    // A refused add at the same moment that was put in the cart anyway: the rate limit's fault
    // (that verdict finds it in the order or the cart), not a lost or an invented item.
    const refused = rec({
      user: 'user-1',
      op: 'add',
      status: 429,
      round: 3,
      productId: 5,
      together: true,
    });
    expect(lost([add(1, 1), add(2, 2), add(3, 4, { together: true }), refused])).toEqual([]);
    expect(lost([add(1, 1), add(2, 2), add(3, 5, { together: true }), refused])).toHaveLength(1);
  });

  it('counts accepted adds per user and minute against the limit', () => {
    const adds = (n: number, status: number) =>
      Array.from({ length: n }, () =>
        rec({ user: 'clicker-1', op: 'add', status, round: 2, kind: 'burst', productId: 1 }),
      );
    expect(verdictsOf(run([...adds(ADDS_PER_MINUTE, 200), ...adds(1, 429)])).rateLimit).toEqual([]);
    expect(verdictsOf(run(adds(ADDS_PER_MINUTE + 1, 200))).rateLimit[0]).toMatch(
      /^clicker-1 had 4 adds accepted in minute 0/,
    );
    expect(verdictsOf(run([...adds(1, 200), ...adds(1, 429)])).rateLimit[0]).toMatch(
      /refused \(429\) on app-1 at round 2 with only 1 add accepted/,
    );
  });

  it('finds a refused add in an order or in the cart', () => {
    const add = (productId: number, status: number) =>
      rec({ user: 'clicker-1', op: 'add', status, round: 2, kind: 'burst', productId });
    const history = (ordered: { productId: number; qty: number }[]) => [
      add(1, 200),
      add(2, 200),
      add(2, 200),
      add(2, 429),
      rec({
        user: 'clicker-1',
        op: 'checkout',
        status: 201,
        round: 2,
        kind: 'burst',
        lines: ordered,
      }),
      rec({
        user: 'clicker-1',
        op: 'cart',
        status: 200,
        round: ROUNDS,
        kind: 'final-cart',
        lines: [],
      }),
    ];
    const accepted = [
      { productId: 1, qty: 1 },
      { productId: 2, qty: 2 },
    ];
    expect(verdictsOf(run(history(accepted))).rateLimit).toEqual([]);
    expect(verdictsOf(run(history([...accepted, { productId: 2, qty: 1 }]))).rateLimit).toEqual([
      "clicker-1's add of product 2 was refused (429) on app-1 at round 2; yet after the last round their orders held 3 items of it and their cart 0 items, with only 2 adds of it accepted: a refused add was put in the cart (seed 1)",
    ]);
  });

  it('does not lay on the limit an ordered item that an add racing the checkout wrote back', () => {
    // user-4 adds product 5 (accepted), then checks out with the other tab's add of product 1
    // at the same moment; that add read the cart before the checkout emptied it and wrote it
    // back with product 5 in it. A later add of product 5 is refused. Product 5 is now in an
    // order and in the cart with one add accepted: the cart's fault, not the limit's.
    const r = (partial: Partial<RunRecord> & Pick<RunRecord, 'op' | 'status'>) =>
      rec({ user: 'user-4', ...partial });
    const history = (cart: { productId: number; qty: number }[]) => [
      r({ op: 'add', status: 200, round: 1, productId: 5 }),
      r({
        op: 'checkout',
        status: 201,
        round: 2,
        together: true,
        lines: [{ productId: 5, qty: 1 }],
      }),
      r({ op: 'add', status: 200, round: 2, together: true, productId: 1 }),
      r({ op: 'add', status: 200, round: 3, productId: 1 }),
      r({ op: 'add', status: 429, round: 4, productId: 5 }),
      r({ op: 'cart', status: 200, round: ROUNDS, kind: 'final-cart', lines: cart }),
    ];
    const writtenBack = [
      { productId: 5, qty: 1 },
      { productId: 1, qty: 2 },
    ];
    expect(verdictsOf(run(history(writtenBack))).rateLimit).toEqual([]);
    // A write-back puts copies after the checkout it raced (in the cart, or in a later order),
    // never in that checkout's own order: a refused add ordered there is still found.
    const leaked = [
      r({ op: 'add', status: 200, round: 1, productId: 5 }),
      r({ op: 'add', status: 429, round: 1, productId: 5 }),
      r({
        op: 'checkout',
        status: 201,
        round: 2,
        together: true,
        lines: [{ productId: 5, qty: 2 }],
      }),
      r({ op: 'add', status: 200, round: 2, together: true, productId: 1 }),
      r({ op: 'cart', status: 200, round: ROUNDS, kind: 'final-cart', lines: [] }),
    ];
    const inCart = (v: ReturnType<typeof verdictsOf>) =>
      v.rateLimit.filter((line) => line.includes('a refused add was put in the cart'));
    expect(inCart(verdictsOf(run(leaked)))).toHaveLength(1);
    // Nor does a refused add at the checkout's moment write anything back.
    const refusedRace = history(writtenBack).map((rr) =>
      rr.op === 'add' && rr.together ? { ...rr, status: 429, outcome: 'fail' as const } : rr,
    );
    // (Product 1 of the refused add is in the cart too: that one is found as well.)
    expect(inCart(verdictsOf(run(refusedRace))).map((line) => line.split(';')[0])).toEqual([
      "user-4's add of product 1 was refused (429) on app-1 at round 2",
      "user-4's add of product 5 was refused (429) on app-1 at round 4",
    ]);
    // A copy written back and ordered again by a later checkout is the cart's fault too.
    const reordered = [
      ...history([{ productId: 1, qty: 2 }]).slice(0, -1),
      r({ op: 'checkout', status: 201, round: 7, lines: [{ productId: 5, qty: 1 }] }),
      r({ op: 'cart', status: 200, round: ROUNDS, kind: 'final-cart', lines: [] }),
    ];
    expect(inCart(verdictsOf(run(reordered)))).toEqual([]);
    // Beyond what the raced checkout ordered, the refused add is still found.
    expect(
      verdictsOf(
        run(
          history([
            { productId: 5, qty: 2 },
            { productId: 1, qty: 2 },
          ]),
        ),
      ).rateLimit,
    ).toEqual([
      "user-4's add of product 5 was refused (429) on app-1 at round 4; yet after the last round their orders held 1 item of it and their cart 2 items, with only 1 add of it accepted, and 1 of it ordered by a checkout that an add raced: a refused add was put in the cart (seed 1)",
    ]);
  });

  it('finds a stale price after the change, and not before it', () => {
    const events = planFleet(1);
    const change = events.find((e) => e.kind === 'price')!;
    if (change.kind !== 'price') throw new Error('unreachable');
    const browse = (round: number, priceCents: number) =>
      rec({
        user: 'admin',
        op: 'browse',
        status: 200,
        round,
        productId: change.productId,
        priceCents,
      });
    expect(
      verdictsOf(run([browse(change.round, change.priceCents)], { events })).stalePrices,
    ).toEqual([]);
    expect(verdictsOf(run([browse(change.round, 1)], { events })).stalePrices[0]).toMatch(
      new RegExp(
        `set product ${change.productId} to ${change.priceCents} cents.*still showed 1 cents`,
      ),
    );
  });

  it('finds a missing receipt and a mail sent twice or never', () => {
    const order = rec({
      user: 'user-1',
      op: 'checkout',
      status: 201,
      round: 4,
      orderId: 7,
      items: 1,
    });
    const receipt = rec({
      user: 'user-1',
      op: 'cart',
      status: 404,
      round: 5,
      kind: 'receipt',
      orderId: 7,
      server: 'app-3',
    });
    const v = verdictsOf(run([order, receipt], { mails: ['order-7', 'order-7'] }));
    expect(v.missingReceipts[0]).toMatch(
      /order 7 was placed on app-1 at round 4; at round 5, app-3 answered 404/,
    );
    expect(v.mails[0]).toMatch(/order 7 .* got 2 confirmation mails/);
    expect(verdictsOf(run([order], { mails: [] })).mails[0]).toMatch(/got no confirmation mail/);
    expect(verdictsOf(run([order], { mails: ['order-7'] })).mails).toEqual([]);
    // The checkout a server died right after: the server's fate is said, whatever the plan.
    const crashed = { ...order, kind: 'crash' as const, user: 'customer-4' };
    const after = verdictsOf(run([crashed, receipt], { mails: [] }));
    expect(after.missingReceipts[0]).toBe(
      "customer-4's order 7 was placed on app-1 at round 4 (app-1 was killed the moment it answered); at round 5, app-3 answered 404 for its receipt (seed 1)",
    );
    expect(after.mails[0]).toMatch(
      /placed on app-1 at round 4; app-1 was killed the moment it answered\) got no confirmation mail/,
    );
  });
});
