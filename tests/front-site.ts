// What the tests of a real front (nginx, HAProxy: tests/deploy-*.test.ts) share: three lab shop
// servers on 127.0.0.1 behind it, and ways to read a user's log. Stateful servers (the default)
// keep each session in the memory of the server that logged the user in, so "sticky" means:
// every request after the login reaches that server. Not a test file itself.
import { type Catalog } from '../notebooks/lab/core/catalog';
import { openCatalog } from '../notebooks/lab/node/sqlite-catalog';
import { startServer, type RunningServer } from '../notebooks/lab/node/server';
import { createShop, type Handler } from '../notebooks/lab/node/shop';
import type { SimUser } from '../notebooks/lab/node/users';

export interface FrontSite<Front> {
  front: Front;
  server(name: string): RunningServer;
  stop(): Promise<void>;
}

/**
 * app-1, app-2, app-3 (stateful by default: each keeps sessions and carts in its own memory)
 * behind the front `start` starts, given where each of the config's `app-N:3000` is here.
 */
export async function threeShopsBehind<Front extends { stop(): Promise<void> }>(
  start: (upstreams: Record<string, string>) => Promise<Front>,
  app: (name: string, catalog: Catalog) => Handler = (name, catalog) =>
    createShop({ name, catalog }),
): Promise<FrontSite<Front>> {
  const catalog = openCatalog();
  const servers: RunningServer[] = [];
  for (const name of ['app-1', 'app-2', 'app-3'])
    servers.push(await startServer({ name, app: () => app(name, catalog) }));
  const upstreams = Object.fromEntries(
    servers.map((s) => [`${s.name}:3000`, `127.0.0.1:${s.port}`]),
  );
  let front: Front;
  try {
    front = await start(upstreams);
  } catch (error) {
    for (const s of servers) await s.stop();
    catalog.close();
    throw error;
  }
  return {
    front,
    server: (name) => servers.find((s) => s.name === name)!,
    async stop() {
      await front.stop();
      for (const s of servers) await s.stop();
      catalog.close();
    },
  };
}

/**
 * The answers a user got from a server other than the one holding their session (the server
 * that answered their last successful login), from `since` in their log on.
 */
export function strays(user: SimUser, since = 0): number {
  let holder: string | undefined;
  let count = 0;
  for (const [i, record] of user.log.entries()) {
    if (record.op === 'login' && record.status === 200) holder = record.servedBy;
    else if (i >= since && holder && record.servedBy !== holder) count += 1;
  }
  return count;
}

/** Where the user's last successful login is in their log (-1: none yet). */
export const lastLogin = (user: SimUser) =>
  user.log.map((r) => r.op === 'login' && r.status === 200).lastIndexOf(true);

/** The server holding the user's session: the one that answered their last successful login. */
export const loginServer = (user: SimUser) => user.log[lastLogin(user)]?.servedBy;
