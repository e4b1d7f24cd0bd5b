// LB overhead for `npm run bench`: one shop request (GET /products/2) sent straight to a shop
// server and through the lab's load balancer, side by side in one run. Bounded counts, loopback.
import { Agent, request } from 'node:http';
import { startBalancer } from '../notebooks/lab/balancer';
import { openCatalog } from '../notebooks/lab/catalog';
import { roundRobin } from '../notebooks/lab/policies';
import { startServer } from '../notebooks/lab/server';
import { createShop } from '../notebooks/lab/shop';

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

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

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
  latencies.sort((a, b) => a - b);
  let left = total;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await get(url);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
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
