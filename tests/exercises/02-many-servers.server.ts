// Runs in its own process for the exercise 02 check: real backends and the lab's load balancer
// with the reader's policy, or the policy alone. Prints {"listening":PORT} (the LB, or the policy
// server). Scenarios:
//   slow-first, slow-last → app-1 is down; app-2 is slow, app-3 answers at once. The pool lists
//       them app-1, app-2, app-3 (slow-first) or app-1, app-3, app-2 (slow-last): a policy that
//       always takes the first, or the last, healthy backend shows it in one of the two.
//   all-down → all three are down.
//   pick → no LB: POST /pick { backends } answers { name } of the backend the reader's pick()
//       chose (null for none), for pools the check makes up; with `copy: true` if what it returned
//       is not one of the backends it was given (and `earlier: true` too if it is one given in
//       an earlier call), `thenable: true` if it returned a Promise (an async pick), `changed`
//       naming the backends whose inFlight it changed, `ejected` those whose healthy it
//       changed, and `reordered` the list before and after, if pick() reordered it (a sort in place).
// With an LB, the LB runs the reader's policy watched: the first pick() that returns an object
// that is not one of the backends it was given (the LB matches them by identity, so it then has
// no backend to send to), the first that returns a Promise, the first that changes a backend's
// inFlight (the LB's own count) and the first that changes a backend's healthy (the LB's health
// checks' verdict) are logged on stderr (COPIED, ASYNC, CHANGED, EJECTED), for the check to say
// why the LB did what it did.
//
// "Slow" is not a clock here: app-2 holds each request until app-3 has answered SLOW_BY requests
// after it (the work a slow server does in the time a fast one answers that many), or until it
// holds a request of every client still sending (then nothing else could move). A client that
// has sent its last request says so with POST /clients-left/<n>, which either backend answers at
// once. So a busy machine, which slows every backend alike, cannot make app-2 look fast.
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { startBalancer } from '../../notebooks/lab/node/balancer';
import type { Backend, Policy } from '../../notebooks/lab/core/policies';
import { startServer } from '../../notebooks/lab/node/server';
import type { Handler } from '../../notebooks/lab/node/shop';
import { importExercise } from './watchdog';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../notebooks/lab/node/http-edge';

const SLOW_BY = 20;
/** The check's clients at first: each sends its next request once its last one is answered. */
const CLIENTS = 4;
/** Far beyond any wait a working lb has: these waits end on what happens, not on a clock. */
const NO_CLOCK_MS = 600_000;

/** What the watched policy logs; the check looks for these words. */
const COPIED = 'pick() returned an object that is not one of the backends it was given:';
const CHANGED = 'pick() changed inFlight, the lb count, of';
const ASYNC = 'pick() returned a Promise, not a backend:';
const EJECTED = 'pick() changed healthy, the lb health checks, of';
const REORDERED = "pick() reordered the lb's list of backends,";

/** The pool as pick() was given it: each backend object, in order, with what it held. */
type Snapshot = { backend: Backend; inFlight: number; healthy: boolean }[];
const snapshot = (backends: readonly Backend[]): Snapshot =>
  backends.map((backend) => ({ backend, inFlight: backend.inFlight, healthy: backend.healthy }));

/** Whether pick() wrote to the backends' inFlight: the names of those it changed. Each backend is
 *  compared with itself, wherever it now stands in the list (a sort in place moves it). */
const changedBy = (before: Snapshot) =>
  before.flatMap(({ backend: b, inFlight }) =>
    b.inFlight === inFlight ? [] : [`${b.name} (from ${inFlight} to ${b.inFlight})`],
  );

/** Whether pick() wrote to the backends' healthy: the names of those it changed. */
const ejectedBy = (before: Snapshot) =>
  before.flatMap(({ backend: b, healthy }) =>
    b.healthy === healthy ? [] : [`${b.name} (from ${updown(healthy)} to ${updown(b.healthy)})`],
  );

/** Whether pick() reordered (or added to, or took from) the list it was given, the lb's own:
 *  "a, b, c" → "b, c, a"; undefined if it did not. */
function reorderedBy(backends: readonly Backend[], before: Snapshot): string | undefined {
  const same =
    backends.length === before.length && backends.every((b, i) => b === before[i].backend);
  return same
    ? undefined
    : `from ${before.map(({ backend }) => backend.name).join(', ')} to ${backends.map((b) => b?.name).join(', ')}`;
}
const updown = (healthy: unknown) =>
  healthy === true ? 'up' : healthy === false ? 'down' : JSON.stringify(healthy);

/** Whether pick() returned a Promise or another thenable (an async pick), not a backend. A
 *  rejection is caught here, so it cannot end the process: the returned value is what is wrong. */
function thenable(chosen: unknown): boolean {
  const then = (chosen as { then?: unknown } | null)?.then;
  if (typeof then !== 'function') return false;
  Promise.resolve(chosen).catch(() => undefined);
  return true;
}

/** The reader's policy as the LB runs it: the same choices, the first of each fault logged. */
function watched(policy: Policy): Policy {
  const said = new Set<string>();
  const sayOnce = (kind: string, details: string) => {
    if (said.has(kind)) return;
    said.add(kind);
    console.error(`${kind} ${details}`);
  };
  return {
    name: policy.name,
    pins: policy.pins,
    pick(backends, request) {
      const before = snapshot(backends);
      const chosen = policy.pick(backends, request);
      const changed = changedBy(before);
      if (changed.length > 0) sayOnce(CHANGED, changed.join(', '));
      const ejected = ejectedBy(before);
      if (ejected.length > 0) sayOnce(EJECTED, ejected.join(', '));
      const reordered = reorderedBy(backends, before);
      if (reordered) sayOnce(REORDERED, reordered);
      if (thenable(chosen)) sayOnce(ASYNC, String(chosen));
      else if (chosen && !backends.includes(chosen)) sayOnce(COPIED, JSON.stringify(chosen));
      return chosen;
    },
  };
}

const answer = (res: ServerResponse, name: string) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': name });
  res.end(JSON.stringify({ server: name }));
};

/** app-3 and app-2: one answers every request at once, the other holds them (see above). */
function fastAndSlow() {
  let fastAnswered = 0;
  let clients = CLIENTS;
  const held: { res: ServerResponse; at: number }[] = [];
  const release = () => {
    while (held.length > 0 && (fastAnswered - held[0].at >= SLOW_BY || held.length >= clients)) {
      answer(held.shift()!.res, 'app-2');
    }
  };
  /** POST /clients-left/<n>: answered at once by either backend. */
  const control = (url: string | undefined, res: ServerResponse, name: string) => {
    const left = /^\/clients-left\/(\d+)$/.exec(url ?? '');
    if (!left) return false;
    clients = Number(left[1]);
    answer(res, name);
    release();
    return true;
  };
  const fast: Handler = (req, res) => {
    if (control(req.url, res, 'app-3')) return;
    answer(res, 'app-3');
    fastAnswered += 1;
    release();
  };
  const slow: Handler = (req, res) => {
    if (req.url === '/health') return answer(res, 'app-2'); // alive, if slow
    if (control(req.url, res, 'app-2')) return;
    held.push({ res, at: fastAnswered });
    res.once('close', () => {
      const gone = held.findIndex((h) => h.res === res); // the lb gave up on it: forget it
      if (gone >= 0) held.splice(gone, 1);
    });
    release();
  };
  return { fast, slow };
}

async function servePick(policy: Policy) {
  /** Every backend object pick() was given, in every call: one returned later was kept. */
  const given = new WeakSet<object>();
  // Idle connections kept 65 s, not Node's 5 s, as the lab's servers do (http-edge.ts): the
  // check reuses them, and on a busy machine a reuse after 5 s could meet the server closing it.
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      try {
        const { backends } = JSON.parse(text) as { backends: Backend[] };
        const before = snapshot(backends);
        const chosen: unknown = policy.pick(backends, { clientKey: 'check' });
        const changed = changedBy(before);
        const ejected = ejectedBy(before);
        const reordered = reorderedBy(backends, before);
        const async = thenable(chosen);
        const stranger = !async && !!chosen && !backends.includes(chosen as Backend);
        const earlier = stranger && typeof chosen === 'object' && given.has(chosen as object);
        for (const b of backends) given.add(b);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            name: async ? null : ((chosen as Backend | undefined)?.name ?? null),
            ...(async ? { thenable: true } : {}),
            ...(stranger ? { copy: true } : {}),
            ...(earlier ? { earlier: true } : {}),
            ...(changed.length > 0 ? { changed } : {}),
            ...(ejected.length > 0 ? { ejected } : {}),
            ...(reordered ? { reordered } : {}),
          }),
        );
      } catch (error) {
        console.error(error instanceof Error ? error.stack : error);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'pick() threw' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Whether nothing listens on the port: a connection to it is refused. */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/**
 * The three backends, the dead ones killed. A killed server's port is held so nobody else can
 * take it (port-hold.ts), but only from a moment after the kill: on a busy machine another
 * process's server once got a dead app-3's port in that moment and answered for it. So each dead
 * port is tried once held; one that answers is not ours, and the backends are set up again.
 */
async function backends(scenario: string) {
  for (let attempt = 1; ; attempt++) {
    const handlers = fastAndSlow();
    const down = await startServer({
      name: 'app-1',
      app: () => (_req, res) => answer(res, 'app-1'),
    });
    const slowOne = await startServer({ name: 'app-2', app: () => handlers.slow });
    const fast = await startServer({ name: 'app-3', app: () => handlers.fast });
    const dead = scenario === 'all-down' ? [down, slowOne, fast] : [down];
    for (const server of dead) await server.kill(); // resolves once its port is held
    const taken = [];
    for (const server of dead) if (!(await refused(server.port))) taken.push(server);
    if (taken.length === 0) return { down, slowOne, fast };
    const which = taken.map((s) => `${s.name}'s port ${s.port}`).join(', ');
    if (attempt === 5) throw new Error(`another program answers on dead ${which}, 5 times`);
    console.error(`another program took dead ${which} before it was held: setting up again`);
    await Promise.all([down, slowOne, fast].map((s) => s.stop()));
  }
}

async function main() {
  const [file, scenario] = process.argv.slice(2);
  const exercise = await importExercise(file);
  const factory = exercise.healthyLeastConnections;
  if (typeof factory !== 'function') {
    throw new Error(`${file} does not export a function named healthyLeastConnections`);
  }
  const policy = factory() as Policy;
  if (scenario === 'pick') {
    console.log(JSON.stringify({ listening: await servePick(policy) }));
    return;
  }

  const { down, slowOne, fast } = await backends(scenario);
  const pool = scenario === 'slow-last' ? [down, fast, slowOne] : [down, slowOne, fast];
  const lb = await startBalancer({
    backends: pool.map((s) => ({ name: s.name, url: s.url })),
    policy: watched(policy),
    // A dead backend refuses the probe at once; a live one answers, however busy the machine:
    // no probe gives up on a clock, so a slow machine never takes a live backend for dead.
    healthCheck: { intervalMs: 100, timeoutMs: NO_CLOCK_MS },
    onError: (error) => console.error(error instanceof Error ? error.stack : error),
  });
  // Requests arrive only once the lb has seen the live backends up.
  if (scenario !== 'all-down') {
    await Promise.all([slowOne, fast].map((s) => lb.waitFor(s.name, true, NO_CLOCK_MS)));
  }
  console.log(JSON.stringify({ listening: lb.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
