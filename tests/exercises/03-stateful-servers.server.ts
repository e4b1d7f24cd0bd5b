// Runs in its own process for the exercise 03 check: three stateful shops (app-1..3, sessions and
// carts in each one's own memory) behind the lab's load balancer with the reader's policy.
// The check talks to a small control server on 127.0.0.1, printed as {"listening":PORT}:
//   GET  /lb            → { url } of the load balancer
//   POST /kill/<name>   → crashes that shop, answers once the lb's health check has noticed
//   POST /revive/<name> → starts that shop again (fresh memory, same port), answers once the lb's
//                         health check sees it up
//   POST /restart-lb    → the lb restarts: from now on it runs a new policy from stickySessions(),
//                         with nothing in its memory (the users keep their cookies)
//   POST /pick          → no lb: { backends, request } goes to pick() of a policy of its own (made
//                         at the first /pick, kept for the next), which answers { name } of the
//                         backend it chose (null for none), for pools the check makes up
//   POST /arrivals      → no lb, no clock: { depth, revived? } — 90 new users arrive one after
//                         another at a fresh policy's pick(), each while the previous `depth`
//                         answers are still in flight; answers { pins } (new users per backend),
//                         or { stray } naming what pick() returned that is not a healthy backend.
//                         With `revived` (a backend's name), 30 new users arrive first while that
//                         backend is down, then it is healthy again and the 90 arrive: { pins }
//                         counts the 90 only
// The lb's policy is watched: the first time its pick() returns no backend although some are
// healthy (the lb then answers 503 "no healthy backend"), for each set of backends down, that is
// logged on stderr (NO_PICK) with the backends up and down, for the check to say why requests
// failed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importExercise } from './watchdog';
import { startBalancer } from '../../notebooks/lab/node/balancer';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import type { Backend, Policy, RouteRequest } from '../../notebooks/lab/core/policies';
import { startServer, type RunningServer } from '../../notebooks/lab/node/server';
import { createShop } from '../../notebooks/lab/node/shop';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../notebooks/lab/node/http-edge';

/** Far beyond any wait a working lb has: these waits end on what happens, not on a clock. */
const NO_CLOCK_MS = 600_000;

/** What the watched policy logs; the check looks for these words. */
const NO_PICK = 'pick() returned no backend to the lb, although some were healthy:';

async function main() {
  const [file] = process.argv.slice(2);
  const exercise = await importExercise(file);
  const stickySessions = exercise.stickySessions;
  if (typeof stickySessions !== 'function') {
    throw new Error(`${file} does not export a function named stickySessions`);
  }
  const newPolicy = () => {
    const made = (stickySessions as () => Policy)();
    if (typeof made?.pick !== 'function') {
      throw new Error(`stickySessions() in ${file} must return a Policy: { name, pins, pick }`);
    }
    return made;
  };
  let current = newPolicy();
  const saidNoPick = new Set<string>(); // the sets of backends down it was logged for
  // What the lb runs: whichever policy is current, so a restart needs no new port.
  const policy: Policy = {
    get name() {
      return current.name;
    },
    get pins() {
      return current.pins;
    },
    pick: (backends, request) => {
      const chosen = current.pick(backends, request);
      if (!chosen && backends.some((b) => b.healthy)) {
        const names = (up: boolean) =>
          backends.flatMap((b) => (b.healthy === up ? [b.name] : [])).join(', ') || 'none';
        if (!saidNoPick.has(names(false))) {
          saidNoPick.add(names(false));
          console.error(`${NO_PICK} up: ${names(true)}; down: ${names(false)}`);
        }
      }
      return chosen;
    },
  };

  const catalog = openCatalog();
  const servers: RunningServer[] = [];
  for (const name of ['app-1', 'app-2', 'app-3']) {
    servers.push(await startServer({ name, app: () => createShop({ name, catalog }) }));
  }
  let logged = 0;
  const lb = await startBalancer({
    backends: servers.map((s) => ({ name: s.name, url: s.url })),
    policy,
    // A dead shop refuses the probe at once; a live one answers, however busy the machine:
    // no probe here gives up on a clock, so a slow machine never takes a live shop for dead.
    healthCheck: { intervalMs: 25, timeoutMs: NO_CLOCK_MS },
    // The reader's pick() may throw on every request: its first few errors are enough.
    onError: (error) => {
      if (logged++ < 3) console.error(error instanceof Error ? error.stack : error);
    },
  });

  // Users arrive only once the lb has seen every shop up.
  await Promise.all(servers.map((s) => lb.waitFor(s.name, true, NO_CLOCK_MS)));

  // Not the lb's policy: one of its own, for the pools the check makes up.
  let forPick: Policy | undefined;
  const pick = (text: string) => {
    const { backends, request } = JSON.parse(text) as {
      backends: Backend[];
      request: RouteRequest;
    };
    forPick ??= newPolicy();
    return { name: forPick.pick(backends, request)?.name ?? null };
  };

  // New users arriving one after another with `depth` answers outstanding: the in-flight counts
  // go up when a backend is chosen and down when its answer comes, as the lb keeps them.
  // With `revived`, that backend is down for 30 new users first (their picks must be healthy
  // backends, not counted), then healthy again for the 90 counted.
  const arrivals = (text: string) => {
    const { depth, revived } = JSON.parse(text) as { depth: number; revived?: string };
    const policy = newPolicy();
    const backends: Backend[] = ['app-1', 'app-2', 'app-3'].map((name) => ({
      name,
      healthy: name !== revived,
      inFlight: 0,
    }));
    const pins: Record<string, number> = Object.fromEntries(backends.map((b) => [b.name, 0]));
    const outstanding: Backend[] = [];
    const arrive = (key: string, counted: boolean) => {
      const chosen = policy.pick(backends, { clientKey: key });
      if (!chosen || !chosen.healthy || !backends.includes(chosen)) return chosen ?? null;
      chosen.inFlight += 1;
      if (counted) pins[chosen.name] += 1;
      outstanding.push(chosen);
      while (outstanding.length > depth) outstanding.shift()!.inFlight -= 1;
      return undefined;
    };
    if (revived) {
      for (let i = 0; i < 30; i++) {
        const stray = arrive(`before-revive-${depth}-${i}`, false);
        if (stray !== undefined) return { stray: stray?.name ?? null, at: i, before: true };
      }
      for (const b of backends) b.healthy = true;
    }
    for (let i = 0; i < 90; i++) {
      const stray = arrive(`arrival-${depth}-${revived ? 'revived-' : ''}${i}`, true);
      if (stray !== undefined) return { stray: stray?.name ?? null, at: i };
    }
    return { pins };
  };

  // Idle connections kept 65 s, not Node's 5 s, as the lab's servers do (http-edge.ts): the
  // check reuses them, and on a busy machine a reuse after 5 s could meet the server closing it.
  const control = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/lb') return reply(200, { url: lb.url });
    if (req.method === 'POST' && (req.url === '/pick' || req.url === '/arrivals')) {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        try {
          reply(200, req.url === '/pick' ? pick(text) : arrivals(text));
        } catch (error) {
          console.error(error instanceof Error ? error.stack : error);
          reply(500, { error: 'pick() threw' });
        }
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/restart-lb') {
      current = newPolicy();
      return reply(200, { restarted: true });
    }
    const route = /^\/(kill|revive)\/(app-\d+)$/.exec(req.url ?? '');
    const server = servers.find((s) => s.name === route?.[2]);
    if (req.method !== 'POST' || !route || !server) {
      return reply(404, { error: 'no such control route' });
    }
    const up = route[1] === 'revive';
    if (!up) void server.kill(); // a crash: down at once
    const done = up ? server.restart() : Promise.resolve();
    // The reply waits for the balancer to see the shop down, or up again.
    done
      .then(() => lb.waitFor(server.name, up, NO_CLOCK_MS))
      .then(
        () => reply(200, { [up ? 'revived' : 'killed']: server.name }),
        (error: Error) => reply(500, { error: error.message }),
      );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  console.log(JSON.stringify({ listening: (control.address() as AddressInfo).port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
