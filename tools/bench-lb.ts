// The lab's load balancer in `npm run bench`: its overhead (one shop request, GET /products/2, sent
// straight to a shop server and through the LB, side by side) and the load it holds (many clients
// at once through the LB to three shop servers). Bounded counts, loopback.
import { Agent, request } from 'node:http';
import { startBalancer } from '../notebooks/lab/node/balancer';
import { openCatalog } from '../notebooks/lab/node/sqlite-catalog';
import { percentile, sendLoad } from '../notebooks/lab/node/load';
import { roundRobin } from '../notebooks/lab/core/policies';
import { startServer } from '../notebooks/lab/node/server';
import { createShop } from '../notebooks/lab/node/shop';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function get(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Figures {
  p50: number;
  p99: number;
  requestsPerSecond: number;
}

/** Sequential requests for latency, then `concurrency` workers for throughput. */
async function measure(
  url: string,
  sequential: number,
  total: number,
  concurrency: number,
): Promise<Figures> {
  const latencies: number[] = [];
  for (let i = 0; i < sequential; i += 1) latencies.push(await get(url));
  let left = total;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await get(url);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requestsPerSecond: total / seconds,
  };
}

export async function lbOverhead(rounds = 3) {
  const catalog = openCatalog();
  const app = await startServer({
    name: 'app-1',
    app: () => createShop({ name: 'app-1', catalog }),
  });
  const lb = await startBalancer({
    backends: [{ name: 'app-1', url: app.url }],
    policy: roundRobin(),
  });
  const path = '/products/2';
  try {
    for (let i = 0; i < 300; i += 1) await Promise.all([get(app.url + path), get(lb.url + path)]); // warm up
    const direct: Figures[] = [];
    const viaLb: Figures[] = [];
    // Alternate, so both see the same machine load.
    for (let r = 0; r < rounds; r += 1) {
      direct.push(await measure(app.url + path, 500, 2_000, 8));
      viaLb.push(await measure(lb.url + path, 500, 2_000, 8));
    }
    return { direct, viaLb };
  } finally {
    await lb.stop();
    await app.stop();
    catalog.close();
    agent.destroy();
  }
}

export interface LoadHeld {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers other than 200, and requests with no answer at all. */
  errors: number;
  /** Of the errors: no answer within the client's 10 s. */
  noAnswer: number;
  /** Of the errors: 503s the LB gave without forwarding (no backend in rotation, or refused). */
  notForwarded: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * `concurrency` clients at once, each sending its next request as soon as its last one is answered
 * (keep-alive connections, as browsers keep, opened afresh each round), through the LB (default
 * health checks) to three shop servers in this process. Every client count runs `rounds` times,
 * interleaved; REQUESTS_PER_CLIENT requests a client in each round.
 */
export async function loadHeld(concurrencies: number[], rounds = 3) {
  const REQUESTS_PER_CLIENT = 20;
  const catalog = openCatalog();
  const servers = [];
  for (const name of ['app-1', 'app-2', 'app-3']) {
    servers.push(await startServer({ name, app: () => createShop({ name, catalog }) }));
  }
  const lb = await startBalancer({
    backends: servers.map((s) => ({ name: s.name, url: s.url })),
    policy: roundRobin(),
  });
  const runs = new Map<number, LoadHeld[]>(concurrencies.map((c) => [c, []]));
  try {
    await sendLoad(lb.url, { path: '/products/2', requests: 1_000, concurrency: 50 }); // warm up
    for (let r = 0; r < rounds; r += 1) {
      for (const concurrency of concurrencies) {
        const started = performance.now();
        const shots = await sendLoad(lb.url, {
          path: '/products/2',
          requests: concurrency * REQUESTS_PER_CLIENT,
          concurrency,
          timeoutMs: 10_000,
        });
        const seconds = (performance.now() - started) / 1000;
        const ms = shots.map((s) => s.ms);
        runs.get(concurrency)!.push({
          requestsPerSecond: shots.length / seconds,
          p50: percentile(ms, 50),
          p99: percentile(ms, 99),
          errors: shots.filter((s) => s.status !== 200).length,
          noAnswer: shots.filter((s) => s.status === 0).length,
          notForwarded: shots.filter((s) => s.status === 503 && s.servedBy === undefined).length,
        });
      }
    }
  } finally {
    await lb.stop();
    for (const s of servers) await s.stop();
    catalog.close();
  }
  return runs;
}

/** Prints both figures for `npm run bench` (and `npm run bench -- --lb-only`). */
export async function reportLoadBalancer(log: (line: string) => void = console.log) {
  const ROUNDS = 3;
  log(
    `load balancer overhead: GET /products/2 direct vs through the lab LB (median of ${ROUNDS} rounds)`,
  );
  const { direct, viaLb } = await lbOverhead(ROUNDS);
  const mid = (xs: Figures[], key: keyof Figures) => median(xs.map((x) => x[key]));
  for (const [label, figures] of [
    ['direct', direct],
    ['via lb', viaLb],
  ] as const) {
    log(
      `  ${label.padEnd(8)} p50 ${mid(figures, 'p50').toFixed(3)} ms   p99 ${mid(figures, 'p99').toFixed(3)} ms   ` +
        `${mid(figures, 'requestsPerSecond').toFixed(0)} req/s (8 concurrent)`,
    );
  }
  log(`  the LB adds ${(mid(viaLb, 'p50') - mid(direct, 'p50')).toFixed(3)} ms at p50`);

  log(
    `\nload held through the lab LB: three shop servers, GET /products/2, clients at once (median of ${ROUNDS} rounds, interleaved)`,
  );
  const runs = await loadHeld([50, 200], ROUNDS);
  for (const [concurrency, rounds] of runs) {
    const of = (key: keyof LoadHeld) => median(rounds.map((r) => r[key]));
    const each = (key: keyof LoadHeld) => rounds.map((r) => r[key]).join('/');
    log(
      `  ${String(concurrency).padStart(3)} clients   ${of('requestsPerSecond').toFixed(0)} req/s   ` +
        `p50 ${of('p50').toFixed(1)} ms   p99 ${of('p99').toFixed(1)} ms   errors by round ${each('errors')}: ` +
        `no answer in 10 s ${each('noAnswer')}, 503 not forwarded ${each('notForwarded')}`,
    );
  }
}
