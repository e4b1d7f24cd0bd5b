// Checks for exercise 03: sticky sessions that survive a dead server. Simulated users shop through
// the lb (running the reader's policy) in front of three stateful shops; then one shop is killed.
// The checks read what the users lost: nothing while nothing is broken, and after the kill only
// the dead server's users pay, once (a new login and their cart), and no request fails. The dead
// server comes back, empty, and nobody loses anything more. Then the other two die (the one left
// takes the users of both), then it dies too (the lb answers 503: no backend to give), and all
// three come back (new users are served, spread, again). A cookie naming a backend no longer in
// the pool is tried too, and beside the lb, pick() alone answers for pools the check makes up,
// among them new users arriving once a backend that was down is back (they must reach it too).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { AFFINITY_COOKIE, type Backend } from '../../notebooks/lab/core/policies';
import { ShopClient, type Response } from '../../notebooks/lab/node/client';
import type { SimUser } from '../../notebooks/lab/node/users';
import { createUsers, pinnedPerServer, runRounds } from '../../notebooks/lab/node/workload';
import {
  ask,
  endedSoon,
  unexpected,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  stuckAt,
  stuckGot,
  stuckWhy,
  type ExerciseServer,
  type Stuck,
} from './harness';
import { join } from 'node:path';

const file = exerciseFile('03-stateful-servers');
const fn = 'stickySessions';
const USERS = 90;
const BACKENDS = ['app-1', 'app-2', 'app-3'];
// 5 rounds (log in, browse, add, browse, add), then the lb restarts (a new policy from
// stickySessions(), with nothing in its memory), then 4 more (cart, check out, browse, add), then
// a backend is killed, then 6 more; then it comes back, with empty memory, and 3 more.
const ROUNDS_BEFORE_RESTART = 5;
const ROUNDS_AFTER_RESTART = 4;
const ROUNDS_AFTER_KILL = 6;
const ROUNDS_AFTER_REVIVE = 3;
/** A backend the lb no longer has (scaled in): browsers may still carry a cookie naming it. */
const GONE = 'app-4';
const STALE_USERS = 3;
/** New users who arrive once every backend is back after all of them were down. */
const NEW_AFTER_OUTAGE = 12;

let server: ExerciseServer;
let users: SimUser[] = [];
let lbUrl = '';
/** Far beyond any wait a working lb needs: these waits end on what happens, not on a clock. */
const NO_CLOCK_MS = 600_000;

beforeAll(async () => {
  server = await startExerciseServer(
    join(__dirname, '03-stateful-servers.server.ts'),
    [file],
    file,
    fn,
  );
});

afterAll(() => server?.stop());

const where = () => pointer(file, fn, server.errors());

interface Snapshot {
  losses: SimUser['losses'];
  pinnedTo?: string;
  /** Every backend that has answered this user so far. */
  servedBy: Set<string>;
  /** Which backend answered each request so far, in order (undefined: none did). */
  served: (string | undefined)[];
  statuses: number[];
}
const snapshot = (users: SimUser[]): Snapshot[] =>
  users.map((u) => ({
    losses: { ...u.losses },
    pinnedTo: u.pinnedTo,
    servedBy: new Set(u.log.flatMap((r) => (r.servedBy ? [r.servedBy] : []))),
    served: u.log.map((r) => r.servedBy),
    statuses: u.log.map((r) => r.status),
  }));

interface Scenario {
  /** After the rounds before the lb restarted. */
  calm: Snapshot[];
  /** Users whose lb-backend cookie named GONE, while all three backends were up: what they got,
   *  and what their cookie names after it. */
  stale: { res: Response; pinnedTo?: string }[];
  /** After the rounds after the restart, before the kill. */
  before: Snapshot[];
  victim: string;
  after: Snapshot[];
  /** After the rounds once the victim was back up (empty: its sessions died with it). */
  revived: Snapshot[];
}

let scenario: Promise<Scenario> | undefined;
/** Runs once; every check reads its own facts from the same run. */
const run = () => (scenario ??= play());

async function play(): Promise<Scenario> {
  const lb = await ask(server, '/lb', file, fn);
  lbUrl = (lb.body as { url: string }).url;
  // The users wait for every answer as long as it takes: a busy machine makes the lb slow, and a
  // slow answer is no fault of pick(). A pick() that never returns burns CPU, and the server's
  // watchdog stops it (harness.ts): then every request fails at once, and the check says why.
  users = createUsers(USERS, lbUrl, 3, {
    timeoutMs: NO_CLOCK_MS,
  });
  // Each phase shuffles the users' arrival order its own way: in the same order as before a
  // restart, a policy that forgot every pin would hand out the same backends again by chance.
  let phase = 0;
  const rounds = async (count: number) => {
    const ran = await runRounds(users, {
      rounds: count,
      seed: 3 + phase++,
      deadlineMs: NO_CLOCK_MS,
      beforeRound: async () => {
        if (noAnswers() > 0) await stuck();
      },
    });
    if (noAnswers() > 0) await stuck();
    if (ran < count) throw new Error(`only ${ran} of ${count} rounds ran: a bug in this check`);
  };
  await rounds(ROUNDS_BEFORE_RESTART);
  const calm = snapshot(users);
  const stale: Scenario['stale'] = [];
  for (let i = 0; i < STALE_USERS; i++) {
    const visitor = newVisitor(`stale-${i}`, GONE);
    stale.push({ res: await visit(visitor), pinnedTo: visitor.jar.get(AFFINITY_COOKIE) });
  }
  await control('/restart-lb', 'the lb to restart with a new policy from stickySessions()');
  await rounds(ROUNDS_AFTER_RESTART);
  const before = snapshot(users);
  const pins = pinnedPerServer(users);
  const victim = [...BACKENDS].sort((a, b) => (pins[b] ?? 0) - (pins[a] ?? 0))[0];
  await control(`/kill/${victim}`, `${victim} to be killed and the lb to notice`);
  await rounds(ROUNDS_AFTER_KILL);
  const after = snapshot(users);
  await control(`/revive/${victim}`, `${victim} to start again and the lb to see it up`);
  await rounds(ROUNDS_AFTER_REVIVE);
  return { calm, stale, before, victim, after, revived: snapshot(users) };
}

interface Outage {
  /** The one backend up while the other two were down. */
  live: string;
  /** What each visitor got then: one pinned to each dead backend, and a new user; and what its
   *  lb-backend cookie named after it. */
  twoDown: { who: string; res: Response; pinnedTo?: string }[];
  /** What each visitor got while every backend was down: a new user, and one pinned to each. */
  down: { who: string; res: Response }[];
  /** What new users got once all three backends were back up. */
  back: Response[];
}

let outageRun: Promise<Outage> | undefined;
/** After the scenario: the two others die, then the victim (back up) too, then all three come
 *  back. Runs once. */
const outage = () => (outageRun ??= playOutage());

async function playOutage(): Promise<Outage> {
  const { victim } = await run();
  const others = BACKENDS.filter((b) => b !== victim);
  for (const name of others) {
    await control(`/kill/${name}`, `${name} to be killed and the lb to notice`);
  }
  const twoDown: Outage['twoDown'] = [];
  for (const pin of [...others, undefined]) {
    const visitor = newVisitor(`two-down-${pin ?? 'new'}`, pin);
    const res = await visit(visitor);
    const who = pin ? `a user pinned to ${pin}` : 'a new user';
    twoDown.push({ who, res, pinnedTo: visitor.jar.get(AFFINITY_COOKIE) });
  }
  await control(`/kill/${victim}`, `${victim} to be killed and the lb to notice`);
  const down: Outage['down'] = [];
  for (const pin of [undefined, ...BACKENDS]) {
    const res = await visit(newVisitor(`down-${pin ?? 'new'}`, pin));
    down.push({ who: pin ? `a user pinned to ${pin}` : 'a new user', res });
  }
  for (const name of BACKENDS) {
    await control(`/revive/${name}`, `${name} to start again and the lb to see it up`);
  }
  const back: Response[] = [];
  for (let i = 0; i < NEW_AFTER_OUTAGE; i++) back.push(await visit(newVisitor(`back-${i}`)));
  return { live: victim, twoDown, down, back };
}

/** A browser of its own, with an lb-backend cookie naming `pin` if given. */
function newVisitor(name: string, pin?: string): ShopClient {
  const client = new ShopClient(lbUrl, { clientId: name, timeoutMs: NO_CLOCK_MS });
  if (pin) client.jar.set(AFFINITY_COOKIE, pin);
  return client;
}

/** One look at a product through the lb; no answer at all is explained, as for the users. */
async function visit(client: ShopClient): Promise<Response> {
  const res = await client.get('/products/1');
  if (res.status !== 0) return res;
  const loop = await endedSoon(server);
  if (loop) throw loopLesson(loop);
  throw new Lesson({
    expected: 'an answer from the lb to every request',
    got: `a request through the lb got no answer: ${res.error}`,
    why: 'the lb stopped answering: did pick() crash the process?',
    where: where(),
  });
}

const answered = (res: Response) => `${res.status} ${JSON.stringify(res.body)}`;
/** What the lb answers, and only then, when pick() returns no backend. */
const NO_BACKEND = JSON.stringify({ error: 'no healthy backend' });

/** Requests got no answer: the watchdog stopped a loop in pick(), or the lb process died. */
async function stuck(): Promise<never> {
  const loop = await endedSoon(server);
  if (loop) throw loopLesson(loop);
  throw new Lesson({
    expected: 'an answer from the lb to every request',
    got: `some requests through the lb got no answer: ${[...new Set(errorsOf())].join(', ')}`,
    why: 'the lb stopped answering: did pick() crash the process?',
    where: where(),
  });
}

/** Requests the lb itself never answered (a dead backend gets the user a 502 or 503 from it). */
const noAnswers = () =>
  users.flatMap((u) => u.log.filter((r) => r.status === 0 || r.outcome === 'unknown')).length;
const errorsOf = () =>
  users.flatMap((u) => u.log.flatMap((r) => (r.status === 0 && r.error ? [r.error] : [])));

const loopLesson = (loop: Stuck) =>
  new Lesson({
    expected: 'an answer from the lb to every request',
    got: `pick() ${stuckGot(loop)}, and the lb was stopped`,
    why: `pick() never returned: ${stuckWhy(loop)} The lb runs it for every request.${stuckAt(loop, file)}`,
    where: pointer(file, fn, loop.stack ?? server.errors()),
  });

async function control(path: string, expected: string) {
  let harnessError: Error | undefined;
  try {
    const res = await fetch(`${server.url}${path}`, { method: 'POST' });
    if (!res.ok) {
      // The control server's own failure (a revived shop could not listen again): the check's,
      // not the reader's.
      const text = await res.text();
      if (res.status === 500) harnessError = new Error(`the check could not ${expected}: ${text}`);
      throw new Error(`${res.status} ${text}`);
    }
  } catch (error) {
    if (harnessError) throw harnessError;
    const loop = await endedSoon(server);
    if (loop) throw loopLesson(loop);
    throw new Lesson({
      expected,
      got: String(error),
      why: 'the lb stopped answering: is pick() stuck in a loop?',
      where: where(),
    });
  }
}

const sum = (rows: Snapshot[], key: keyof SimUser['losses']) =>
  rows.reduce((n, r) => n + r.losses[key], 0);

/** Requests that failed (5xx, no connection): what they got, and what the reader's code logged. */
function failures(rows: Snapshot[], since: Snapshot[] = []): string | undefined {
  const failed = sum(rows, 'failed') - sum(since, 'failed');
  if (failed === 0) return undefined;
  const statuses = new Map<number, number>();
  rows.forEach((r, i) => {
    for (const s of r.statuses.slice(since[i]?.statuses.length ?? 0)) {
      if (s >= 500 || s === 0) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
  });
  const seen = [...statuses].map(([s, n]) => `${s === 0 ? 'no answer' : s} ×${n}`).join(', ');
  const thrown = /^\S*Error: .*$/m.exec(server.errors())?.[0];
  return `${failed} requests failed (${seen})${thrown ? `; pick() threw ${thrown}` : ''}`;
}

const whyFailed = () =>
  /Error: TODO/.test(server.errors())
    ? `pick() in ${fn} is not written yet: the starter's TODO is still there (the lb answers 500 when pick() throws)`
    : 'the lb answers 500 when pick() throws and 503 when it returns no backend';

/** Nothing broken yet: every request answered, nobody logged out, each user on one backend. */
function calmProblems(before: Snapshot[]): Lesson | undefined {
  const failed = failures(before);
  if (failed) {
    return new Lesson({
      expected: 'every request answered while all three backends are up',
      got: failed,
      why: whyFailed(),
      where: where(),
    });
  }
  const loggedOut = before.filter((r) => r.losses.forcedLogins > 0).length;
  if (loggedOut > 0) {
    const lostItems = sum(before, 'lostCartItems');
    return new Lesson({
      expected: 'no user logged out while all three backends are up',
      got: `${loggedOut} of ${USERS} users were logged out while nothing was broken (${sum(before, 'forcedLogins')} forced logins, ${lostItems} cart items lost)`,
      why: 'a session lives in the memory of the backend where the user logged in; a request routed to another backend finds no session there (401). Send a user whose request.affinity names a healthy backend back to it.',
      where: where(),
    });
  }
  const unpinned = before.filter((r) => !r.pinnedTo).length;
  if (unpinned > 0) {
    return new Lesson({
      expected: 'every user pinned to a backend by the lb-backend cookie',
      got: `${unpinned} of ${USERS} users have no lb-backend cookie`,
      why: 'the lb sets the cookie only for a policy with pins: true',
      where: where(),
    });
  }
  return undefined;
}

const up = (...specs: [string, number][]): Backend[] =>
  specs.map(([name, inFlight]) => ({ name, healthy: true, inFlight }));
const show = (backends: Backend[]) =>
  backends
    .map((b) => `${b.name} (${b.healthy ? 'up' : 'down'}, ${b.inFlight} in flight)`)
    .join(', ');

/** Users pinned to a healthy backend, in pools other than the lb's: listed in another order, after
 *  a scale-in, with the pinned backend far busier than the others (beyond any spill threshold),
 *  and beside a backend whose name begins with theirs. Each must get their own. */
const PINNED: { backends: Backend[]; affinity: string }[] = [
  ...BACKENDS.map((affinity) => ({
    backends: up(['app-3', 0], ['app-1', 0], ['app-2', 0]),
    affinity,
  })),
  ...['app-3', 'app-1'].map((affinity) => ({ backends: up(['app-1', 0], ['app-3', 0]), affinity })),
  { backends: up(['app-1', 1_000_000], ['app-2', 0], ['app-3', 0]), affinity: 'app-1' },
  { backends: up(['app-1', 2], ['app-2', 250], ['app-3', 1]), affinity: 'app-2' },
  { backends: up(['app-1', 0], ['app-10', 0], ['app-2', 0]), affinity: 'app-10' },
];

/** A user pinned to a backend that is down although it still has requests in flight (a hung
 *  server holds them): they must go to a healthy one. */
const PINNED_TO_DEAD: { backends: Backend[]; affinity: string } = {
  backends: [
    { name: 'app-1', healthy: false, inFlight: 5 },
    { name: 'app-2', healthy: true, inFlight: 0 },
    { name: 'app-3', healthy: true, inFlight: 0 },
  ],
  affinity: 'app-1',
};

/** How new users arrive in unfairArrivals(): one at a time, or with answers still in flight; and
 *  once a backend that was down for the new users before them is back up. */
const ARRIVALS: { depth: number; how: string; revived?: string }[] = [
  { depth: 0, how: 'each after the answer to the one before' },
  { depth: 1, how: 'each while the answer to the one before is still in flight' },
  { depth: 2, how: 'each while the answers to the two before are still in flight' },
  { depth: 0, how: 'each after the answer to the one before', revived: 'app-2' },
];
/** New users who arrive, in unfairArrivals(), while the `revived` backend is still down. */
const BEFORE_REVIVE = 30;

/**
 * pick() alone: 90 new users arriving one after another at a fresh policy, with 0, 1 and 2
 * answers in flight, as on a quiet machine and a busy one; then 90 more at another fresh policy,
 * once a backend that was down for the 30 new users before them is healthy again. The lb's own run
 * above meets whatever timing the machine gives it; this meets each pattern every time. The first
 * unfair one, explained.
 */
async function unfairArrivals(fair: number): Promise<Lesson | undefined> {
  for (const { depth, how, revived } of ARRIVALS) {
    const answer = await ask(server, '/arrivals', file, fn, {
      method: 'POST',
      body: { depth, revived },
    });
    const pool = revived
      ? `(all healthy: ${revived} is back up, after it was down while ${BEFORE_REVIVE} new users arrived before them)`
      : '(all healthy)';
    const expected = `90 new users arriving ${how}, over ${BACKENDS.join(', ')} ${pool}: each backend at least ${fair}`;
    if (answer.status !== 200) return unexpected(answer, expected, file, fn);
    const { pins, stray, at, before } = answer.body as {
      pins?: Record<string, number>;
      stray?: string | null;
      at?: number;
      before?: boolean;
    };
    // A pick that failed while `revived` was down (no backend, or the dead one) is that check's
    // fault to tell ('moves the dead backend's users'), not this one's: these arrivals stop there.
    if (before) continue;
    if (!pins) {
      return new Lesson({
        expected,
        got: `for new user ${at! + 1}, pick() returned ${stray === null ? 'no backend' : `${JSON.stringify(stray)}, not one of the backend objects it was given`}`,
        why: 'a new user needs one of the healthy backends pick() was given, the object itself',
        where: where(),
      });
    }
    if (BACKENDS.every((b) => pins[b] >= fair)) continue;
    const starved = BACKENDS.filter((b) => pins[b] < fair);
    return new Lesson({
      expected,
      got: `users pinned: ${JSON.stringify(pins)}`,
      why: revived
        ? starved.includes(revived)
          ? `${revived} got too few: it was down, and its health checks have put it back in rotation. A backend that is healthy again gets its share of new users at once, like the others: something pick() remembers from when ${revived} was down (a set of backends seen failing, a list of the trusted ones) keeps new users off it though it is up. Decide from healthy as pick() is given it now, not from what a backend was before`
          : `${starved.join(' and ')} got too few once ${revived} was back up: new users are spread over every healthy backend, each taking its turn, ${revived} included`
        : depth === 0
          ? `with nothing in flight every backend is equally idle: new users must take turns (a counter kept outside pick()), or ${starved.join(' and ')} get too few`
          : `${starved.join(' and ')} got too few. With answers in flight at every pick, the same backends are busy each time, so turns taken among the idlest only (idlest[turn % idlest.length]) can land on the same one again and again. Take turns over the whole healthy pool (healthy[turn % healthy.length]), or start the search for the idlest one place further along it each time`,
      where: where(),
    });
  }
  return undefined;
}

/** pick() alone, for the users in PINNED: the first one sent elsewhere, explained. */
async function pinnedElsewhere(): Promise<Lesson | undefined> {
  for (const { backends, affinity } of PINNED) {
    const request = { affinity, clientKey: `pinned-to-${affinity}` };
    const answer = await ask(server, '/pick', file, fn, {
      method: 'POST',
      body: { backends, request },
    });
    const expected = `for a user whose lb-backend cookie names ${affinity}, with the pool ${show(backends)}: ${affinity}, which holds their session and cart`;
    if (answer.status !== 200) return unexpected(answer, expected, file, fn);
    const name = (answer.body as { name: string | null }).name;
    if (name === affinity) continue;
    const chosen = backends.find((b) => b.name === name);
    const pinned = backends.find((b) => b.name === affinity)!;
    const byPosition = backends[Number(/\d+$/.exec(affinity)?.[0]) - 1];
    const loosely = chosen && affinity.toLowerCase().startsWith(chosen.name.toLowerCase());
    return new Lesson({
      expected,
      got: chosen ? show([chosen]) : JSON.stringify(name),
      why:
        chosen && chosen === byPosition
          ? `${chosen.name} is where the number in "${affinity}" points in the list, but a pool may list its backends in any order, and loses some when it scales in: the cookie holds the backend's name, so look it up by name (backends.find((b) => b.name === request.affinity))`
          : loosely
            ? `${chosen.name} is not ${affinity}: "${affinity}" begins with "${chosen.name}", but the cookie names one backend by its whole name, as the lb wrote it. Compare the whole name, exactly (b.name === request.affinity), not its beginning (startsWith) or with the case folded: else a user pinned to ${affinity} lands on ${chosen.name}, where their session is not`
            : chosen && pinned.inFlight > chosen.inFlight
              ? `${affinity} is busier, but the user's session and cart are there and nowhere else: a pinned user stays on their healthy backend however busy it is (chapter 3). Moved, they are logged out and lose their cart`
              : `a user whose request.affinity names a healthy backend goes back to that backend, wherever the pool lists it`,
      where: pointer(file, fn, answer.logged),
    });
  }
  // Users behind one address (an office, a phone network's NAT) share a client key. A new one is
  // given some backend; each of the others goes back to the backend their own cookie names.
  const backends = up(['app-1', 0], ['app-2', 0], ['app-3', 0]);
  const clientKey = 'one-address-for-many-users';
  const newcomer = await ask(server, '/pick', file, fn, {
    method: 'POST',
    body: { backends, request: { clientKey } },
  });
  const given = (newcomer.body as { name?: string | null } | undefined)?.name;
  if (newcomer.status !== 200 || !backends.some((b) => b.name === given)) return undefined; // the checks of new users say why
  for (const affinity of BACKENDS.filter((name) => name !== given)) {
    const answer = await ask(server, '/pick', file, fn, {
      method: 'POST',
      body: { backends, request: { affinity, clientKey } },
    });
    const expected = `for a user whose lb-backend cookie names ${affinity}, behind the same address (client key) as a new user just given ${given}, with the pool ${show(backends)}: ${affinity}, which holds their session and cart`;
    if (answer.status !== 200) return unexpected(answer, expected, file, fn);
    const name = (answer.body as { name: string | null }).name;
    if (name === affinity) continue;
    return new Lesson({
      expected,
      got: JSON.stringify(name),
      why: `the client key is the address a request comes from, and many users can share one (an office, a phone network): it says nothing about which backend holds this user's session. Their lb-backend cookie does, and it is theirs alone: a user whose request.affinity names a healthy backend goes back to that backend, whatever pick() gave another user from the same address`,
      where: pointer(file, fn, answer.logged),
    });
  }
  return undefined;
}

/** pick() alone, for the user in PINNED_TO_DEAD: sent to a healthy backend, or why not. */
async function stuckOnDead(): Promise<Lesson | undefined> {
  const { backends, affinity } = PINNED_TO_DEAD;
  const request = { affinity, clientKey: `pinned-to-dead-${affinity}` };
  const answer = await ask(server, '/pick', file, fn, {
    method: 'POST',
    body: { backends, request },
  });
  const healthy = backends.flatMap((b) => (b.healthy ? [b.name] : []));
  const expected = `for a user whose lb-backend cookie names ${affinity}, with the pool ${show(backends)}: ${healthy.join(' or ')}, a healthy backend`;
  if (answer.status !== 200) return unexpected(answer, expected, file, fn);
  const name = (answer.body as { name: string | null }).name;
  if (name !== null && healthy.includes(name)) return undefined;
  const chosen = backends.find((b) => b.name === name);
  return new Lesson({
    expected,
    got: chosen ? show([chosen]) : name === null ? 'no backend' : JSON.stringify(name),
    why:
      chosen && !chosen.healthy
        ? `${chosen.name}'s health checks fail, so the lb has taken it out of rotation, whatever it still has in flight: a hung server holds requests it will never answer. healthy is the lb's verdict on whether a backend is alive, and the only one: a user pinned to a backend that is not healthy goes to a healthy one (and logs in again there), however many requests the dead one still holds`
        : `a user whose request.affinity names a backend that is not healthy needs another, healthy backend: undefined only when none is healthy`,
    where: pointer(file, fn, answer.logged),
  });
}

/** The backends up when the lb's pick() returned none while `down` alone was down (.server.ts). */
const NO_PICK = 'pick() returned no backend to the lb, although some were healthy:';
const upWhenNoPick = (down: string) =>
  server
    .errors()
    .split('\n')
    .find((line) => line.startsWith(NO_PICK) && line.endsWith(`; down: ${down}`))
    ?.slice(NO_PICK.length)
    .match(/up: (.*);/)?.[1];

describe('exercise 03: sticky sessions that survive a dead server', () => {
  it('keeps each user on one backend while nothing is broken: nobody is logged out', async () => {
    const { calm } = await run();
    const problem = calmProblems(calm);
    if (problem) throw problem;
    const wandering = calm.filter((r) => r.servedBy.size > 1).length;
    if (wandering > 0) {
      throw new Lesson({
        expected: 'every user served by one backend only while nothing is broken',
        got: `${wandering} of ${USERS} users were served by more than one backend`,
        where: where(),
      });
    }
    const elsewhere = await pinnedElsewhere();
    if (elsewhere) throw elsewhere;
  });

  it('spreads new users across all the healthy backends', async () => {
    const { calm: before } = await run();
    const failed = failures(before);
    if (failed) {
      throw new Lesson({
        expected: `${USERS} users spread over ${BACKENDS.join(', ')}`,
        got: failed,
        why: whyFailed(),
        where: where(),
      });
    }
    const pins = Object.fromEntries(
      BACKENDS.map((b) => [b, before.filter((r) => r.pinnedTo === b).length]),
    );
    const fair = USERS / BACKENDS.length / 2;
    if (BACKENDS.some((b) => pins[b] < fair)) {
      throw new Lesson({
        expected: `each backend pinned at least ${fair} of the ${USERS} users`,
        got: `users pinned: ${JSON.stringify(pins)}`,
        why: BACKENDS.every((b) => pins[b] === 0)
          ? 'nobody is pinned: the lb sets the lb-backend cookie only for a policy with pins: true'
          : `a new user has no affinity yet: spread them over every healthy backend (round robin, or the fewest in flight), so each gets its share${BACKENDS.some((b) => pins[b] === USERS) ? ' and no one backend holds everyone' : `: ${BACKENDS.filter((b) => pins[b] < fair).join(' and ')} got too few`}`,
        where: where(),
      });
    }
    const unfair = await unfairArrivals(fair);
    if (unfair) throw unfair;
    // Every backend went down, then all came back: new users must be served again. (Not how they
    // are spread: they come one at a time, with nothing in flight, where a fair policy may send
    // them all to one backend.)
    const { back } = await outage();
    const refused = back.filter((res) => res.status !== 200);
    if (refused.length > 0) {
      const got = [...new Set(refused.map(answered))].join(', ');
      throw new Lesson({
        expected: `once ${BACKENDS.join(', ')} were all down and then all back up, every new user served (200)`,
        got: `${refused.length} of ${NEW_AFTER_OUTAGE} new users got ${got}, with all three backends healthy again`,
        why: refused.every((res) => answered(res) === `503 ${NO_BACKEND}`)
          ? 'pick() returned no backend for a new user although every backend is healthy: something pick() keeps between calls (whose turn it is) was spoiled during the moment no backend was healthy, and it stays spoiled'
          : whyFailed(),
        where: where(),
      });
    }
  });

  it('keeps every user on their backend when the lb restarts: the pin is in the cookie, not in the lb', async () => {
    const { calm, before } = await run();
    const problem = calmProblems(calm);
    if (problem) throw problem;
    const failed = failures(before, calm);
    const moved = before.filter((r, i) => r.pinnedTo !== calm[i].pinnedTo || r.servedBy.size > 1);
    const loggedOut = before.filter((r, i) => r.losses.forcedLogins > calm[i].losses.forcedLogins);
    if (failed || moved.length > 0 || loggedOut.length > 0) {
      throw new Lesson({
        expected:
          'after the lb restarted (a new policy, with nothing in its memory), every user still on their backend, logged in',
        got:
          failed ??
          `${moved.length} of ${USERS} users were moved to another backend, ${loggedOut.length} had to log in again`,
        why: "the lb sends each user's pin back to pick() as request.affinity, from the lb-backend cookie the user's browser keeps. A pin kept in pick()'s own memory (a Map of users, say) is lost when the lb restarts or a second lb takes over: read request.affinity instead",
        where: where(),
      });
    }
  });

  it('when a backend dies, exactly its users log in again (once) and lose their cart; nobody else loses anything', async () => {
    const { before, victim, after } = await run();
    const calm = calmProblems(before);
    if (calm) throw calm;
    const theirs = before.flatMap((r, i) => (r.pinnedTo === victim ? [i] : []));
    const forced = after.map((r, i) => r.losses.forcedLogins - before[i].losses.forcedLogins);
    const lost = after.map((r, i) => r.losses.lostCartItems - before[i].losses.lostCartItems);
    const others = forced.filter((n, i) => n > 0 && !theirs.includes(i)).length;
    const notOnce = theirs.filter((i) => forced[i] !== 1).length;
    const othersLost = lost.filter((n, i) => n > 0 && !theirs.includes(i)).length;
    if (others > 0 || notOnce > 0 || othersLost > 0) {
      throw new Lesson({
        expected: `the ${theirs.length} users pinned to ${victim} log in again exactly once; the other ${USERS - theirs.length} lose nothing`,
        got: [
          others + othersLost > 0 &&
            `${Math.max(others, othersLost)} users of the live backends were logged out or lost cart items`,
          notOnce > 0 && `${notOnce} of ${victim}'s users did not log in again exactly once`,
        ]
          .filter(Boolean)
          .join('; '),
        why: `${victim}'s sessions died with it; the others' sessions are fine where they are. Keep a user on a healthy pinned backend; move a user whose backend is down to one live backend, and keep them there.`,
        where: where(),
      });
    }
    // Then the victim came back up, with empty memory: nothing broke, so nobody may be logged out.
    // (Its former users may still find out now that their cart was lost when it died.)
    const { revived } = await run();
    const failed = failures(revived, after);
    const again = revived.flatMap((r, i) =>
      r.losses.forcedLogins > after[i].losses.forcedLogins ||
      (!theirs.includes(i) && r.losses.lostCartItems > after[i].losses.lostCartItems)
        ? [i]
        : [],
    );
    if (failed || again.length > 0) {
      const sentBack = again.filter((i) =>
        revived[i].served.slice(after[i].served.length).includes(victim),
      ).length;
      throw new Lesson({
        expected: `once ${victim} was up again (with empty memory), nobody logged out, and nobody else losing cart items: ${victim}'s former users stay where they were moved`,
        got:
          failed ??
          `${again.length} users were logged out or lost cart items after ${victim} came back${sentBack > 0 ? `, ${sentBack} of them when they were sent back to ${victim}` : ''}`,
        why: failed
          ? whyFailed()
          : sentBack > 0
            ? `${victim} came back with none of its old sessions: its former users' sessions and carts are now on the backends they were moved to, and their lb-backend cookie names those. Sent back to where they first were, they log in a second time and lose their cart again: keep each user on the healthy backend request.affinity names, not on one remembered from before`
            : `nothing broke after ${victim} came back: keep each user on the healthy backend request.affinity names`,
        where: where(),
      });
    }
  });

  it('moves the dead backend’s users to live backends: no request fails after the lb noticed', async () => {
    const { before, victim, after, stale } = await run();
    const calm = calmProblems(before);
    if (calm) throw calm;
    const failed = failures(after, before);
    const stranded = after.filter((r) => !r.pinnedTo || r.pinnedTo === victim).length;
    if (failed || stranded > 0) {
      const up = failed && /\b503 ×/.test(failed) ? upWhenNoPick(victim) : undefined;
      throw new Lesson({
        expected: `after the lb saw that ${victim} is down, every request answered and every user pinned to a live backend`,
        got: failed ?? `${stranded} users are still pinned to ${victim}, or to nothing`,
        why: up
          ? `the lb answers 503 ${NO_BACKEND} when pick() returns no backend, and pick() returned none although ${up.replace(', ', ' and ')} were healthy: a user whose backend is down, and a new user, need one of the healthy backends; undefined only when none is healthy. An index into the healthy backends must stay below their number (healthy[turn % healthy.length]): counted over the whole pool, it runs past the end of the healthy list once a backend is down`
          : `a user whose request.affinity names a backend that is not healthy needs another, healthy backend: ${victim} is gone`,
        where: where(),
      });
    }
    const onDead = await stuckOnDead();
    if (onDead) throw onDead;
    // A backend removed from the pool (scaled in) is gone as surely as a dead one.
    const strandedStale = stale.filter(
      ({ res, pinnedTo }) =>
        res.status !== 200 || !BACKENDS.includes(res.servedBy ?? '') || pinnedTo !== res.servedBy,
    );
    if (strandedStale.length > 0) {
      const { res, pinnedTo } = strandedStale[0];
      throw new Lesson({
        expected: `a user whose lb-backend cookie names ${GONE}, a backend no longer in the pool, served by a healthy backend and pinned to it`,
        got: `${strandedStale.length} of ${STALE_USERS} such users were not: one got ${answered(res)}${res.servedBy ? ` from ${res.servedBy}` : ''}, and its cookie names ${pinnedTo ?? 'nothing'}`,
        why: `request.affinity can name a backend that is not among the backends pick() is given at all (removed from the pool since the cookie was set): that user has no backend yet, as a new user, and needs a healthy one`,
        where: where(),
      });
    }
    // Two backends down at once: the users of both go to the one left.
    const { live, twoDown, down } = await outage();
    const dead = BACKENDS.filter((b) => b !== live);
    const lost = twoDown.filter(
      ({ res, pinnedTo }) => res.status !== 200 || res.servedBy !== live || pinnedTo !== live,
    );
    if (lost.length > 0) {
      throw new Lesson({
        expected: `with ${dead.join(' and ')} down and ${live} up, users pinned to either dead one, and a new user, served by ${live} (200) and pinned to it`,
        got: lost
          .map(
            ({ who, res, pinnedTo }) =>
              `${who} got ${answered(res)}${res.servedBy ? ` from ${res.servedBy}` : ''}, and its cookie names ${pinnedTo ?? 'nothing'}`,
          )
          .join('; '),
        why: lost.some(({ res }) => answered(res) === `503 ${NO_BACKEND}`)
          ? `pick() returned no backend although ${live} is healthy: a user whose backend is down needs a healthy backend, whichever one it is (the next one in the pool may be down too); undefined only when none is healthy`
          : lost.some(({ res }) =>
                /^backend /.test(String((res.body as { error?: unknown })?.error)),
              )
            ? 'pick() gave the lb a backend that is down: the lb sent the request there, and it failed there (the error names that backend)'
            : whyFailed(),
        where: where(),
      });
    }
    // Every backend down: there is no live backend to move anyone to, and the lb says so (503).
    const wrong = down.filter(({ res }) => answered(res) !== `503 ${NO_BACKEND}`);
    if (wrong.length > 0) {
      throw new Lesson({
        expected: `503 ${NO_BACKEND} from the lb, for a new user and for users pinned to each backend, while ${BACKENDS.join(', ')} are all down`,
        got: wrong.map(({ who, res }) => `${who} got ${answered(res)}`).join('; '),
        why: wrong.some(({ res }) =>
          /^backend /.test(String((res.body as { error?: unknown })?.error)),
        )
          ? 'pick() gave the lb a backend that is down: the lb sent the request there, and it failed there (the error names that backend). With no backend healthy there is none to give: the lb answers 503 "no healthy backend" only when pick() returns undefined'
          : whyFailed(),
        where: where(),
      });
    }
  });
});
