// The servers hostile-requests.test.ts attacks, in an OS process of their own, so that a crash
// shows as this process's exit rather than as an error inside the test:
//   node --import tsx tests/hostile-target.ts <maxKeys>
// the shop, the token shop, and the balancer in front of another shop, all on 127.0.0.1. Each
// shop keeps its idempotency keys in its own memory, bounded at <maxKeys> (idempotency.ts).
// Prints {"ports":{…}} once all listen; for each line "stats" on stdin, prints {"keys":{…}}.
// It exits when its stdin closes: the test's end, even a killed one, leaves no orphan.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { startBalancer } from '../notebooks/lab/node/balancer';
import { openCatalog } from '../notebooks/lab/node/sqlite-catalog';
import { keysInMemory } from '../notebooks/lab/core/idempotency';
import { liveStore } from '../notebooks/lab/core/live-store';
import { roundRobin } from '../notebooks/lab/core/policies';
import { startServer } from '../notebooks/lab/node/server';
import { createShop } from '../notebooks/lab/node/shop';
import { createTokenShop } from '../notebooks/lab/node/token-sessions';

async function main() {
  const maxKeys = Number(process.argv[2] ?? 100);
  const catalog = openCatalog();
  const keys = { shop: keysInMemory(maxKeys), lb: keysInMemory(maxKeys) };
  const shop = await startServer({
    name: 'shop',
    app: () => createShop({ name: 'shop', catalog, idempotency: keys.shop }),
  });
  const token = await startServer({
    name: 'token',
    app: () =>
      createTokenShop({ name: 'token', catalog, key: randomBytes(32), denyList: liveStore() }),
  });
  const behind = await startServer({
    name: 'behind-lb',
    app: () => createShop({ name: 'behind-lb', catalog, idempotency: keys.lb }),
  });
  const lb = await startBalancer({
    backends: [{ name: 'behind-lb', url: behind.url }],
    policy: roundRobin(),
  });
  await lb.waitFor('behind-lb', true);

  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'stats') {
      console.log(JSON.stringify({ keys: { shop: keys.shop.size, lb: keys.lb.size } }));
    }
  });
  process.stdin.on('close', () => process.exit(0));
  console.log(JSON.stringify({ ports: { shop: shop.port, token: token.port, lb: lb.port } }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
