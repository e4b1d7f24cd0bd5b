// Four homes for the same user state (a session and a cart), and the faults that test them:
// server memory, a shared cache, a database file, and the client (a signed cookie).
// A trial logs users in, fills their carts, does one fault, and counts what each user still has.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import { startCluster, type Cluster } from './cluster';
import { roundRobin, stickyCookie } from '../core/policies';
import { seededRandom } from '../core/random';
import { redisStore } from './redis-store';
import { startRedis, type RunningRedis } from './redis-server';
import { createShop } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { sqliteStore } from './sqlite-store';
import { keyspace, memoryStore, type StateStore } from '../core/store';
import { createTokenShop } from './token-sessions';
import { tempFolder } from './exit-cleanup';

/** What outlives the notebook's process: files in `dir` (the key, the databases), and Redis. */
export interface Durable {
  readonly dir: string;
  /** A real Redis for the shared cache, when one was asked for; else the cache is in-process. */
  readonly redis?: RunningRedis;
  stop(): Promise<void>;
}

export async function createDurable(options: { redis: boolean }): Promise<Durable> {
  const dir = tempFolder('statelab-05-');
  // The signing key is configuration, kept in a file (or an environment variable) that outlives
  // every process: a key made at start-up would make every token worthless after a restart.
  writeFileSync(join(dir, 'token-key'), randomBytes(32).toString('base64url'));
  const redis = options.redis ? await startRedis() : undefined;
  return {
    dir,
    redis,
    async stop() {
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One "process" of the notebook: the cluster and everything it holds in memory. */
export interface Booted {
  readonly cluster: Cluster;
  /** The shared cache: in this process's memory, or a client of the real Redis. */
  readonly cache: StateStore<unknown>;
  /** The client home's deny-list of spent token ids: its keyspace in the shared cache. */
  readonly denyList: StateStore<true>;
  restartCache(): Promise<void>;
  /** Ends this "process": servers stop, handles close, its memory is dropped. */
  stop(): Promise<void>;
}

export type HomeName = 'server memory' | 'shared cache' | 'database' | 'client';
export const HOMES: readonly HomeName[] = ['server memory', 'shared cache', 'database', 'client'];

// #region homes
/** Starts two shop servers behind an lb, with sessions and carts kept in `home`. */
export async function boot(home: HomeName, durable: Durable): Promise<Booted> {
  const cache = sharedCache(durable);
  // One shared store, and a keyspace in it for each kind of state (store.ts, keyspace).
  const shared = {
    sessions: keyspace<Session>(cache.store, 'session:'),
    carts: keyspace<CartLine[]>(cache.store, 'cart:'),
    revoked: keyspace<true>(cache.store, 'revoked:'),
  };
  const catalog = openCatalog(join(durable.dir, 'catalog.sqlite'));
  const db = join(durable.dir, 'state.sqlite');
  const files =
    home === 'database'
      ? {
          sessions: sqliteStore<Session>(db, 'sessions'),
          carts: sqliteStore<CartLine[]>(db, 'carts'),
        }
      : undefined;
  const key = readFileSync(join(durable.dir, 'token-key'), 'utf8');
  const cluster = await startCluster({
    size: 2,
    // Only state in server memory needs the lb to send each user back to the same server.
    policy: home === 'server memory' ? stickyCookie() : roundRobin(),
    catalog,
    app: (name) =>
      home === 'server memory'
        ? createShop({ name, catalog }) // each server's own liveStore()s
        : home === 'client'
          ? createTokenShop({ name, catalog, key, denyList: shared.revoked })
          : createShop({
              name,
              catalog,
              sessions: files?.sessions ?? shared.sessions,
              carts: files?.carts ?? shared.carts,
            }),
  });
  // #endregion homes
  return {
    cluster,
    cache: cache.store,
    denyList: shared.revoked,
    restartCache: cache.restart,
    async stop() {
      await cluster.stop();
      files?.sessions.close();
      files?.carts.close();
      await cache.close();
      catalog.close();
    },
  };
}

/** The shared cache: real Redis when there is one (restart = a real process restart), else
 *  one memoryStore that every server of this process shares (restart = its memory is gone). */
function sharedCache(durable: Durable) {
  if (durable.redis) {
    const redis = durable.redis;
    const store = redisStore<unknown>(redis.url);
    return {
      store,
      async restart() {
        await redis.restart(); // no persistence configured: what was in memory is gone
        for (const until = Date.now() + 5_000; Date.now() < until;) {
          if (
            await store.get('ping').then(
              () => true,
              () => false,
            )
          )
            return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      close: () => store.close(),
    };
  }
  let inner = memoryStore<unknown>();
  const store: StateStore<unknown> = {
    kind: 'shared',
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    setIfAbsent: (key, value, ttlMs) => inner.setIfAbsent(key, value, ttlMs),
    setIfPresent: (key, value, ttlMs) => inner.setIfPresent(key, value, ttlMs),
    update: (key, change, ttlMs) => inner.update(key, change, ttlMs),
    delete: (key) => inner.delete(key),
  };
  return {
    store,
    restart: async () => void (inner = memoryStore<unknown>()),
    close: async () => undefined,
  };
}

export type Fault = 'web server kill' | 'cache restart' | 'whole-process restart' | 'new device';
export const FAULTS: readonly Fault[] = [
  'web server kill',
  'cache restart',
  'whole-process restart',
  'new device',
];

export interface Trial {
  home: HomeName;
  fault: Fault;
  users: number;
  /** Users still logged in after the fault (a new device never is: it has no cookie yet). */
  keptSession: number;
  /** Users whose cart still held their item (on a new device: after logging in there). */
  keptCart: number;
}

let trials = 0;

// #region trial
export async function trial(home: HomeName, fault: Fault, durable: Durable, count = 20, seed = 5) {
  const run = (trials += 1);
  let booted = await boot(home, durable);
  try {
    let users = Array.from({ length: count }, () => new ShopClient(booted.cluster.lb.url));
    const names = users.map((_, i) => `u${run}-${i}`); // fresh names: old carts cannot help
    for (const [i, user] of users.entries()) {
      const login = await user.post('/login', { user: names[i] });
      const add = await user.post('/cart', { productId: 1 + (i % 5) });
      if (login.status !== 200 || add.status !== 200) throw new Error(`setup failed for ${home}`);
    }
    if (fault === 'web server kill') await booted.cluster.kill('app-1');
    if (fault === 'cache restart') await booted.restartCache();
    if (fault === 'whole-process restart') {
      await booted.stop(); // everything in this process's memory is gone; files and Redis stay
      booted = await boot(home, durable);
      users = users.map((user) => carryJar(user, booted.cluster.lb.url));
    }
    if (fault === 'new device') users = users.map(() => new ShopClient(booted.cluster.lb.url));

    let keptSession = 0;
    let keptCart = 0;
    // Users come back in a shuffled order, as real ones would: in the order they logged in, a
    // new device would meet the lb's round robin in the same turn, and land on the same server.
    for (const i of seededRandom(seed).shuffle([...users.keys()])) {
      const user = users[i];
      if ((await user.get('/me')).status === 200) keptSession += 1;
      else await user.post('/login', { user: names[i] }); // log in again to look at the cart
      const cart = (await user.get('/cart')).body as { items?: CartLine[] };
      if (cart.items?.length === 1) keptCart += 1;
    }
    return { home, fault, users: count, keptSession, keptCart } satisfies Trial;
  } finally {
    await booted.stop();
  }
}
// #endregion trial

/** The same browser after the shop came back on a new port: same cookies, new address. */
function carryJar(user: ShopClient, url: string): ShopClient {
  const moved = new ShopClient(url);
  for (const [name, value] of user.jar) moved.jar.set(name, value);
  return moved;
}
