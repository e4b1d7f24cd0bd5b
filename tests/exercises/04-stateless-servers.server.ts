// Runs in its own process for the exercise 04 check: ONE cart server, named by the check, with the
// reader's createCarts over a store in a SQLite file that every server process shares. Killing the
// process is a crash: whatever the reader kept in this process's memory is gone.
//   GET  /health          → { ok: true }
//   GET  /cart/<user>     → { items } from carts.list
//   POST /cart/<user>     → { items } from carts.add, body { productId, qty }
// The store the reader gets writes late, as a store across a network does: a write (set, update,
// setIfAbsent, setIfPresent, delete) starts only when its promise is awaited (or then'd, or
// catch'd), or else when this server takes its next request; and once started, it is done only
// after the server's pending callbacks have run (setImmediate), never within the same turn. So
// an add that answers without awaiting its write (even one that catches its errors) answers
// before the store has the cart, every time, and the answer says so in a test header:
//   x-statelab-unawaited-writes: N → writes this request made and left behind, not yet done in
//                                    the store (another request's writes, still running, do not
//                                    count: each write is counted for the request that made it)
// A request sent with the test header x-statelab-slow-reads: 1 gets every store call it makes
// answered READ_ROUND_TRIP_MS after the store has done it, as from a store across a network: two
// adds sent together on two servers then both read before either writes, whenever they read and
// write in two steps (a get then a set, an update used as a read then a set, ...). An atomic
// store.update is slowed too, but its read-change-write happens in SQLite as one step.
// store.update runs the reader's change twice, as its contract allows ("it may run more than
// once"; the Redis store does, when another write to the key got in first): once on a copy of the
// cart, a run thrown away, then on the cart, the run whose result is written. When the two runs
// give different carts, the change has a side effect, and the answer says so in a test header:
//   x-statelab-impure-change: URI-encoded JSON [first run's cart, second run's cart]
// A request sent with x-statelab-store-down: 1 gets every write it makes to the store (set,
// update, setIfAbsent, setIfPresent, delete) rejected, as by a store that stopped answering; its
// reads still work. One sent with x-statelab-reads-down: 1 gets every call that reads the store
// rejected the same way (get, and update, setIfAbsent and setIfPresent, which read before they
// write); its plain writes (set, delete) still work.
// A request sent with x-statelab-hold: TOKEN gets its first store.get answered only once the check
// says so: the check waits until that get has read the store (GET /statelab/held/TOKEN answers
// {"held":true} then, or {"held":false} if the request was answered without a get), does what it
// wants meanwhile (an add on another server), then lets the get answer (POST
// /statelab/release/TOKEN). A hold ends by itself after HOLD_MAX_MS.
// A request sent with x-statelab-hold-write: TOKEN is held the same way at the write that puts its
// line in the user's cart (a set, setIfAbsent or setIfPresent under the user's name whose cart
// holds the line; an update whose change, run on a copy of the cart, gives one that does), before
// that write starts: whatever the add did first (a lock taken, a cart created) is done by then.
// The check crashes the server there, in the middle of the add, as a machine dies mid-request. A
// write hold, once its request has come, ends only with the request or the process: no timer.
// Prints {"listening":PORT} when ready.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { importExercise } from './watchdog';
import type { CartLine } from '../../notebooks/lab/core/shop-types';
import { sqliteStore } from '../../notebooks/lab/node/sqlite-store';
import type { StateStore } from '../../notebooks/lab/core/store';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../notebooks/lab/node/http-edge';

const READ_ROUND_TRIP_MS = 300;
const HOLD_MAX_MS = 5_000;

/** What the request being answered asked of the store (its test headers), and what it saw. */
interface Asked {
  /** x-statelab-slow-reads: 1 */
  slow: boolean;
  /** x-statelab-store-down: 1 */
  storeDown: boolean;
  /** x-statelab-reads-down: 1 */
  readsDown: boolean;
  /** Writes this request made that are not yet done in the store (not started, or running). */
  notDone: number;
  /** x-statelab-hold: its first store.get waits for the check. */
  hold?: Hold;
  /** x-statelab-hold-write: its write that puts `line` in `user`'s cart waits for the check. */
  holdWrite?: Hold;
  /** The user whose cart the request is for (the path's name). */
  user?: string;
  /** The line an add was sent (its body). */
  line?: CartLine;
  /** The two runs of a change given to store.update that gave different carts, the first seen. */
  impure?: [unknown, unknown];
}
const asked = new AsyncLocalStorage<Asked>();

/** A get held for the check: `reached` when it has read the store, answered on `release`. */
interface Hold {
  reached: (held: boolean) => void;
  isReached: Promise<boolean>;
  release: () => void;
  released: Promise<void>;
  /** Its request has come: from now on it ends with that request, not by itself. */
  came: () => void;
}
const holds = new Map<string, Hold>();
const holdOf = (token: string): Hold => {
  let hold = holds.get(token);
  if (!hold) {
    let reached!: (held: boolean) => void;
    let release!: () => void;
    const isReached = new Promise<boolean>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => {
      reached(false); // no such request came: the check is not left waiting
      release();
      holds.delete(token);
    }, HOLD_MAX_MS);
    void released.then(() => clearTimeout(timer));
    hold = { reached, isReached, release, released, came: () => clearTimeout(timer) };
    holds.set(token, hold);
  }
  return hold;
};

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
  const { store, land } = writesLate(sqliteStore<CartLine[]>(storeFile, 'carts'));
  const carts = (createCarts as (store: StateStore<CartLine[]>) => Carts)(store);

  // Idle connections kept 65 s, not Node's 5 s, as the lab's servers do (http-edge.ts): the
  // check reuses them, and on a busy machine a reuse after 5 s could meet the server closing it.
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    land(); // the writes the last answer left behind land now, a request late
    const token = req.headers['x-statelab-hold'];
    const writeToken = req.headers['x-statelab-hold-write'];
    const context: Asked = {
      slow: req.headers['x-statelab-slow-reads'] === '1',
      storeDown: req.headers['x-statelab-store-down'] === '1',
      readsDown: req.headers['x-statelab-reads-down'] === '1',
      notDone: 0,
      hold: typeof token === 'string' ? holdOf(token) : undefined,
      holdWrite: typeof writeToken === 'string' ? holdOf(writeToken) : undefined,
    };
    context.holdWrite?.came();
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-served-by': name,
        'x-statelab-unawaited-writes': String(context.notDone),
        ...(context.impure
          ? { 'x-statelab-impure-change': encodeURIComponent(JSON.stringify(context.impure)) }
          : {}),
      });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // A user's name as given, capitals too: "Ada" and "ada" are two users.
      const cart = /^\/cart\/([A-Za-z0-9-]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && req.url === '/health') return reply(200, { ok: true });
      const control = /^\/statelab\/(held|release)\/([a-z0-9-]+)$/.exec(req.url ?? '');
      if (control?.[1] === 'held' && req.method === 'GET') {
        void holdOf(control[2]).isReached.then((held) => reply(200, { held }));
        return;
      }
      if (control?.[1] === 'release' && req.method === 'POST') {
        holdOf(control[2]).release();
        holds.delete(control[2]);
        return reply(200, { released: true });
      }
      if (!cart) return reply(404, { error: `no route for ${req.method} ${req.url}` });
      const user = cart[1];
      context.user = user;
      const answer = async () => {
        if (req.method === 'GET') return carts.list(user);
        const line = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CartLine;
        context.line = line;
        return carts.add(user, line);
      };
      asked
        .run(context, answer)
        .finally(() => {
          context.hold?.reached(false); // answered without a get to hold
          context.holdWrite?.reached(false); // or without a write to the cart
          context.holdWrite = undefined; // a write it left behind is not held: nobody waits
        })
        .then(
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

/** A promise whose work starts only when someone waits for it (then, catch, finally, await). */
function lazy<R>(start: () => Promise<R>, pending: Set<() => Promise<unknown>>): Promise<R> {
  let started: Promise<R> | undefined;
  const begin = () => {
    pending.delete(begin);
    return (started ??= start());
  };
  pending.add(begin);
  // Not a real Promise: `await` takes a real one as it is, without calling its then.
  const later = {
    then: (onDone?: (value: R) => unknown, onFailed?: (error: unknown) => unknown) =>
      begin().then(onDone, onFailed),
    catch: (onFailed: (error: unknown) => unknown) => begin().catch(onFailed),
    finally: (onEnd: () => void) => begin().finally(onEnd),
  };
  return later as unknown as Promise<R>;
}

/**
 * The change given to store.update, run twice (see the header): first on a copy of the cart, a
 * run thrown away, as a store that retries throws its first run away; then on the cart itself.
 * Two runs that end differently (another cart, or one throws) are noted for the answer's header.
 */
function twice<T>(change: (current: T | undefined) => T) {
  return (current: T | undefined): T => {
    const end = (run: () => T): { value: T } | { threw: unknown } => {
      try {
        return { value: run() };
      } catch (error) {
        return { threw: error };
      }
    };
    const first = end(() => change(structuredClone(current)));
    const second = end(() => change(current));
    const context = asked.getStore();
    const shown = (run: typeof first) =>
      'value' in run ? run.value : `an error: ${String(run.threw)}`;
    const same =
      'value' in first && 'value' in second
        ? isDeepStrictEqual(first.value, second.value)
        : 'threw' in first && 'threw' in second;
    if (!same && context) context.impure ??= [shown(first), shown(second)];
    if ('threw' in second) throw second.threw;
    return second.value;
  };
}

/** The store with late writes (see the header), and how to land the ones waiting. */
function writesLate<T>(real: StateStore<T>) {
  const pending = new Set<() => Promise<unknown>>();
  const late =
    <A extends unknown[], R>(
      write: (...args: A) => Promise<R>,
      reads = false,
      method: 'set' | 'setIfAbsent' | 'setIfPresent' | 'update' | 'delete' = 'set',
    ) =>
    (...args: A) => {
      // The request that made this write: its headers apply to it, and it counts as that
      // request's until it is done, even if another request's arrival starts it (land).
      const context = asked.getStore();
      if (context) context.notDone += 1;
      return lazy(async () => {
        try {
          const hold = context?.holdWrite;
          if (hold && (await addsTheLine(context, method, args))) {
            context.holdWrite = undefined; // only the first such write
            hold.reached(true);
            await hold.released;
          }
          // Not before every promise callback of this turn has run: an answer that did not wait
          // for this write is sent first, whatever the reader's code chained to the promise.
          await new Promise((resolve) => setImmediate(resolve));
          if (context?.storeDown || (reads && context?.readsDown)) {
            throw new Error('the store did not answer the write: connection reset (ECONNRESET)');
          }
          const result = await write(...args);
          // A slow request's write is answered a round trip late too: done in the store, not yet
          // known to the caller (a read made with update, then a set, is two steps as well).
          if (context?.slow) await new Promise((done) => setTimeout(done, READ_ROUND_TRIP_MS));
          return result;
        } finally {
          if (context) context.notDone -= 1;
        }
      }, pending) as Promise<R>;
    };
  /** Whether a write (its method and arguments) would put the request's line in the user's
   *  cart: a write that takes effect (not a setIfAbsent on a cart that exists), of a cart that
   *  holds the line, compared as JSON (as the store keeps it). */
  const addsTheLine = async (context: Asked, method: string, [key, value]: unknown[]) => {
    if (typeof key !== 'string' || key !== context.user || context.line === undefined) return false;
    const current = await real.get(key);
    if (method === 'setIfAbsent' && current !== undefined) return false;
    if (method === 'setIfPresent' && current === undefined) return false;
    const cart =
      typeof value === 'function'
        ? (() => {
            try {
              return (value as (current: unknown) => unknown)(structuredClone(current));
            } catch {
              return undefined;
            }
          })()
        : value;
    const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));
    const wanted = asJson(context.line);
    return Array.isArray(cart) && cart.some((line) => isDeepStrictEqual(asJson(line), wanted));
  };
  const store: StateStore<T> = {
    kind: real.kind,
    get: async (key) => {
      const context = asked.getStore();
      if (context?.readsDown) {
        throw new Error('the store did not answer the read: connection reset (ECONNRESET)');
      }
      const value = await real.get(key);
      if (context?.slow) await new Promise((done) => setTimeout(done, READ_ROUND_TRIP_MS));
      const hold = context?.hold;
      if (hold) {
        context.hold = undefined; // only the first get
        hold.reached(true);
        await hold.released;
      }
      return value;
    },
    set: late((key: string, value: T, ttlMs?: number) => real.set(key, value, ttlMs)),
    setIfAbsent: late(
      (key: string, value: T, ttlMs?: number) => real.setIfAbsent(key, value, ttlMs),
      true,
      'setIfAbsent',
    ),
    setIfPresent: late(
      (key: string, value: T, ttlMs?: number) => real.setIfPresent(key, value, ttlMs),
      true,
      'setIfPresent',
    ),
    update: late(
      (key: string, change: (current: T | undefined) => T, ttlMs?: number) =>
        real.update(key, twice(change), ttlMs),
      true,
      'update',
    ),
    delete: late((key: string) => real.delete(key), false, 'delete'),
  };
  return {
    store,
    land: () =>
      [...pending].forEach((begin) =>
        begin().catch((error: unknown) =>
          console.error(error instanceof Error ? error.stack : error),
        ),
      ),
  };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
