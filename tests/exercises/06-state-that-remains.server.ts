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
//   x-statelab-clock-ahead-ms: N → during this request, Date.now(), new Date(), the store's clock
//                     and SQLite's date and time functions on this server's connection (unixepoch,
//                     datetime, julianday, strftime, date, time: 'now', or no time value) run N ms
//                     ahead: "the retry comes much later". The keywords CURRENT_TIMESTAMP,
//                     CURRENT_DATE and CURRENT_TIME cannot be replaced: in the reader's SQL they
//                     are rewritten as (datetime('now')), (date('now')) and (time('now')), which
//                     give the same text and move with the rest. performance.now() runs N ms ahead
//                     too (performance.timeOrigin + performance.now() is a clock as well).
//   x-statelab-together: ID → one of two copies of a request sent at the same moment. Each copy is
//                     held (blocking its process) after every step it takes apart from the order:
//                     a statement run outside a transaction (CREATE/DROP/ALTER excepted), a call
//                     of `store`, a db.transaction that ended without calling placeOrder, a read in
//                     a transaction that does not hold the write lock yet (one the reader began
//                     with a plain BEGIN: it reads a snapshot, and asks for the lock only at its
//                     first write, where SQLite refuses it if another copy wrote first). It waits
//                     until the other copy has taken as many such steps, has started its order or
//                     has answered. A copy that took such a step is held again when it calls
//                     placeOrder, until the other copy is waiting for the write lock, has started
//                     its order or has answered. So a copy that decides outside the order's
//                     transaction always decides before the other copy's order is committed, and
//                     a design that decides inside it (and takes no step before) is never held.
//                     The holds of one request last at most 1 s in all; one that runs out writes
//                     a file saying the copies did not meet, and the check tries again.
// Prints {"listening":PORT} when ready.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { importExercise } from './watchdog';
import type { Order, OrderLine } from '../../notebooks/lab/core/catalog';
import type { Reply } from '../../notebooks/lab/core/reply';
import { sqliteStore } from '../../notebooks/lab/node/sqlite-store';
import type { StateStore } from '../../notebooks/lab/core/store';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../notebooks/lab/node/http-edge';

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
// performance.now() too, so that performance.timeOrigin + performance.now() (a wall clock to the
// millisecond and below) runs ahead with Date; timeOrigin itself stays as it is, the moment the
// process started.
const realPerformanceNow = performance.now.bind(performance);
performance.now = () => realPerformanceNow() + aheadMs;

/** The test headers of one request. */
interface Faults {
  die?: string;
  together?: string;
}

async function main() {
  const [file, catalogFile, storeFile, name] = process.argv.slice(2);
  const exercise = await importExercise(file);
  if (typeof exercise.idempotentCheckout !== 'function') {
    throw new Error(`${file} does not export a function named idempotentCheckout`);
  }
  const idempotentCheckout = exercise.idempotentCheckout as Checkout;
  const sharedDir = dirname(catalogFile);

  // The check created the catalogue (products, orders) before starting any server.
  const raw = new Database(catalogFile);
  raw.pragma('journal_mode = WAL');
  // A second server's transaction waits for the first, however slow a busy machine makes it.
  raw.pragma('busy_timeout = 600000');
  // SQLite's own clock moves with the JS clock: on this connection each date and time function
  // is replaced by one that reads 'now' (or a missing time value) as the shifted time and hands
  // everything to SQLite's own function on a connection of its own. (An application function
  // takes precedence over a built-in one of the same name.)
  const sqliteClock = new Database(':memory:');
  const timeValueAt = { unixepoch: 0, datetime: 0, julianday: 0, date: 0, time: 0, strftime: 1 };
  const builtIn = new Map<string, Database.Statement<unknown[]>>();
  for (const [fnName, at] of Object.entries(timeValueAt)) {
    raw.function(fnName, { deterministic: false, varargs: true }, (...args: unknown[]) => {
      if (aheadMs !== 0) {
        const now = new RealDate(realNow() + aheadMs).toISOString().replace('T', ' ').slice(0, -1);
        const value = args[at];
        if (args.length === at) args.push(now);
        else if (typeof value === 'string' && value.toLowerCase() === 'now') args[at] = now;
      }
      const sql = `SELECT ${fnName}(${args.map(() => '?').join(', ')})`;
      let stmt = builtIn.get(sql);
      if (!stmt) builtIn.set(sql, (stmt = sqliteClock.prepare(sql).pluck()));
      return stmt.get(...args);
    });
  }
  /**
   * The reader's SQL with CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME (keywords SQLite reads
   * its own clock for) written as the functions above, so they move too. Quoted text and comments
   * are kept (and skipped whole, so a quote inside a comment starts nothing).
   */
  const CLOCK_KEYWORDS =
    /('(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|\bCURRENT_(TIMESTAMP|DATE|TIME)\b/gi;
  const FUNCTION_OF = { timestamp: 'datetime', date: 'date', time: 'time' } as const;
  const shiftable = (sql: string) =>
    sql.replace(CLOCK_KEYWORDS, (match, quoted: string | undefined, which: string | undefined) =>
      quoted !== undefined || which === undefined
        ? match
        : `(${FUNCTION_OF[which.toLowerCase() as keyof typeof FUNCTION_OF]}('now'))`,
    );
  const priceOf = raw.prepare<[number], { priceCents: number }>(
    'SELECT price_cents AS priceCents FROM products WHERE id = ?',
  );
  // The same INSERT as lab/node/sqlite-catalog.ts, but on the connection the reader's transactions use.
  const insertOrder = raw.prepare<[string, string, number]>(
    'INSERT INTO orders (user, lines, total_cents) VALUES (?, ?, ?)',
  );
  const keyStore = sqliteStore<unknown>(storeFile, 'idempotency_keys', () => Date.now());

  /** What one copy of a together request has done so far, as the other copy reads it. */
  interface Progress {
    /** Steps taken apart from the order (see the header). */
    steps: number;
    /** Waiting for (or holding) the write lock: just before BEGIN IMMEDIATE or a write. */
    lock: boolean;
    /** placeOrder has been called. */
    ordered: boolean;
    /** idempotentCheckout has returned or thrown. */
    done: boolean;
  }
  const HOLD_BUDGET_MS = 1000;

  /** One copy's side of a together request: its progress in a file, and the holds. */
  function together(id: string) {
    const mine: Progress = { steps: 0, lock: false, ordered: false, done: false };
    const file = (what: string) => join(sharedDir, `together-${id}.${name}.${what}`);
    const publish = () => {
      // Written whole, then renamed: the other copy never reads half a file.
      writeFileSync(file('progress.tmp'), JSON.stringify(mine));
      renameSync(file('progress.tmp'), file('progress'));
    };
    const other = (): Progress | undefined => {
      const theirs = readdirSync(sharedDir).find(
        (f) =>
          f.startsWith(`together-${id}.`) && f.endsWith('.progress') && !f.includes(`.${name}.`),
      );
      if (!theirs) return undefined;
      try {
        return JSON.parse(readFileSync(join(sharedDir, theirs), 'utf8')) as Progress;
      } catch {
        return undefined; // renamed away between the listing and the read: read again next time
      }
    };
    let budgetEnds: number | undefined;
    let alone = false;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    /** Blocks until `met(other)`, or the request's hold budget has run out (then: alone). */
    const holdUntil = (met: (other: Progress) => boolean) => {
      budgetEnds ??= realNow() + HOLD_BUDGET_MS;
      for (;;) {
        const theirs = other();
        if (theirs && met(theirs)) return;
        if (realNow() >= budgetEnds) break;
        Atomics.wait(pause, 0, 0, 5);
      }
      if (!alone) writeFileSync(file('alone'), '');
      alone = true;
    };
    publish();
    return {
      /** After a step apart from the order. */
      stepTaken(holdingLock: boolean) {
        mine.steps += 1;
        publish();
        const n = mine.steps;
        holdUntil((o) => o.steps >= n || o.ordered || o.done || (holdingLock && o.lock));
      },
      /** `lock` just before something that may wait for the write lock, and after it. */
      waitingForLock(lock: boolean) {
        mine.lock = lock;
        publish();
      },
      /** placeOrder was called: a copy that took steps first waits for the other to decide. */
      ordering() {
        mine.ordered = true;
        publish();
        if (mine.steps > 0) holdUntil((o) => o.lock || o.ordered || o.done);
      },
      answered() {
        mine.done = true;
        publish();
      },
    };
  }

  /** The store, the database and placeOrder for one request, with its faults wired in. */
  function forRequest(faults: Faults, user: string, lines: OrderLine[]) {
    let orderWritten = false;
    let ordersPlaced = 0;
    /** The open transaction holds the write lock: it began IMMEDIATE (db.transaction does), or
     *  it has written. A transaction begun with a plain BEGIN has not, until its first write. */
    let writeLock = false;
    const holdsWriteLock = () => {
      if (!raw.inTransaction) writeLock = false;
      return writeLock;
    };
    const copy = faults.together ? together(faults.together) : undefined;
    const dieIfCommitted = () => {
      if (faults.die === 'after-commit' && orderWritten && !raw.inTransaction) die();
    };
    const placeOrder = (): Order => {
      ordersPlaced += 1;
      copy?.ordering();
      if (faults.die === 'before-order') die();
      let totalCents = 0;
      for (const line of lines) {
        const product = priceOf.get(line.productId);
        if (!product) throw new Error(`there is no product ${line.productId}`);
        totalCents += product.priceCents * line.qty;
      }
      holdsWriteLock();
      const { lastInsertRowid } = insertOrder.run(user, JSON.stringify(lines), totalCents);
      writeLock = raw.inTransaction;
      orderWritten = true;
      dieIfCommitted(); // no transaction around it: the order is committed already
      return { id: Number(lastInsertRowid), user, lines, totalCents };
    };
    const DDL = /^\s*(CREATE|DROP|ALTER)\b/i;
    const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
    const BEGIN_LOCKED = /^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\b/i;
    /** Runs one statement of the reader's; outside a transaction it may be a step (see the header). */
    function statement<R>(sql: string, run: (stmt: Database.Statement) => R): R {
      const stmt = raw.prepare(shiftable(sql));
      const outside = !raw.inTransaction;
      const locked = holdsWriteLock();
      const mayWaitForLock = outside && (!stmt.readonly || /^\s*BEGIN\b/i.test(sql));
      if (copy && mayWaitForLock) copy.waitingForLock(true);
      let result: R;
      try {
        result = run(stmt);
      } finally {
        if (copy && mayWaitForLock) copy.waitingForLock(false);
      }
      const control = TRANSACTION_CONTROL.test(sql);
      if (raw.inTransaction && (BEGIN_LOCKED.test(sql) || (!stmt.readonly && !control))) {
        writeLock = true;
      }
      if (copy && outside && !DDL.test(sql) && !control) copy.stepTaken(false);
      // A read under a snapshot, in a transaction that has not taken the write lock: a decision
      // the other copy's order can still change.
      else if (copy && !outside && !locked && stmt.readonly && !control) copy.stepTaken(false);
      return result;
    }
    const db: ShopDatabase = {
      transaction(work) {
        const ordersBefore = ordersPlaced;
        copy?.waitingForLock(true);
        let result;
        // Inside an open transaction better-sqlite3 runs it as a SAVEPOINT, which takes no lock.
        const nested = raw.inTransaction;
        try {
          result = raw
            .transaction(() => {
              if (!nested) writeLock = true;
              return work();
            })
            .immediate();
        } finally {
          copy?.waitingForLock(false);
        }
        dieIfCommitted();
        if (ordersPlaced === ordersBefore) copy?.stepTaken(holdsWriteLock());
        return result;
      },
      run(sql, ...params) {
        const { changes } = statement(sql, (stmt) => stmt.run(...params));
        dieIfCommitted(); // the statement may have been a COMMIT
        return { changes };
      },
      get<Row>(sql: string, ...params: SqlValue[]) {
        return statement(sql, (stmt) => stmt.get(...params) as Row | undefined);
      },
    };
    /** A call of the store: a step apart from the order. */
    const step =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A) => {
        const result = await call(...args);
        copy?.stepTaken(holdsWriteLock());
        return result;
      };
    const store: StateStore<unknown> = {
      kind: keyStore.kind,
      get: step((key: string) => keyStore.get(key)),
      set: step((key: string, value: unknown, ttlMs?: number) => keyStore.set(key, value, ttlMs)),
      setIfAbsent: step((key: string, value: unknown, ttlMs?: number) =>
        keyStore.setIfAbsent(key, value, ttlMs),
      ),
      setIfPresent: step((key: string, value: unknown, ttlMs?: number) =>
        keyStore.setIfPresent(key, value, ttlMs),
      ),
      update: step((key: string, change: (current: unknown) => unknown, ttlMs?: number) =>
        keyStore.update(key, change, ttlMs),
      ),
      delete: step((key: string) => keyStore.delete(key)),
    };
    return { db, store, placeOrder, answered: () => copy?.answered() };
  }

  const header = (req: IncomingMessage, name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };

  // Idle connections kept 65 s, not Node's 5 s, as the lab's servers do (http-edge.ts): the
  // check reuses them, and on a busy machine a reuse after 5 s could meet the server closing it.
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
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
      const { db, store, placeOrder, answered } = forRequest(faults, body.user, body.lines);
      const key = header(req, 'idempotency-key');
      const answer = async (): Promise<Reply> =>
        key !== undefined
          ? idempotentCheckout(store, key, text, placeOrder, db)
          : { status: 201, body: { order: placeOrder() } };
      answer().then(
        (reply) => {
          answered();
          if (faults.die === 'before-reply') die();
          else send(reply);
        },
        (error: unknown) => {
          answered();
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
