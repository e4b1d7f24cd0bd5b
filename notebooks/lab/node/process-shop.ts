// The entry of one shop server as an OS process of its own (started by process-server.ts):
//   node --import tsx notebooks/lab/node/process-shop.ts <name> <catalogFile> <storeUrl|-> [port] [cartWrites]
// Sessions, carts and idempotency records live where <storeUrl> says: `sqlite:/abs/file` (one
// SQLite file every process opens), `redis://host:port` (one Redis), or `-`: this process's own
// memory, which dies with it (the stateful shop). Prints {"listening":PORT} once it listens.
// <cartWrites> is `update` (the default: one atomic update per cart change) or `get-then-set`
// (the lost update, on purpose: race-stores.ts, chapter 4).
import { openCatalog } from './sqlite-catalog';
import { keysInMemory, type IdempotencyRecord } from '../core/idempotency';
import { redisStore } from './redis-store';
import { startServer } from './server';
import { createShop } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { sqliteStore } from './sqlite-store';
import { liveStore } from '../core/live-store';
import { getThenSet, NAIVE_PAUSE_MS, sleep } from '../core/race-stores';
import type { StateStore } from '../core/store';

/** One store per kind of state, all in the home `storeUrl` names ('-' or '': this process). */
function storesFor(storeUrl: string) {
  const inProcess = !storeUrl || storeUrl === '-';
  const make = <T>(what: string): StateStore<T> => {
    if (inProcess) return liveStore<T>(); // live objects, as chapter 3's shop
    if (storeUrl.startsWith('sqlite:'))
      return sqliteStore<T>(storeUrl.slice('sqlite:'.length), what);
    if (storeUrl.startsWith('redis://')) return redisStore<T>(storeUrl, `statelab:${what}:`);
    throw new Error(`a store URL is sqlite:/absolute/file or redis://host:port, not ${storeUrl}`);
  };
  return {
    sessions: make<Session>('sessions'),
    carts: make<CartLine[]>('carts'),
    // In its own memory, bounded (idempotency.ts): anyone can send fresh keys.
    idempotency: inProcess ? keysInMemory() : make<IdempotencyRecord>('idempotency'),
  };
}

async function main() {
  const [name, catalogFile, storeUrl = '-', port = '0', cartWrites = 'update'] =
    process.argv.slice(2);
  if (!name || !catalogFile)
    throw new Error('usage: process-shop.ts <name> <catalogFile> <storeUrl|-> [port] [cartWrites]');
  if (cartWrites !== 'update' && cartWrites !== 'get-then-set')
    throw new Error(`cartWrites is update or get-then-set, not ${cartWrites}`);
  const catalog = openCatalog(catalogFile);
  const stores = storesFor(storeUrl);
  const carts =
    cartWrites === 'update' ? stores.carts : getThenSet(stores.carts, sleep(NAIVE_PAUSE_MS));
  const server = await startServer({
    name,
    port: Number(port),
    app: () => createShop({ name, catalog, ...stores, carts }),
  });
  // The parent holds our stdin: when it goes away (even killed), so do we. No orphans.
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
  // Jupyter interrupts a cell with SIGINT to the kernel's whole process group, this server
  // included: that is meant for the cell, not for us. Only a kill, SIGTERM or the parent's exit stop us.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
  console.log(JSON.stringify({ listening: server.port }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
