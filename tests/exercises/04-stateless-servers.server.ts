// Runs in its own process for the exercise 04 check: ONE cart server, named by the check, with the
// reader's createCarts over a store in a SQLite file that every server process shares. Killing the
// process is a crash: whatever the reader kept in this process's memory is gone.
//   GET  /health          → { ok: true }
//   GET  /cart/<user>     → { items } from carts.list
//   POST /cart/<user>     → { items } from carts.add, body { productId, qty }
// Prints {"listening":PORT} when ready.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importExercise } from './watchdog';
import type { CartLine } from '../../notebooks/lab/shop-types';
import { sqliteStore } from '../../notebooks/lab/sqlite-store';
import type { StateStore } from '../../notebooks/lab/store';

interface Carts {
  add(user: string, line: CartLine): Promise<CartLine[]>;
  list(user: string): Promise<CartLine[]>;
}

async function main() {
  const [file, storeFile, name] = process.argv.slice(2);
  const exercise = await importExercise(file);
  const createCarts = exercise.createCarts;
  if (typeof createCarts !== 'function') {
    throw new Error(`${file} does not export a function named createCarts`);
  }
  const store = sqliteStore<CartLine[]>(storeFile, 'carts');
  const carts = (createCarts as (store: StateStore<CartLine[]>) => Carts)(store);

  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': name });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const cart = /^\/cart\/([a-z0-9-]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && req.url === '/health') return reply(200, { ok: true });
      if (!cart) return reply(404, { error: `no route for ${req.method} ${req.url}` });
      const user = cart[1];
      const answer = async () => {
        if (req.method === 'GET') return carts.list(user);
        const line = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CartLine;
        return carts.add(user, line);
      };
      answer().then(
        (items) => reply(200, { items }),
        (error: unknown) => {
          console.error(error instanceof Error ? error.stack : error);
          reply(500, { error: 'internal server error' });
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log(JSON.stringify({ listening: (server.address() as AddressInfo).port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
