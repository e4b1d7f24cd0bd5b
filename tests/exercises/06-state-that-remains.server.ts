// Runs in its own process for the exercise 06 check: ONE shop server that only checks out, with
// the reader's idempotentCheckout over a key store in a SQLite file and the orders in a SQLite
// catalogue, both shared by every server process.
//   GET  /health     → { ok: true }
//   POST /checkout   body { user, lines } → 201 { order }; Idempotency-Key header: the reader's
//                    idempotentCheckout decides; no key: the order is placed, every time.
// For the check's crashes, the header x-statelab-die makes this process SIGKILL itself:
//   after-order  → right after the order is committed, before idempotentCheckout goes on;
//   before-reply → after idempotentCheckout returned, before a byte of the answer is sent.
// Prints {"listening":PORT} when ready.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { openCatalog, type Order, type OrderLine } from '../../notebooks/lab/catalog';
import type { Reply } from '../../notebooks/lab/reply';
import { sqliteStore } from '../../notebooks/lab/sqlite-store';
import type { StateStore } from '../../notebooks/lab/store';

type Checkout = (
  store: StateStore<unknown>,
  key: string,
  fingerprint: string,
  placeOrder: () => Promise<Order>,
) => Promise<Reply>;

const die = () => process.kill(process.pid, 'SIGKILL');

async function main() {
  const [file, catalogFile, storeFile, name] = process.argv.slice(2);
  const exercise = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (typeof exercise.idempotentCheckout !== 'function') {
    throw new Error(`${file} does not export a function named idempotentCheckout`);
  }
  const idempotentCheckout = exercise.idempotentCheckout as Checkout;
  const catalog = openCatalog(catalogFile);
  const store = sqliteStore<unknown>(storeFile, 'idempotency_keys');

  const server = createServer((req, res) => {
    const send = (reply: Reply) => {
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-served-by': name,
        ...reply.headers,
      });
      res.end(JSON.stringify(reply.body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/health')
        return send({ status: 200, body: { ok: true } });
      if (req.method !== 'POST' || req.url !== '/checkout') {
        return send({ status: 404, body: { error: `no route for ${req.method} ${req.url}` } });
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(text) as { user: string; lines: OrderLine[] };
      const dieAt = req.headers['x-statelab-die'];
      const placeOrder = async () => {
        const order = catalog.placeOrder(body.user, body.lines); // committed when it returns
        if (dieAt === 'after-order') die();
        return order;
      };
      const key = req.headers['idempotency-key'];
      const answer = async (): Promise<Reply> =>
        typeof key === 'string'
          ? idempotentCheckout(store, key, text, placeOrder)
          : { status: 201, body: { order: await placeOrder() } };
      answer().then(
        (reply) => {
          if (dieAt === 'before-reply') die();
          else send(reply);
        },
        (error: unknown) => {
          console.error(error instanceof Error ? error.stack : error);
          send({ status: 500, body: { error: 'internal server error' } });
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
