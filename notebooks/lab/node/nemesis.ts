// Chapter 8's nemesis over real servers: it runs the seeded plan (core/hidden-state.ts) against
// a fleet of HTTP servers (processes the caller starts and kills) and records every request.
// Each round: the fleet changes as planned (a killed server dies the moment it confirms an
// order), the clock moves, receipts of the last round's orders are fetched from some server, once
// a minute every clicker clicks "add" several times at once and checks out while the job runs an
// extra time, then every user takes one step of the journey (core/journey.ts, in two tabs), each
// request to whichever server a balancer with no stickiness would pick, and the scheduled job runs
// on every server at once. After the last round, every receipt and every cart is read on every
// server.
// What the nemesis finds does not hang on a few milliseconds of luck. The checkout the other
// tab's add races, and the job's extra run the clickers' checkouts race, are held between their
// look at the cart (or the list of orders) and their write of it (x-test-hold, request-hold.ts)
// until the other side has answered. The checkout a server dies after, and the login before it,
// get a slow network (x-test-hop-ms, mystery-server.ts), so that a write left running after the
// answer is still on its way.
// Seeded: the same seed sends the same requests to the same servers. State: the run's own.
import { SAMPLE_PRODUCT_COUNT } from '../core/catalog';
import { learn, newShopper } from '../core/history';
import {
  BURST_ADDS,
  BURST_ROUND,
  clockAt,
  planFleet,
  ROUNDS,
  ROUNDS_PER_MINUTE,
  shopClockAt,
  USERS,
  type FleetEvent,
  type Run,
  type RunRecord,
} from '../core/hidden-state';
import { nextStep, userRandom, type Planned } from '../core/journey';
import { classify } from '../core/outcomes';
import { seededRandom } from '../core/random';
import { reportedIn, type Operation } from '../core/shopper';

/** A checkout with the other tab's add at the same moment: the checkout is held the first time
 *  it writes a cart it has already looked at (a read of the cart, then a write of it in a second
 *  step), and the add goes out then. The checkout goes on once the add has answered, or after
 *  RACE_WAIT_MS if it has not (an add that waits for the checkout, behind a lock, cannot answer
 *  first). A checkout that takes the cart in one step is never held: the add goes out once it has
 *  answered, and is for the next order. */
export const RACE_WAIT_MS = 3_000;
/** The checkout a server dies after, and the login before it: each of their store round trips
 *  takes this long, a slow network. A write the server left running after its answer never lands
 *  when the server dies as it answers the checkout (x-test-last-answer), and lands after the
 *  customer's next click when it was the login's (x-test-late). */
export const CRASH_HOP_MS = 200;
/** A request held in one store (request-hold.ts): by its token, at its first write of a key of
 *  `table` that it called before. */
interface Hold {
  token: string;
  table: string;
}

/** The fleet the nemesis drives: the caller starts, kills and asks its servers. */
export interface Fleet {
  /** Starts server `name` as a fresh machine: a new process with an empty disk of its own. */
  start(name: string): Promise<void>;
  /** Kills server `name` at once (SIGKILL): what it held in memory or on its disk is gone, and
   *  so is any write it had not finished. */
  kill(name: string): Promise<void> | void;
  /** One request to server `name`; `hopMs`: its store round trips take that long (header
   *  x-test-hop-ms, mystery-server.ts), a slow network for this request alone; `hold`: the
   *  request stops the first time it writes a key of store `table` that it called before, until
   *  released (headers x-test-hold and x-test-hold-table, request-hold.ts; GET /test/held/TOKEN
   *  and POST /test/release/TOKEN on the same server); `busyMayAnswer`: a 503 is an answer ("busy,
   *  try again": a shop whose add waits a while for a lock the held checkout has), not a fault;
   *  `lastAnswer`: the server dies the moment it sends this answer (header x-test-last-answer);
   *  `late`: a store call the request leaves running after its answer lands only once POST
   *  /test/release/LATE on the same server (header x-test-late). */
  request(
    name: string,
    request: {
      method: string;
      path: string;
      body?: unknown;
      sid?: string;
      hopMs?: number;
      hold?: Hold;
      busyMayAnswer?: boolean;
      lastAnswer?: boolean;
      late?: string;
    },
  ): Promise<{ status: number; body: unknown; sid?: string; servedBy?: string }>;
  /** The recipient of every mail the shop sent so far. */
  mails(): string[];
}

/** The shop's clock at round 0 (ms since the epoch): any time would do. */
const CLOCK_START = 1_767_225_600_000;

interface User {
  name: string;
  random: ReturnType<typeof userRandom>;
  shopper: ReturnType<typeof newShopper>;
  sid?: string;
}

export async function runNemesis(fleet: Fleet, seed: number): Promise<Run> {
  const events: FleetEvent[] = planFleet(seed);
  const records: RunRecord[] = [];
  const route = seededRandom(seed * 31 + 7); // the balancer: any live server, no stickiness
  const live: string[] = [];
  const users: User[] = Array.from({ length: USERS }, (_, i) => ({
    name: `user-${i + 1}`,
    random: userRandom(seed, i),
    shopper: newShopper(),
  }));
  const clickers: User[] = Array.from({ length: USERS }, (_, i) => ({
    name: `clicker-${i + 1}`,
    random: userRandom(seed, USERS + i),
    shopper: newShopper(),
  }));
  const orders: RunRecord[] = [];

  /** One request, recorded; `server` is picked before anything is awaited (seeded order).
   *  `sid`: the session it carries (a journey step's is the user's); `hopMs`: a slow network. */
  const send = async (
    round: number,
    kind: RunRecord['kind'],
    user: User,
    server: string,
    op: Operation,
    planned: { productId?: number; path?: string } = {},
    {
      together = false,
      sid = user.sid,
      hopMs,
      hold,
      busyMayAnswer,
      lastAnswer,
      late,
    }: {
      together?: boolean;
      sid?: string;
      hopMs?: number;
      hold?: Hold;
      busyMayAnswer?: boolean;
      lastAnswer?: boolean;
      late?: string;
    } = {},
  ): Promise<RunRecord & { sid?: string }> => {
    const withSession = op !== 'login' && sid !== undefined;
    const [method, path, body] =
      planned.path !== undefined
        ? ['GET', planned.path, undefined]
        : op === 'login'
          ? ['POST', '/login', { user: user.name }]
          : op === 'browse'
            ? ['GET', `/products/${planned.productId}`, undefined]
            : op === 'add'
              ? ['POST', '/cart', { productId: planned.productId }]
              : op === 'cart'
                ? ['GET', '/cart', undefined]
                : ['POST', '/checkout', undefined];
    const answer = await fleet.request(server, {
      method,
      path,
      body,
      sid: op === 'login' ? undefined : sid,
      hopMs,
      hold,
      busyMayAnswer,
      lastAnswer,
      late,
    });
    if (op === 'login' && answer.status === 200 && kind === 'journey') user.sid = answer.sid;
    const fields = (answer.body ?? {}) as {
      priceCents?: number;
      id?: number;
      lines?: RunRecord['lines'];
      items?: RunRecord['lines'];
    };
    const record: RunRecord = {
      user: user.name,
      op,
      outcome: classify({ kind: 'answer', status: answer.status }),
      status: answer.status,
      servedBy: answer.servedBy,
      ...reportedIn(op, answer.status, answer.body),
      round,
      server,
      kind,
    };
    if (planned.productId !== undefined) record.productId = planned.productId;
    if (withSession) record.withSession = true;
    if (together) record.together = true;
    if (op === 'browse' && answer.status === 200) record.priceCents = fields.priceCents;
    if (op === 'checkout' && answer.status === 201) {
      record.orderId = fields.id;
      record.lines = fields.lines;
    }
    // The cart an add or a look at the cart shows: its answer is held to what one server shows.
    if ((op === 'add' || kind === 'final-cart') && answer.status === 200)
      record.lines = fields.items;
    // The last look with the user's own session: which login it came from.
    if (kind === 'final-cart' && withSession) record.sid = sid;
    return op === 'login' ? { ...record, sid: answer.sid } : record;
  };
  const everywhere = (request: { method: string; path: string; body?: unknown; hopMs?: number }) =>
    Promise.all(live.map((server) => fleet.request(server, request)));

  for (let round = 0; round < ROUNDS; round += 1) {
    const starting = events.filter(
      (e): e is Extract<FleetEvent, { kind: 'start' }> => e.round === round && e.kind === 'start',
    );
    await Promise.all(starting.map((e) => fleet.start(e.server))); // the first servers, at once
    live.push(...starting.map((e) => e.server));
    for (const event of events.filter((e) => e.round === round && e.kind !== 'start')) {
      if (event.kind === 'price') {
        // The admin looks at the product on every server, changes its price on one, and looks
        // again everywhere: what the users see from now on is the verdict's business.
        await everywhere({ method: 'GET', path: `/products/${event.productId}` });
        event.via = route.pick(live);
        await fleet.request(event.via, {
          method: 'PUT',
          path: `/products/${event.productId}`,
          body: { priceCents: event.priceCents },
        });
        const admin: User = { name: 'admin', random: userRandom(seed, -1), shopper: newShopper() };
        const { productId } = event;
        records.push(
          ...(await Promise.all(
            live.map((server) =>
              send(round, 'price-check', admin, server, 'browse', { productId }),
            ),
          )),
        );
      } else if (event.kind === 'scale-out') {
        await fleet.start(event.server);
        live.push(event.server);
      } else {
        if (event.kind === 'kill') {
          // Killed the moment it confirms an order: what it wrote before its answer is all there is.
          const crash = await checkoutThenCrash(round, event.server);
          records.push(...crash);
          orders.push(...crash.filter((r) => r.op === 'checkout' && r.status === 201));
        }
        await fleet.kill(event.server); // killed, or stopped for the rolling restart…
        await fleet.start(event.server); // …and replaced by a fresh machine of the same name
      }
    }
    const now = CLOCK_START + clockAt(round);
    await everywhere({ method: 'POST', path: '/test/clock', body: { now } });

    // Receipts of the last round's orders, each from some server.
    const due = orders.splice(0);
    const receipts = due.map((order) => [order, route.pick(live)] as const);
    records.push(
      ...(await Promise.all(receipts.map(([order, server]) => receiptOf(order, server, round)))),
    );

    // Once a minute, every clicker clicks "add" several times at once, each click through
    // whichever server the balancer picks (logging in there first, so that these clicks test
    // the limit and the cart, not the sessions), then checks out through one of them: while the
    // job runs once more, held between its reading the list of orders and anything it writes to
    // that list after.
    if (round % ROUNDS_PER_MINUTE === BURST_ROUND) {
      const bursts = clickers.map(async (clicker) => {
        const plan = Array.from({ length: BURST_ADDS }, () => ({
          server: route.pick(live),
          productId: 1 + clicker.random.int(SAMPLE_PRODUCT_COUNT),
        }));
        const clicks = await Promise.all(
          plan.map(async ({ server, productId }) => {
            const login = await send(round, 'burst', clicker, server, 'login');
            const add = await send(
              round,
              'burst',
              clicker,
              server,
              'add',
              { productId },
              {
                sid: login.sid,
              },
            );
            return [login, add, login.sid] as const;
          }),
        );
        clicker.sid = clicks[0][2]; // for the checkout, and the last look at the cart
        return { clicks, server: plan[0].server };
      });
      const clicked = await Promise.all(bursts);
      const checkOut = (from: number, to: number) =>
        Promise.all(
          clicked.slice(from, to).map(({ server }, i) => {
            const clicker = clickers[from + i];
            return send(round, 'burst', clicker, server, 'checkout', {}, { sid: clicker.sid });
          }),
        );
      // Half of them first, so that the job finds orders to mail; the others while it runs: the
      // job is held on every server at its first write of a list it has read (the list of orders,
      // written back or cleared), and these checkouts go out then. A job that writes back what it
      // read, or clears the list, drops the orders noted in between.
      const half = clicked.length >> 1;
      const before = await checkOut(0, half);
      const ticks = live.map((server) => ({ server, token: `job-${seed}-${round}-${server}` }));
      const job = Promise.all(
        ticks.map(({ server, token }) =>
          fleet.request(server, {
            method: 'POST',
            path: '/test/tick',
            hold: { token, table: 'lists' },
          }),
        ),
      );
      const checkouts = [
        ...before,
        ...(await whileHeld(ticks, () => checkOut(half, clicked.length))),
      ];
      await job;
      for (const [i, { clicks }] of clicked.entries()) {
        records.push(...clicks.flatMap(([login, add]) => [login, add]), checkouts[i]);
        if (checkouts[i].status === 201) orders.push(checkouts[i]);
      }
    }

    // One journey step for every user, all at once.
    const steps = users.map((user) => {
      const planned: Planned[] = nextStep(user.shopper, user.random, 2);
      const together = planned.length > 1;
      // A checkout with the other tab's add at the same moment: the checkout is held between
      // its read of the cart and its write (if it makes two steps of it), and the add goes then.
      const race = together && planned[0].op === 'checkout' && planned[1].op === 'add';
      const servers = planned.map(() => route.pick(live));
      // The add is sent while the checkout is held: a 503 ("busy") is an answer to it then.
      const go = (i: number, hold?: Hold) =>
        send(round, 'journey', user, servers[i], planned[i].op, planned[i], {
          together,
          hold,
          busyMayAnswer: race && i === 1,
        });
      const hold = { token: `race-${seed}-${round}-${user.name}`, table: 'carts' };
      const sent = race
        ? [go(0, hold), whileHeld([{ server: servers[0], token: hold.token }], () => go(1))]
        : planned.map((_, i) => go(i));
      return Promise.all(sent).then((step) => {
        learn(user.shopper, step);
        return step;
      });
    });
    for (const step of await Promise.all(steps)) {
      records.push(...step);
      orders.push(...step.filter((r) => r.op === 'checkout' && r.status === 201));
    }

    // The scheduler runs the job on every server at the same moment.
    await everywhere({ method: 'POST', path: '/test/tick' });
  }

  // Twelve minutes later by the shop's clock (LAST_LOOK_AFTER_MS), the mail job runs once more:
  // what the shop kept for "a day" written in seconds has expired by then; what it keeps for a
  // quarter of an hour or more, or for good, has not.
  await everywhere({
    method: 'POST',
    path: '/test/clock',
    body: { now: CLOCK_START + shopClockAt(ROUNDS) },
  });
  await everywhere({ method: 'POST', path: '/test/tick' });

  // The last look: every receipt and every cart, on every server. Each user asks with the session
  // they have (still logged in, minutes later?), and, should the shop no longer know it, logs in
  // there again: this look is about what the shop holds.
  const placed = records.filter((r) => r.op === 'checkout' && r.status === 201);
  const looks = live.map(async (server) => {
    const found = await Promise.all(placed.map((order) => receiptOf(order, server, ROUNDS)));
    const carts = [...users, ...clickers].map(async (user) => {
      const own =
        user.sid === undefined
          ? undefined
          : await send(ROUNDS, 'final-cart', user, server, 'cart', {}, { sid: user.sid });
      if (own?.status === 200) return [own];
      const login = await send(ROUNDS, 'final-cart', user, server, 'login');
      const cart = await send(ROUNDS, 'final-cart', user, server, 'cart', {}, { sid: login.sid });
      return own ? [own, login, cart] : [login, cart];
    });
    return [...found, ...(await Promise.all(carts)).flat()];
  });
  for (const found of await Promise.all(looks)) records.push(...found);
  // A stranger who knows a session id with a user's name in it writes the next user's name in
  // its place and asks for that user's cart: a shop that lets them in handed out ids anyone can
  // make. An id signed, or with a random part, is refused once its name is changed.
  const tries = users.map((user, i) => {
    const victim = users[(i + 1) % users.length];
    if (user.sid === undefined || !user.sid.includes(user.name)) return undefined;
    return forge(user.sid, user.name, victim.name, live[i % live.length]);
  });
  for (const tried of await Promise.all(tries)) if (tried) records.push(tried);
  return { seed, events, records, mails: fleet.mails() };

  async function forge(sid: string, owner: string, victim: string, server: string) {
    const forged = sid.split(owner).join(victim);
    const answer = await fleet.request(server, { method: 'GET', path: '/cart', sid: forged });
    const record: RunRecord = {
      user: victim,
      op: 'cart', // not a journey step, and not the victim's own session: never folded
      outcome: classify({ kind: 'answer', status: answer.status }),
      status: answer.status,
      servedBy: answer.servedBy,
      round: ROUNDS,
      server,
      kind: 'forgery',
      sid: forged,
      forgedFrom: { sid, user: owner },
    };
    return record;
  }

  /** While the requests of `holds` are held (or, those that were never held, have answered), runs
   *  `during`; lets them go once it has answered, or after RACE_WAIT_MS if it has not. */
  async function whileHeld<T>(
    holds: { server: string; token: string }[],
    during: () => Promise<T>,
  ): Promise<T> {
    const control = ({ server, token }: { server: string; token: string }, what: string) =>
      fleet.request(server, {
        method: what === 'held' ? 'GET' : 'POST',
        path: `/test/${what}/${token}`,
      });
    const held = await Promise.all(holds.map((hold) => control(hold, 'held')));
    const running = during();
    if (held.some((answer) => (answer.body as { held?: boolean } | undefined)?.held)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise((wait) => (timer = setTimeout(wait, RACE_WAIT_MS)));
      await Promise.race([running.catch(() => undefined), waited]);
      clearTimeout(timer);
    }
    await Promise.all(holds.map((hold) => control(hold, 'release')));
    return running;
  }

  /** A customer logs in on `server` and checks out there, both on a slow network, with an add
   *  in between; the nemesis kills the server as the confirmation arrives (the caller replaces
   *  it). */
  async function checkoutThenCrash(round: number, server: string): Promise<RunRecord[]> {
    const customer: User = {
      name: `customer-${round}`,
      random: userRandom(seed, 2 * USERS),
      shopper: newShopper(),
    };
    // The login on the slow network too, and what it leaves running after its answer lands only
    // once the customer's next click has answered: a shop whose login answers before the session
    // is written meets that click without one, however fast or slow the machine.
    const late = `crash-login-${round}`;
    const release = () => fleet.request(server, { method: 'POST', path: `/test/release/${late}` });
    const login = await send(
      round,
      'crash',
      customer,
      server,
      'login',
      {},
      { hopMs: CRASH_HOP_MS, late },
    );
    const productId = 1 + customer.random.int(SAMPLE_PRODUCT_COUNT);
    const add = await send(
      round,
      'crash',
      customer,
      server,
      'add',
      { productId },
      { sid: login.sid },
    ).then(
      async (answer) => (await release(), answer),
      // The add's own failure is the one to report, not the release's after it.
      async (error: unknown) => {
        await release().catch(() => {});
        throw error;
      },
    );
    const checkout = await send(
      round,
      'crash',
      customer,
      server,
      'checkout',
      {},
      {
        sid: login.sid,
        hopMs: CRASH_HOP_MS,
        // The server dies as it sends this answer, so what it had not written by then is lost
        // however late the kill below comes (on a busy machine, later than a slow round trip).
        lastAnswer: true,
      },
    );
    await fleet.kill(server); // the answer is in: nothing the server does from now on happens
    return [login, add, checkout];
  }

  async function receiptOf(order: RunRecord, server: string, round: number): Promise<RunRecord> {
    const answer = await fleet.request(server, {
      method: 'GET',
      path: `/receipts/${order.orderId}`,
    });
    return {
      user: order.user,
      op: 'cart', // not a journey step: never folded (kind 'receipt')
      outcome: classify({ kind: 'answer', status: answer.status }),
      status: answer.status,
      servedBy: answer.servedBy,
      round,
      server,
      kind: 'receipt',
      orderId: order.orderId,
    };
  }
}
