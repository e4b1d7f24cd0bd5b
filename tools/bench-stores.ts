// Store cost for `npm run bench` (issue 4): one cart request (POST /cart, then GET /cart) against
// a shop whose sessions and carts live in: its own memory as live objects (createShop's default
// liveStores: stateful, no serialisation), a memoryStore shared in the process (every value copied
// through JSON, as a networked store must), a SQLite file, Redis (when redis-server is installed).
// Side by side in one run, bounded counts, loopback, median of 3 interleaved rounds; figures, not
// assertions. (Notebook 07 measures the store work alone too, where serialisation stands out.)
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Catalog } from '../notebooks/lab/core/catalog';
import { loginUsers, send } from '../notebooks/lab/node/cart-load';
import { openCatalog } from '../notebooks/lab/node/sqlite-catalog';
import { redisAvailability, startRedis } from '../notebooks/lab/node/redis-server';
import { redisStore } from '../notebooks/lab/node/redis-store';
import { startServer } from '../notebooks/lab/node/server';
import { createShop, type ShopOptions } from '../notebooks/lab/node/shop';
import type { CartLine, Session } from '../notebooks/lab/core/shop-types';
import { sqliteStore } from '../notebooks/lab/node/sqlite-store';
import { memoryStore, type StateStore } from '../notebooks/lab/core/store';

const USERS = 50; // carts grow by one line per request: spread over 50 users, they stay small
const WARM_UP = 100;
const SEQUENTIAL = 500; // latency: one cart request at a time
const TOTAL = 2_000; // throughput: this many cart requests, CONCURRENCY at a time
const CONCURRENCY = 8;
const ROUNDS = 3;

export interface StoreFigures {
  store: string;
  p50: number;
  p99: number;
  cartRequestsPerSecond: number;
}

interface Stores {
  sessions?: StateStore<Session>;
  carts?: StateStore<CartLine[]>;
  close?: () => Promise<void> | void;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One cart request: add a product, then read the cart back. Its time in ms. */
async function cartRequest(url: string, sid: string): Promise<number> {
  const started = performance.now();
  const added = await send(agent, `${url}/cart`, 'POST', sid, { productId: 2 });
  const read = await send(agent, `${url}/cart`, 'GET', sid);
  if (added.status !== 200 || read.status !== 200) {
    throw new Error(`cart request failed: POST ${added.status}, GET ${read.status}`);
  }
  return performance.now() - started;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

interface Subject {
  store: string;
  url: string;
  sids: string[];
  stop(): Promise<void>;
}

/** A shop server using these stores, with USERS users logged in and warmed up. */
async function prepare(label: string, catalog: Catalog, stores: Stores): Promise<Subject> {
  const options: ShopOptions = { name: 'app-1', catalog, ...stores };
  const server = await startServer({ name: 'app-1', app: () => createShop(options) });
  const sids = await loginUsers(server.url, USERS); // throws, saying why, if a login fails
  for (let i = 0; i < WARM_UP; i += 1) await cartRequest(server.url, sids[i % USERS]);
  return {
    store: label,
    url: server.url,
    sids,
    async stop() {
      await server.stop();
      await stores.close?.();
    },
  };
}

/** Sequential cart requests for latency, then CONCURRENCY workers for throughput. */
async function measure({ store, url, sids }: Subject): Promise<StoreFigures> {
  let n = 0;
  const next = () => sids[n++ % USERS];
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) latencies.push(await cartRequest(url, next()));
  latencies.sort((a, b) => a - b);
  let left = TOTAL;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await cartRequest(url, next());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    store,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cartRequestsPerSecond: TOTAL / seconds,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Every store, measured in ROUNDS interleaved rounds (so all see the same machine load), median
 * per figure. Redis only when redis-server is installed (else `skipped` says why).
 */
export async function storeCosts(): Promise<{ figures: StoreFigures[]; skipped: string[] }> {
  const catalog = openCatalog();
  const dir = mkdtempSync(join(tmpdir(), 'statelab-bench-'));
  const subjects: Subject[] = [];
  const skipped: string[] = [];
  const redis = redisAvailability();
  const redisServer = redis.available ? await startRedis() : undefined;
  if (!redis.available) skipped.push(`Redis skipped: ${redis.why}`);
  try {
    subjects.push(await prepare('server memory (stateful)', catalog, {})); // live objects
    subjects.push(
      await prepare('shared memoryStore', catalog, {
        sessions: memoryStore<Session>(),
        carts: memoryStore<CartLine[]>(),
      }),
    );
    const file = join(dir, 'state.db');
    const [sqlSessions, sqlCarts] = [
      sqliteStore<Session>(file, 'sessions'),
      sqliteStore<CartLine[]>(file, 'carts'),
    ];
    subjects.push(
      await prepare('SQLite file', catalog, {
        sessions: sqlSessions,
        carts: sqlCarts,
        close: () => (sqlSessions.close(), sqlCarts.close()),
      }),
    );
    if (redisServer) {
      const sessions = redisStore<Session>(redisServer.url, 'bench:sessions:');
      const carts = redisStore<CartLine[]>(redisServer.url, 'bench:carts:');
      subjects.push(
        await prepare('Redis', catalog, {
          sessions,
          carts,
          close: async () => (await sessions.close(), await carts.close()),
        }),
      );
    }
    const rounds: StoreFigures[][] = subjects.map(() => []);
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [i, subject] of subjects.entries()) rounds[i].push(await measure(subject));
    }
    const figures = rounds.map((runs) => ({
      store: runs[0].store,
      p50: median(runs.map((f) => f.p50)),
      p99: median(runs.map((f) => f.p99)),
      cartRequestsPerSecond: median(runs.map((f) => f.cartRequestsPerSecond)),
    }));
    return { figures, skipped };
  } finally {
    for (const subject of subjects) await subject.stop();
    await redisServer?.stop();
    catalog.close();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench section: one line per store, with ratios to the in-memory shop. */
export async function reportStoreCosts(log: (line: string) => void = console.log) {
  const { figures, skipped } = await storeCosts();
  const [base] = figures;
  for (const f of figures) {
    log(
      `  ${f.store.padEnd(26)} p50 ${f.p50.toFixed(3)} ms (×${(f.p50 / base.p50).toFixed(2)})   ` +
        `p99 ${f.p99.toFixed(3)} ms (×${(f.p99 / base.p99).toFixed(2)})   ` +
        `${f.cartRequestsPerSecond.toFixed(0)} cart req/s (×${(f.cartRequestsPerSecond / base.cartRequestsPerSecond).toFixed(2)}, ${CONCURRENCY} concurrent)`,
    );
  }
  for (const line of skipped) log(`  ${line}`);
}
