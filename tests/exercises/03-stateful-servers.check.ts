// Checks for exercise 03: sticky sessions that survive a dead server. Simulated users shop through
// the lb (running the reader's policy) in front of three stateful shops; then one shop is killed.
// The checks read what the users lost: nothing while nothing is broken, and after the kill only
// the dead server's users pay, once (a new login and their cart), and no request fails.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SimUser } from '../../notebooks/lab/node/users';
import { createUsers, pinnedPerServer, runRounds } from '../../notebooks/lab/node/workload';
import {
  ask,
  endedSoon,
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
// a backend is killed, then 6 more.
const ROUNDS_BEFORE_RESTART = 5;
const ROUNDS_AFTER_RESTART = 4;
const ROUNDS_AFTER_KILL = 6;

let server: ExerciseServer;
let users: SimUser[] = [];
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
  statuses: number[];
}
const snapshot = (users: SimUser[]): Snapshot[] =>
  users.map((u) => ({
    losses: { ...u.losses },
    pinnedTo: u.pinnedTo,
    servedBy: new Set(u.log.flatMap((r) => (r.servedBy ? [r.servedBy] : []))),
    statuses: u.log.map((r) => r.status),
  }));

interface Scenario {
  /** After the rounds before the lb restarted. */
  calm: Snapshot[];
  /** After the rounds after the restart, before the kill. */
  before: Snapshot[];
  victim: string;
  after: Snapshot[];
}

let scenario: Promise<Scenario> | undefined;
/** Runs once; every check reads its own facts from the same run. */
const run = () => (scenario ??= play());

async function play(): Promise<Scenario> {
  const lb = await ask(server, '/lb', file, fn);
  // The users wait for every answer as long as it takes: a busy machine makes the lb slow, and a
  // slow answer is no fault of pick(). A pick() that never returns burns CPU, and the server's
  // watchdog stops it (harness.ts): then every request fails at once, and the check says why.
  users = createUsers(USERS, (lb.body as { url: string }).url, 3, {
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
  await control('/restart-lb', 'the lb to restart with a new policy from stickySessions()');
  await rounds(ROUNDS_AFTER_RESTART);
  const before = snapshot(users);
  const pins = pinnedPerServer(users);
  const victim = [...BACKENDS].sort((a, b) => (pins[b] ?? 0) - (pins[a] ?? 0))[0];
  await control(`/kill/${victim}`, `${victim} to be killed and the lb to notice`);
  await rounds(ROUNDS_AFTER_KILL);
  return { calm, before, victim, after: snapshot(users) };
}

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
  try {
    const res = await fetch(`${server.url}${path}`, { method: 'POST' });
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  } catch (error) {
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
          : 'a new user has no affinity yet: spread them (round robin, or the fewest in flight) so no one backend holds everyone',
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
  });

  it('moves the dead backend’s users to live backends: no request fails after the lb noticed', async () => {
    const { before, victim, after } = await run();
    const calm = calmProblems(before);
    if (calm) throw calm;
    const failed = failures(after, before);
    const stranded = after.filter((r) => !r.pinnedTo || r.pinnedTo === victim).length;
    if (failed || stranded > 0) {
      throw new Lesson({
        expected: `after the lb saw that ${victim} is down, every request answered and every user pinned to a live backend`,
        got: failed ?? `${stranded} users are still pinned to ${victim}, or to nothing`,
        why: `a user whose request.affinity names a backend that is not healthy needs another, healthy backend: ${victim} is gone`,
        where: where(),
      });
    }
  });
});
