// Runs in its own process for the exercise 06 check: ONE shop server that only checks out. The
// reader's idempotentCheckout gets two places to keep its keys, both shared by every server
// process: `store`, a key-value store in a SQLite file of its own, and `db`, the shop's database,
// where placeOrder() writes the orders.
//   GET  /health     → { ok: true }
//   POST /checkout   body { user, lines } → with an Idempotency-Key header the reader's
//                    idempotentCheckout decides; without one the order is placed, every time.
// Test headers, for the check's faults:
//   x-statelab-die: before-order → SIGKILL this process as placeOrder starts, before the order is
//                     written (SQLite rolls back whatever the reader's open transaction holds);
//                   after-commit → SIGKILL it the moment the order is committed: right after the
//                     transaction that wrote it, or right after the insert when there is none;
//                   before-reply → SIGKILL it after idempotentCheckout returned, before a byte of
//                     the answer is sent.
//   x-statelab-clock-ahead-ms: N → during this request, Date.now(), new Date() (and the store's
//                     clock) run N ms ahead: "the retry comes much later". SQLite's own clock
//                     ('now', unixepoch()) does not move.
//   x-statelab-together: ID → one of two copies of a request sent at the same moment: after its
//                     first look-up (store.get, or db.get outside a transaction) it waits, at most
//                     1 s, until the copy on the other server has looked too, so both have looked
//                     before either writes. A file says whether they met, for the check to read.
// Prints {"listening":PORT} when ready.
import Database from 'better-sqlite3';
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Order, OrderLine } from '../../notebooks/lab/catalog';
import type { Reply } from '../../notebooks/lab/reply';
import { sqliteStore } from '../../notebooks/lab/sqlite-store';
import type { StateStore } from '../../notebooks/lab/store';

type SqlValue = string | number | bigint | null;
/** What the reader's file calls `ShopDatabase`. */
interface ShopDatabase {
  transaction<R>(work: () => R): R;
  run(sql: string, ...params: SqlValue[]): { changes: number };
  get<Row>(sql: string, ...params: SqlValue[]): Row | undefined;
}
type Checkout = (
  store: StateStore<unknown>,
  key: string,
  fingerprint: string,
  placeOrder: () => Order,
  db: ShopDatabase,
) => Promise<Reply>;

const die = () => process.kill(process.pid, 'SIGKILL');
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
let aheadMs = 0;
/** Date.now() and `new Date()` both run ahead: a reader may read the clock either way. */
class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    // Date's overloads cannot be spread from a tuple type; the arguments pass through unchanged.
    if (args.length === 0) super(realNow() + aheadMs);
    else super(...(args as [string]));
  }
  static now() {
    return realNow() + aheadMs;
  }
}
globalThis.Date = ShiftedDate as DateConstructor;

/** The test headers of one request. */
interface Faults {
  die?: string;
  together?: string;
}

async function main() {
  const [file, catalogFile, storeFile, name] = process.argv.slice(2);
  const exercise = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (typeof exercise.idempotentCheckout !== 'function') {
    throw new Error(`${file} does not export a function named idempotentCheckout`);
  }
  const idempotentCheckout = exercise.idempotentCheckout as Checkout;
  const sharedDir = dirname(catalogFile);

  // The check created the catalogue (products, orders) before starting any server.
  const raw = new Database(catalogFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000'); // a second server's transaction waits for the first
  const priceOf = raw.prepare<[number], { priceCents: number }>(
    'SELECT price_cents AS priceCents FROM products WHERE id = ?',
  );
  // The same INSERT as lab/catalog.ts, but on the connection the reader's transactions use.
  const insertOrder = raw.prepare<[string, string, number]>(
    'INSERT INTO orders (user, lines, total_cents) VALUES (?, ?, ?)',
  );
  const keyStore = sqliteStore<unknown>(storeFile, 'idempotency_keys', () => Date.now());

  /** Waits (blocking this process, at most 1 s) for the other copy of the request to get here. */
  function meetTheOtherCopy(id: string) {
    const mark = (what: string) =>
      writeFileSync(join(sharedDir, `together-${id}.${name}.${what}`), '');
    const otherArrived = () =>
      readdirSync(sharedDir).some(
        (f) =>
          f.startsWith(`together-${id}.`) && f.endsWith('.arrived') && !f.includes(`.${name}.`),
      );
    mark('arrived');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (const until = realNow() + 1000; !otherArrived() && realNow() < until;) {
      Atomics.wait(pause, 0, 0, 5);
    }
    mark(otherArrived() ? 'met' : 'alone');
  }

  /** The store, the database and placeOrder for one request, with its faults wired in. */
  function forRequest(faults: Faults, user: string, lines: OrderLine[]) {
    let orderWritten = false;
    let lookedUp = false;
    const afterFirstLookUp = () => {
      if (faults.together && !lookedUp) meetTheOtherCopy(faults.together);
      lookedUp = true;
    };
    const dieIfCommitted = () => {
      if (faults.die === 'after-commit' && orderWritten && !raw.inTransaction) die();
    };
    const placeOrder = (): Order => {
      if (faults.die === 'before-order') die();
      let totalCents = 0;
      for (const line of lines) {
        const product = priceOf.get(line.productId);
        if (!product) throw new Error(`there is no product ${line.productId}`);
        totalCents += product.priceCents * line.qty;
      }
      const { lastInsertRowid } = insertOrder.run(user, JSON.stringify(lines), totalCents);
      orderWritten = true;
      dieIfCommitted(); // no transaction around it: the order is committed already
      return { id: Number(lastInsertRowid), user, lines, totalCents };
    };
    const db: ShopDatabase = {
      transaction(work) {
        const result = raw.transaction(work).immediate();
        dieIfCommitted();
        return result;
      },
      run(sql, ...params) {
        const { changes } = raw.prepare(sql).run(...params);
        dieIfCommitted(); // the statement may have been a COMMIT
        return { changes };
      },
      get<Row>(sql: string, ...params: SqlValue[]) {
        const row = raw.prepare(sql).get(...params) as Row | undefined;
        if (!raw.inTransaction) afterFirstLookUp();
        return row;
      },
    };
    const store: StateStore<unknown> = {
      kind: keyStore.kind,
      get: async (key) => {
        const value = await keyStore.get(key);
        afterFirstLookUp();
        return value;
      },
      set: (key, value, ttlMs) => keyStore.set(key, value, ttlMs),
      setIfAbsent: (key, value, ttlMs) => keyStore.setIfAbsent(key, value, ttlMs),
      setIfPresent: (key, value, ttlMs) => keyStore.setIfPresent(key, value, ttlMs),
      delete: (key) => keyStore.delete(key),
    };
    return { db, store, placeOrder };
  }

  const header = (req: IncomingMessage, name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };

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
      const faults: Faults = {
        die: header(req, 'x-statelab-die'),
        together: header(req, 'x-statelab-together'),
      };
      aheadMs = Number(header(req, 'x-statelab-clock-ahead-ms') ?? 0);
      const { db, store, placeOrder } = forRequest(faults, body.user, body.lines);
      const key = header(req, 'idempotency-key');
      const answer = async (): Promise<Reply> =>
        key !== undefined
          ? idempotentCheckout(store, key, text, placeOrder, db)
          : { status: 201, body: { order: placeOrder() } };
      answer().then(
        (reply) => {
          if (faults.die === 'before-reply') die();
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
