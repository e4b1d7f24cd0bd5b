// Checks for exercise 02: the reader's policy runs inside the lab's real load balancer, in front
// of real backends: app-1 down, app-2 slow, app-3 fast, listed in two orders. Beside them, the
// policy alone answers for pools the check makes up. Only behaviour is checked, so any correct
// design passes.
//
// What the exercise teaches, one check each (the manifest lists them as its behaviours): a
// backend that is down gets nothing (even with requests still in flight); of the healthy ones,
// one with the fewest requests in flight is chosen, wherever the pool lists it; so a slow
// backend, busy longer, gets fewer requests; and with no healthy backend pick() returns
// undefined and the lb answers 503.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Backend } from '../../notebooks/lab/core/policies';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type Answer,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('02-many-servers');
const fn = 'healthyLeastConnections';
const entry = join(__dirname, '02-many-servers.server.ts');
const SCENARIOS = ['slow-first', 'slow-last', 'all-down', 'pick'] as const;
const servers = new Map<(typeof SCENARIOS)[number], ExerciseServer>();

beforeAll(async () => {
  await Promise.all(
    SCENARIOS.map(async (scenario) =>
      servers.set(scenario, await startExerciseServer(entry, [file, scenario], file, fn)),
    ),
  );
});

afterAll(() => {
  for (const server of servers.values()) server.stop();
});

/** What the server logs when the LB's pick() returned a copy or a Promise, or changed inFlight
 *  or healthy (.server.ts). */
const COPIED = 'pick() returned an object that is not one of the backends it was given:';
const CHANGED = 'pick() changed inFlight, the lb count, of';
const ASYNC = 'pick() returned a Promise, not a backend:';
const EJECTED = 'pick() changed healthy, the lb health checks, of';
const REORDERED = "pick() reordered the lb's list of backends,";
const MARKS = [COPIED, CHANGED, ASYNC, EJECTED, REORDERED];
const loggedAfter = (mark: string, text: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(mark))
    ?.slice(mark.length)
    .trim();
/** The answer without those lines: they are the check's, not an error the reader's code threw. */
const withoutMarks = (answer: Answer): Answer => ({
  ...answer,
  logged: answer.logged
    .split('\n')
    .filter((line) => !MARKS.some((mark) => line.startsWith(mark)))
    .join('\n'),
});
/** Resolves after a few turns of the server's event loop: what it logged has come by then. */
const turns = (server: ExerciseServer, count = 3) =>
  new Promise<void>((resolve) => {
    const since = server.beats();
    const stop = server.onBeat(() => {
      if (server.beats() - since < count) return;
      stop();
      resolve();
    });
    void server.ended.then(() => (stop(), resolve()));
  });

/** Why pick() may return undefined although a backend is healthy. */
const NO_FEWEST =
  ' Is the fewest in flight taken over the healthy backends only (a dead backend may have fewer than any healthy one), and is it a number (Math.min(...counts), spread: Math.min of an array is NaN)?';

/** Why pick() must not reorder the list it is given. */
const reorderedWhy = (reordered: string) =>
  `pick() reordered the list of backends it was given (${reordered}): that list is the lb's own, not a copy, and sort() and reverse() change the array they are called on. The lb's pool is in the order its configuration lists it, for every later request and for whoever reads it; pick() must only read it. To find the least busy, sort a copy ([...backends].sort(...)) or walk the list (a loop, or reduce)`;
/** Why pick() changing inFlight is wrong, if the LB's pick() did. */
const changedWhy = (changed: string) =>
  `pick() changed inFlight, of ${changed}: that is the lb's own count of the requests it has sent a backend and not yet had answered. The lb adds 1 when it forwards a request and takes 1 away when the answer comes, so pick() must only read it: written by pick() too, the counts drift up with every request and no longer say which backend is busy`;

/** Why pick() changing healthy is wrong, if it did. */
const ejectedWhy = (ejected: string) =>
  `pick() changed healthy, of ${ejected}: that is the lb's own verdict, from its health checks, on whether a backend is alive. A busy backend is alive and still in rotation; pick() must only read healthy. Written by pick(), it takes a live backend out of rotation for every later request, until the health checks bring it back (with every live one taken out, the lb answers 503 "no healthy backend"). To send less to a busy backend, choose another one for this request: that is what the fewest in flight does`;

/** Why a backend that is down must get nothing, although it still has requests in flight. */
const inFlightNotAlive = (b: Backend) =>
  `${b.name}'s health checks failed, so the lb has marked it down, whatever it still has in flight: ${b.inFlight === 1 ? 'the request it holds was' : `the ${b.inFlight} requests it holds were`} sent before, and a hung or dying server holds requests it will never answer (the lb waits for them until its timeout). Requests in flight do not make a backend alive: healthy is the lb's verdict on that, and the only one. Leave out every backend that is not healthy, however few requests it has in flight, then take the fewest in flight among the rest (undefined when none is left)`;

/** Why a Promise from pick() is wrong. */
const ASYNC_WHY =
  'pick() must be synchronous: the lb calls it for every request and routes to the backend it returns, there and then. An async pick() returns a Promise, which is not one of the backends, so the lb has nowhere to send the request and answers 503 "no healthy backend". Drop the async: everything pick() needs (healthy, inFlight) is in the backends it is given';

/**
 * An LB answer that is not a 200 from app-2 or app-3, explained: a 503 "no healthy backend" means
 * pick() gave the LB no backend of its own (undefined, or a copy), although two are healthy.
 */
async function notForwarded(lb: ExerciseServer, answer: Answer, expected: string) {
  const noBackend =
    answer.status === 503 && (answer.body as { error?: unknown }).error === 'no healthy backend';
  if (!noBackend) return unexpected(withoutMarks(answer), expected, file, fn);
  await turns(lb);
  const copied = loggedAfter(COPIED, lb.errors());
  const ejected = loggedAfter(EJECTED, lb.errors());
  return new Lesson({
    expected: '200 from app-2 or app-3: both are healthy, so pick() has a backend to give the lb',
    got: `${answer.status} ${JSON.stringify(answer.body)}`,
    why:
      loggedAfter(ASYNC, lb.errors()) !== undefined
        ? ASYNC_WHY
        : copied
          ? `pick() returned ${copied}: a copy, not one of the backend objects it was given. The lb looks for the object pick() returns among its own backends (the object itself, not its name), finds none, and answers 503 "no healthy backend". Return the backend itself, as it was given (healthy.find(...)), not a copy ({ ...backend })`
          : ejected
            ? ejectedWhy(ejected)
            : `the lb answers 503 "no healthy backend" when pick() returns undefined, which is only for a pool with no healthy backend.${NO_FEWEST}`,
    where: pointer(file, fn),
  });
}

/** Which backend answered, when the LB forwarded the request and got a 200. */
const serverOf = (answer: Answer) =>
  answer.status === 200 ? (answer.body as { server?: string }).server : undefined;

const POOL_ORDER = {
  'slow-first': 'app-1 (down), app-2 (slow), app-3 (fast)',
  'slow-last': 'app-1 (down), app-3 (fast), app-2 (slow)',
};

/** Every order of `items`. */
const orders = <T>(items: T[]): T[][] =>
  items.length <= 1
    ? [items]
    : items.flatMap((item, i) =>
        orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
      );

const pool = (...specs: [string, boolean, number][]): Backend[] =>
  specs.map(([name, healthy, inFlight]) => ({ name, healthy, inFlight }));
const show = (backends: Backend[]) =>
  backends
    .map((b) => `${b.name} (${b.healthy ? 'up' : 'down'}, ${b.inFlight} in flight)`)
    .join(', ');

describe('exercise 02: least connections over healthy backends', () => {
  it('never routes a request to app-1, which is down', async () => {
    for (const scenario of ['slow-first', 'slow-last'] as const) {
      // One client, one request at a time: app-2 answers it at once (it holds a request only
      // while another client could still send one), so a request it gets is not a wait of seconds.
      await ask(servers.get(scenario)!, '/clients-left/1', file, fn, { method: 'POST' });
      for (let i = 0; i < 6; i++) {
        const answer = await ask(servers.get(scenario)!, '/products', file, fn);
        const server = serverOf(answer);
        if (server !== 'app-2' && server !== 'app-3') {
          throw await notForwarded(
            servers.get(scenario)!,
            answer,
            '200 from app-2 or app-3: app-1 is down (healthy is false), so it must get nothing',
          );
        }
      }
      await ask(servers.get(scenario)!, '/clients-left/4', file, fn, { method: 'POST' }); // as before
    }
  });

  it('picks a healthy backend with the fewest requests in flight, in whatever order the pool lists them', async () => {
    const pools = [
      pool(['a', true, 3], ['b', true, 0], ['c', true, 5]),
      pool(['a', true, 2], ['b', true, 1], ['c', true, 4], ['d', true, 2]),
      pool(['a', false, 0], ['b', true, 2], ['c', true, 1]),
      pool(['a', true, 0], ['b', true, 0], ['c', false, 0]),
      pool(['a', true, 10], ['b', true, 9], ['c', true, 12]),
      // Every healthy backend very busy: still the least busy of them, not undefined (a busy
      // backend is still in rotation; only a failed health check takes it out).
      pool(['b', true, 100], ['d', true, 250]),
      pool(['d', true, 250], ['e', false, 0], ['b', true, 100]),
      // e is down with requests still in flight, fewer than any healthy backend has: sent before
      // its health checks failed, they may never be answered. In flight is not alive.
      pool(['b', true, 3], ['e', false, 1], ['d', true, 2]),
      pool(['d', true, 7], ['e', false, 6], ['b', true, 9]),
      // a was down above: the health checks have brought it back, and it is the idlest.
      pool(['a', true, 0], ['b', true, 2], ['d', true, 1]),
      // A pool of one: it too is chosen only while it is healthy (below, when it is down).
      pool(['b', true, 4]),
    ];
    // Then pools with no healthy backend (in the second, e still has requests in flight), and
    // after them pools with healthy ones again: the policy must go on choosing after a call that
    // had nothing to choose from.
    const none = [
      pool(['a', false, 0], ['b', false, 0]),
      pool(['a', false, 0], ['e', false, 2]),
      pool(['a', false, 0]),
    ];
    const after = [
      pool(['a', true, 1], ['b', true, 0], ['d', true, 2]),
      pool(['a', true, 1], ['b', true, 2], ['d', true, 0]),
    ];
    const wasDown = new Set<string>();
    let hadNone = false;
    for (const backends of [
      ...pools.flatMap((p) => orders(p)),
      ...none,
      ...after.flatMap(orders),
    ]) {
      const answer = await ask(servers.get('pick')!, '/pick', file, fn, {
        method: 'POST',
        body: { backends },
      });
      const healthy = backends.filter((b) => b.healthy);
      if (healthy.length === 0) {
        const name = (answer.body as { name?: unknown } | undefined)?.name;
        const busyDead = backends.find((b) => b.name === name && b.inFlight > 0);
        if (answer.status === 200 && busyDead) {
          throw new Lesson({
            expected: `for the pool ${show(backends)}: pick() to return undefined, no backend is healthy`,
            got: show([busyDead]),
            why: inFlightNotAlive(busyDead),
            where: pointer(file, fn),
          });
        }
        if (answer.status !== 200 || name !== null) {
          throw unexpected(
            answer,
            `pick() to return undefined: no backend is healthy in the pool ${show(backends)}`,
            file,
            fn,
          );
        }
        hadNone = true;
        continue;
      }
      if (answer.status !== 200)
        throw unexpected(answer, `pick() to choose one of ${show(backends)}`, file, fn);
      const fewest = Math.min(...healthy.map((b) => b.inFlight));
      const { name, copy, earlier, thenable, changed, ejected, reordered } = answer.body as {
        name: string | null;
        copy?: true;
        earlier?: true;
        thenable?: true;
        changed?: string[];
        ejected?: string[];
        reordered?: string;
      };
      if (thenable) {
        throw new Lesson({
          expected: `for the pool ${show(backends)}: one of those backends, with ${fewest} in flight`,
          got: 'a Promise (pick() is async)',
          why: ASYNC_WHY,
          where: pointer(file, fn),
        });
      }
      if (reordered && !changed && !ejected) {
        throw new Lesson({
          expected: `for the pool ${show(backends)}: one of those backends, with ${fewest} in flight, and the pool as it was given`,
          got: `pick() reordered the pool, ${reordered}`,
          why: reorderedWhy(reordered),
          where: pointer(file, fn),
        });
      }
      if (changed || ejected || copy) {
        throw new Lesson({
          expected: `for the pool ${show(backends)}: one of those backends, as it was given, with ${fewest} in flight, and every inFlight and healthy as it was`,
          got: changed
            ? `pick() changed inFlight of ${changed.join(', ')}`
            : ejected
              ? `pick() changed healthy of ${ejected.join(', ')}`
              : earlier
                ? `${name} from the pool pick() was given in an earlier call, not one of the backends it was given in this one`
                : `a copy of ${name}, not the backend itself`,
          why: changed
            ? changedWhy(changed.join(', '))
            : ejected
              ? ejectedWhy(ejected.join(', '))
              : earlier
                ? "pick() returned a backend object it kept from an earlier call (a list of the healthy ones worked out once, say). The lb's pool changes between calls: health checks fail and pass, backends are added and removed, in-flight counts go up and down. So which backends are healthy, and which is least busy, is read afresh from the backends each call is given, and the one returned is one of those, the object itself: the lb looks for it among its own backends, and one it no longer has matches none"
                : 'the lb looks for the object pick() returns among its own backends (the object itself, not its name): a copy ({ ...backend }) matches none, and the lb answers 503 "no healthy backend". Return the backend as it was given',
          where: pointer(file, fn),
        });
      }
      const chosen = backends.find((b) => b.name === name);
      if (!chosen || !chosen.healthy || chosen.inFlight !== fewest) {
        const skipped = healthy.filter((b) => b.inFlight === fewest && wasDown.has(b.name));
        throw new Lesson({
          expected: `for the pool ${show(backends)}: a healthy backend with ${fewest} in flight`,
          got: chosen ? show([chosen]) : `${JSON.stringify(name)}`,
          why: !chosen
            ? hadNone
              ? 'pick() must return one of the backends it was given (undefined only when none is healthy). It chose one for pools like this before, but not since it was given a pool with no healthy backend: that call left the policy unable to choose, so the lb would answer 503 for good, even once the backends are back'
              : fewest >= 100
                ? 'pick() must return one of the backends it was given (undefined only when none is healthy), however busy they all are: a busy backend is still in rotation (only a failed health check takes one out), and least connections sends the request to the least busy one. Turning it away is another policy (load shedding), not this one'
                : `pick() must return one of the backends it was given (undefined only when none is healthy).${NO_FEWEST}`
            : !chosen.healthy
              ? chosen.inFlight > 0
                ? inFlightNotAlive(chosen)
                : 'a backend whose health check failed must get nothing, however idle it looks'
              : skipped.length > 0
                ? `${skipped.map((b) => b.name).join(' and ')} was down in an earlier call and is healthy in this one: the lb's health checks have put it back in rotation, so pick() must take it like any other (healthy is what the pool says now, on every call)`
                : 'leave out the unhealthy backends, then take one with the fewest in flight: compare inFlight, wherever the backend is in the list (the first or the last one is not the least busy by position)',
          where: pointer(file, fn),
        });
      }
      for (const b of backends) if (!b.healthy) wasDown.add(b.name);
    }
  });

  it('sends most requests to the idle backend while the slow one is busy, whichever comes first in the pool', async () => {
    for (const scenario of ['slow-first', 'slow-last'] as const) {
      // 4 clients, each sending its next request when its last one is answered: 40 in all.
      const lb = servers.get(scenario)!;
      const served: Record<string, number> = {};
      let sending = 4;
      const client = async () => {
        for (let i = 0; i < 10; i++) {
          const answer = await ask(lb, '/products', file, fn);
          const server = serverOf(answer);
          if (server !== 'app-2' && server !== 'app-3') {
            throw await notForwarded(lb, answer, '200 from app-2 or app-3 (app-1 is down)');
          }
          served[server] = (served[server] ?? 0) + 1;
        }
        // Done: app-2 must not wait for this client's next request (see the .server.ts).
        sending -= 1;
        await ask(lb, `/clients-left/${sending}`, file, fn, { method: 'POST' });
      };
      await Promise.all([client(), client(), client(), client()]);
      await ask(lb, '/clients-left/4', file, fn, { method: 'POST' }); // ready for another round
      const toSlow = served['app-2'] ?? 0;
      await turns(lb); // what pick() logged has come
      const ejected = loggedAfter(EJECTED, lb.errors());
      if (toSlow > 15) {
        const changed = loggedAfter(CHANGED, lb.errors());
        throw new Lesson({
          expected: `with the pool ${POOL_ORDER[scenario]}: at most 15 of 40 requests to app-2, which is slow and so usually busy`,
          got: `app-2 got ${toSlow}, app-3 got ${served['app-3'] ?? 0}`,
          why: changed
            ? changedWhy(changed)
            : ejected
              ? ejectedWhy(ejected)
              : 'app-2 holds each request while app-3 answers twenty, so app-2 has more in flight: pick the backend with the fewest (inFlight), wherever it is in the pool',
          where: pointer(file, fn),
        });
      }
      // Sending less to a busy backend by marking it down takes it out of rotation for everyone.
      if (ejected) {
        throw new Lesson({
          expected: `with the pool ${POOL_ORDER[scenario]}: every backend's healthy as the lb's health checks left it`,
          got: `pick() changed healthy of ${ejected}`,
          why: ejectedWhy(ejected),
          where: pointer(file, fn),
        });
      }
    }
  });

  it('answers 503 when no backend is healthy (pick returns undefined)', async () => {
    const answer = await ask(servers.get('all-down')!, '/products', file, fn);
    // Not any 503: a dead backend that refused the connection is one too, but then pick() chose it.
    if (
      answer.status !== 503 ||
      (answer.body as { error?: unknown }).error !== 'no healthy backend'
    ) {
      throw unexpected(
        withoutMarks(answer),
        '503 {"error":"no healthy backend"}: every backend is down, so pick() must return undefined',
        file,
        fn,
      );
    }
  });
});
