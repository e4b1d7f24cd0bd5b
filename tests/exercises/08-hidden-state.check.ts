// Checks for exercise 08, the capstone: the nemesis on the reader's mystery shop. For each seed,
// a fleet of the reader's servers (each its own process, with a disk of its own, all given the
// same shared homes) runs the seeded plan of notebooks/lab/node/nemesis.ts: two servers, a third
// joins, one is killed and replaced, the admin changes prices, users shop in two tabs and click
// "add" several times at once, a job runs on every server, and every server is restarted, one a
// round. Then the checker (core/hidden-state.ts) holds the history to what one server would have
// done. After the plan, the check adds three moments of its own on the fleet it leaves: the admin
// changes a price while another server is reading that product over a slow network, one user
// clicks "checkout" in two tabs at once, and two users log in from browsers that already carry a
// session id (session fixation). And, outside the fleet, whether a stranger could make the session
// id a login hands out (08-hidden-state.session-ids.ts). Each check is one kind of trouble; its
// message quotes the history, never the fix.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { verdictsOf, type Verdicts } from '../../notebooks/lab/core/hidden-state';
import { runNemesis, type Fleet } from '../../notebooks/lab/node/nemesis';
import { openMailbox } from '../../notebooks/lab/node/mystery-server';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('08-hidden-state');
const fn = 'mysteryShop';
/** The seeds the nemesis runs: each a different plan, users and routing. */
const SEEDS = [1, 2, 3];
const dir = mkdtempSync(join(tmpdir(), 'statelab-08-'));
const running = new Set<ExerciseServer>();
/** Set when the checks are over: a seed still running (another seed failed first) starts no more. */
let over = false;
/** Servers on their way up: the checks end only once each is up and stopped. */
const starting = new Set<Promise<unknown>>();
afterAll(async () => {
  over = true;
  await Promise.allSettled([...starting]);
  for (const server of running) server.stop();
  // A server just stopped may still have its files open for a moment.
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

/** The verdicts of one seed, and what the check's own moments after the plan found. */
interface Found extends Verdicts {
  /** A price read over a slow network while the admin changed it: the old price afterwards. */
  stalePrice: string[];
  /** Two tabs of one user checking out at once: items ordered more often than added. */
  doubleOrder: string[];
  /** A login from a browser that carried a session id: that id kept, or logging them in. */
  fixation: string[];
}

/** The slow network of the read the admin's change comes in the middle of: that read asks the
 *  stores (if it does) at PROBE_HOP_MS, reads the database, and writes (if it does) at twice it;
 *  the change goes out at 1.5 times it, half a slow round trip from either side. */
const PROBE_HOP_MS = 400;

/**
 * The admin sets a price, then sets it again while another server is reading that product over a
 * slow network: the read asked before the second change and answers after it. Once both have
 * answered, every server must show the second price, as one server would: a copy of the product
 * that read wrote back after the change (a cache every server shares, dropped by the change, but
 * filled again by a read that began before it) shows the old price for good.
 */
async function priceDuringRead(fleet: Fleet, seed: number): Promise<string[]> {
  const productId = 1 + (seed % 5);
  const [first, second] = [1_000 + seed, 2_000 + seed];
  const put = (priceCents: number) =>
    fleet.request('app-1', { method: 'PUT', path: `/products/${productId}`, body: { priceCents } });
  await put(first);
  const read = fleet.request('app-2', {
    method: 'GET',
    path: `/products/${productId}`,
    hopMs: PROBE_HOP_MS,
  });
  const change = new Promise((wait) => setTimeout(wait, 1.5 * PROBE_HOP_MS)).then(() =>
    put(second),
  );
  await Promise.all([read, change]);
  const stale: string[] = [];
  let shown: number | undefined;
  for (const server of ['app-1', 'app-2', 'app-3']) {
    const seen = await fleet.request(server, { method: 'GET', path: `/products/${productId}` });
    const price = (seen.body as { priceCents?: number } | undefined)?.priceCents;
    if (seen.status === 200 && price !== second) {
      stale.push(server);
      shown ??= price;
    }
  }
  if (stale.length === 0) return [];
  const servers =
    stale.length === 1 ? stale[0] : `${stale.slice(0, -1).join(', ')} and ${stale.at(-1)}`;
  return [
    `after the last round, the admin set product ${productId} to ${first} cents on app-1, then to ${second} cents, while app-2 was reading it over a slow network (asked before the change, answered after it); once both had answered, ${servers} still showed ${shown} cents (seed ${seed})`,
  ];
}

/** How many items cart or order lines hold (0 for anything that is not lines). */
const qty = (lines: unknown) =>
  Array.isArray(lines)
    ? (lines as { qty?: unknown }[]).reduce((n, line) => n + Number(line.qty ?? 0), 0)
    : 0;

/** The slow network of both checkouts of one cart at once: each reads the cart after two round
 *  trips, and any later step of either comes a round trip after that. */
const TABS_HOP_MS = 100;

/**
 * A user adds two items, then clicks "checkout" in two tabs at the same moment, each through
 * another server. One server would order the two items once, in one order or split between the
 * two: never more items than were added.
 */
async function checkoutInTwoTabs(fleet: Fleet, seed: number): Promise<string[]> {
  const user = `two-tabs-${seed}`;
  const login = await fleet.request('app-1', {
    method: 'POST',
    path: '/login',
    body: { user },
  });
  const sid = login.sid;
  const adds = [];
  for (const [server, productId] of [
    ['app-2', 1],
    ['app-3', 2],
  ] as const) {
    const add = await fleet.request(server, {
      method: 'POST',
      path: '/cart',
      body: { productId },
      sid,
    });
    if (add.status === 200) adds.push(server);
  }
  const tabs = ['app-1', 'app-2'];
  const checkouts = await Promise.all(
    tabs.map((server) =>
      fleet.request(server, { method: 'POST', path: '/checkout', sid, hopMs: TABS_HOP_MS }),
    ),
  );
  const cart = await fleet.request('app-3', { method: 'GET', path: '/cart', sid });
  const orders = checkouts
    .map((answer, i) => ({ answer, server: tabs[i] }))
    .filter(({ answer }) => answer.status === 201)
    .map(({ answer, server }) => {
      const order = answer.body as { id?: number; lines?: unknown };
      return { id: order.id, items: qty(order.lines), server };
    });
  const ordered = orders.reduce((n, order) => n + order.items, 0);
  const inCart = cart.status === 200 ? qty((cart.body as { items?: unknown }).items) : 0;
  if (ordered + inCart <= adds.length) return [];
  const placed = orders.map((o) => `order ${o.id} of ${o.items} on ${o.server}`).join(' and ');
  return [
    `after the last round, ${user} had ${adds.length} adds acknowledged (${adds.join(', ')}), then clicked "checkout" in two tabs at the same moment, on app-1 and app-2: the shop placed ${placed}, and their cart held ${inCart} ${inCart === 1 ? 'item' : 'items'} afterwards: ${ordered + inCart} items for ${adds.length} adds, items ordered more often than they were added (seed ${seed})`,
  ];
}

/**
 * Session fixation: a browser that already carries a session id logs in. One server would hand
 * the login an id of its own, new at this login (rotation on login), and leave the id the
 * browser carried as it was, so that an id someone else knows never opens the account. The ids
 * carried: one the shop handed an earlier login (another user's session, planted in this
 * browser), and one the shop never issued (made up by a stranger who put it there).
 */
async function loginOverPlantedId(fleet: Fleet, seed: number): Promise<string[]> {
  const planter = `planter-${seed}`;
  const earlier = await fleet.request('app-1', {
    method: 'POST',
    path: '/login',
    body: { user: planter },
  });
  const carried: [string | undefined, string][] = [
    [earlier.sid, `the session id "${earlier.sid}" that ${planter} was handed on app-1`],
    [
      `planted-${seed}-${randomBytes(16).toString('hex')}`,
      'a session id the shop never issued, made up and planted there by a stranger',
    ],
  ];
  const found: string[] = [];
  for (const [i, [planted, what]] of carried.entries()) {
    if (planted === undefined) continue; // no id to plant: the other checks say why
    const user = `fixated-${seed}-${i + 1}`;
    const login = await fleet.request('app-2', {
      method: 'POST',
      path: '/login',
      body: { user },
      sid: planted,
    });
    if (login.status !== 200) continue; // a login refused: the other checks say why
    // No new cookie in the answer: the browser goes on sending the one it had.
    const own = login.sid ?? planted;
    const add = await fleet.request('app-3', {
      method: 'POST',
      path: '/cart',
      body: { productId: 1 },
      sid: own,
    });
    // What whoever planted the id sees with it, once the user has shopped: never their cart.
    const seen = await fleet.request('app-1', { method: 'GET', path: '/cart', sid: planted });
    const items = seen.status === 200 ? qty((seen.body as { items?: unknown }).items) : 0;
    const opens = add.status === 200 && items > 0;
    if (own !== planted && !opens) continue;
    const handed =
      login.sid === planted
        ? 'the shop handed that same id back'
        : own === planted
          ? 'the shop handed no new id, so the browser kept that one'
          : `the shop handed a new id, "${login.sid}", yet the carried one was made to log them in too`;
    const shown = opens
      ? `; after their add on app-3, app-1 showed ${user}'s cart (${items} ${items === 1 ? 'item' : 'items'}) to a request carrying "${planted}"`
      : '';
    found.push(
      `after the last round, ${user} logged in on app-2 while their browser carried ${what}: ${handed}${shown}. Whoever planted that id is now logged in as ${user}: session fixation (seed ${seed})`,
    );
  }
  return found;
}

/** One seed's run: a fleet of fresh servers over fresh shared homes. */
async function runSeed(seed: number): Promise<Found> {
  const shared = mkdtempSync(join(dir, `seed-${seed}-`));
  openCatalog(join(shared, 'shop.sqlite')).close(); // the sample products
  const mailbox = openMailbox(shared);
  const servers = new Map<string, ExerciseServer>();
  const fleet: Fleet = {
    async start(name) {
      if (over) throw new Error(`the checks are over: ${name} of seed ${seed} is not started`);
      const started = startExerciseServer(
        join(__dirname, '08-hidden-state.server.ts'),
        [file, shared, name],
        file,
        fn,
      );
      starting.add(started);
      const server = await started.finally(() => starting.delete(started));
      servers.set(name, server);
      running.add(server);
      if (over) server.stop(); // the checks ended while it started
    },
    kill(name) {
      const server = servers.get(name);
      server?.stop();
      if (server) running.delete(server);
    },
    async request(name, { method, path, body, sid, hopMs, hold, busyMayAnswer, lastAnswer, late }) {
      const answer = await ask(servers.get(name)!, path, file, fn, {
        method,
        body,
        headers: {
          ...(sid === undefined ? {} : { cookie: `sid=${sid}` }),
          ...(hopMs === undefined ? {} : { 'x-test-hop-ms': String(hopMs) }),
          ...(hold === undefined
            ? {}
            : { 'x-test-hold': hold.token, 'x-test-hold-table': hold.table }),
          ...(lastAnswer ? { 'x-test-last-answer': '1' } : {}),
          ...(late === undefined ? {} : { 'x-test-late': late }),
        },
      });
      if (answer.status >= 500 && !(busyMayAnswer && answer.status === 503)) {
        throw unexpected(
          answer,
          `an answer from ${name} to ${method} ${path}, not a server error (5xx)`,
          file,
          fn,
        );
      }
      return {
        status: answer.status,
        body: answer.body,
        sid: /sid=([^;]+)/.exec(answer.headers['set-cookie'] ?? '')?.[1],
        servedBy: answer.headers['x-served-by'],
      };
    },
    mails: () => mailbox.recipients(),
  };
  try {
    const verdicts = verdictsOf(await runNemesis(fleet, seed));
    // After the plan, on the fleet it leaves (app-1 to app-3), three moments of its own.
    const stalePrice = await priceDuringRead(fleet, seed);
    const doubleOrder = await checkoutInTwoTabs(fleet, seed);
    const fixation = await loginOverPlantedId(fleet, seed);
    return { ...verdicts, stalePrice, doubleOrder, fixation };
  } finally {
    for (const name of servers.keys()) fleet.kill(name) as void;
    mailbox.close();
  }
}

/** The nemesis runs once on every seed; each check reads its part of the verdicts. */
let verdicts: Promise<Found[]> | undefined;
const allVerdicts = () => {
  // The seeds at once: each its own fleet and shared folder. Most of a run is waiting for
  // answers, so three fleets take little longer than one.
  verdicts ??= Promise.all(SEEDS.map(runSeed));
  return verdicts;
};

/** Fails with the history's evidence when any seed found trouble of this kind. */
async function expectNone(
  pick: (v: Found) => string[],
  expected: string,
  why: string,
  /** What the check's own moments after the plan found of this kind: quoted after the plan's. */
  after: (v: Found) => string[] = () => [],
): Promise<void> {
  const all = await allVerdicts();
  const found = [...all.flatMap(pick), ...all.flatMap(after)];
  if (found.length === 0) return;
  const shown = found.slice(0, 3).map((line) => `\n            ${line}`);
  const more = found.length > 3 ? `\n            …and ${found.length - 3} more like these` : '';
  throw new Lesson({
    expected,
    got: `${found.length} time${found.length === 1 ? '' : 's'} it did not:${shown.join('')}${more}`,
    why,
    where: pointer(file, fn),
  });
}

/**
 * Whether a stranger could make the session id a login hands out: two fresh instances of the
 * reader's module, in one process, with Math.random() a constant and the clock standing still,
 * each log the same user in at the same moment (08-hidden-state.session-ids.ts). Every input a
 * stranger could know or try is the same for both: only a secret (crypto.randomBytes) tells the
 * two ids apart.
 */
async function sessionIdsFromKnownThings(): Promise<void> {
  const probe = await startExerciseServer(
    join(__dirname, '08-hidden-state.session-ids.ts'),
    [file],
    file,
    fn,
  );
  try {
    const answer = await ask(probe, '/session-ids', file, fn);
    if (answer.status !== 200) {
      throw unexpected(answer, 'two logins, each answered with a session id', file, fn);
    }
    const { sids, read } = answer.body as { sids: (string | undefined)[]; read?: string };
    const [first, second] = sids;
    if (first === undefined || first !== second) return; // no id at all: the nemesis says why
    throw new Lesson({
      expected:
        'two different session ids from two logins of the same user: two fresh copies of the shop (its module loaded twice, in one process) over homes of their own, each logging "alice" in at the same moment',
      got: `the same session id from both, "${first}", with Math.random() returning 0.5 every time and the clock standing still: whoever knows or tries what went into it makes the same id, and is let in as that user`,
      why: 'the session id is derived from things an attacker can know: the user, the time, Math.random or a counter (or the process id). Math.random() is no secret: a few of its numbers give away the ones it gives next; a hash of guessable things is as guessable as they are. Use crypto.randomBytes or crypto.randomUUID (homes.newId() does): an id nothing an attacker knows can compute',
      where: pointer(file, fn, read),
    });
  } finally {
    probe.stop();
  }
}

describe('exercise 08: the nemesis finds no hidden state in the shop', () => {
  it('nobody is logged out: a session made on one server is known on every server, through kills and restarts, by an id nobody can guess', async () => {
    await expectNone(
      (v) => [...v.loggedOut, ...v.sessionIds],
      'a logged-in user to stay logged in, whichever server answers and whichever servers died, with a session id of their own that nobody could guess, new at every login',
      "one server forgot a user that another had logged in, or a server forgot them when it was replaced: ask of each thing the login learns which process or disk holds it, and whether the next server to answer has that process or disk. Or the login answered before what it wrote had landed, so the very next click found nothing. Or the session id itself was one a stranger could know: the same for two logins, made from another user's id by changing the name in it, short enough to try, or a few characters away from the ids before it (counted, or read off a clock), so that whoever has one tries its neighbours. Or the login kept the session id the browser already carried: then whoever put that id there (one they were handed, or one they made up) shares the account once the user logs in. That is session fixation: does every login hand out an id that nobody had before it (rotation on login), whatever the browser sent? Or, at the last look (minutes after the last round by the shop's clock), the session had expired: how long is it kept, and is that written in the unit the store takes (milliseconds)?",
      (v) => v.fixation,
    );
    await sessionIdsFromKnownThings();
  });

  it('no acknowledged cart item is lost, with two tabs adding at once, and every server shows the same cart', () =>
    expectNone(
      (v) => v.lostItems,
      'every add the shop answered 200 to, in the cart or in an order, and ordered once only, as on one server answering one request at a time',
      "an item the shop acknowledged vanished, or a cart the shop showed was not the cart it had. Did it vanish when a server died (then it lived in that server), or when two requests of one user ran at once (then two writers each read the cart, and the second write, an add's or a checkout's, did not include the first one's item)? Did an add answer with a cart only that server knew (then the answer was built from a copy)? Or did the items vanish at a checkout, with no kill and no other tab at that moment (then the checkout emptied the cart without ordering what it held: what does the step that empties it give back? A store's update resolves to the value it wrote, not the one it read)? Or were items ordered twice, by two checkouts of one cart at the same moment (then each read the cart before the other had emptied it, and each ordered what it read)? Or were they gone only at the last look, minutes after the last round by the shop's clock (then the cart expired: how long is it kept, and in which unit)? The rounds in the evidence tell which",
      (v) => v.doubleOrder,
    ));

  it('a user gets the rate limit, however many servers there are and whichever of them restarted', () =>
    expectNone(
      (v) => v.rateLimit,
      'at most the limit of adds accepted per user and minute, as one server would count them, a refusal (429) only once the limit is reached, and nothing of a refused add in the cart',
      'More adds accepted than the limit: it was counted more than once: each server counting its own share (more servers, more adds), or a count that started again after a restart, or two adds at once both reading the old count. A refusal with fewer accepted: the count did not start again with the new minute (does its key, or its expiry, say which minute it counts? an expiry renewed by every add never comes while the adds do). A refused add in a cart or an order: the add changed the cart before it knew it would be refused. Where is the count kept, who else sees it, and what does an add do before it is counted?',
    ));

  it('a price changed through one server is the price every server shows at once', () =>
    expectNone(
      (v) => v.stalePrices,
      "the admin's new price on every server, from the moment the change was answered",
      'some server showed the old price after the change: it answered from a copy it kept. Which copies of the catalogue are there, and which of them did the change reach? And if the change reached a copy, could a read that began before it, with the old price in hand, write that copy again after it?',
      (v) => v.stalePrice,
    ));

  it('a receipt can be fetched from any server, also after the server that wrote it was replaced', () =>
    expectNone(
      (v) => v.missingReceipts,
      'the receipt of every order the shop confirmed, from any server, for as long as the run lasts',
      'the receipt was only where the server that wrote it could read it, and a replaced server comes back as a fresh machine; or it was still on its way when the server died, right after it answered; or it was kept for a while only, and had expired when it was asked for (a receipt that a server other than its writer had served was where every server reads it: the death of a server did not lose it). Where does the checkout write it, for how long, and does the answer wait for that write?',
    ));

  it("every order's confirmation mail is sent exactly once, though the job runs on every server", () =>
    expectNone(
      (v) => v.mails,
      'one confirmation mail per order, whatever the number of servers running the job, and whatever restarted',
      'the job runs on every server, once a minute, at the same moment. A mail sent twice: more than one server decided it was theirs to send, each by what it alone remembered, or by a mark that had expired by the next run of the job (an order stays on the list: its mark must outlast it). A mail never sent: the order was noted where the job could not find it, or its note was lost on the way: two checkouts at once each read the list of orders to mail and wrote it back with only their own order added, so the later write overwrote the earlier note (a lost update); or the job itself wrote the list back, or cleared it, after reading it, and so dropped the orders noted in between (the clickers check out while the job runs)',
    ));
});
