// Checks for exercise 06: a checkout that is safe to retry. Two shop servers, app-1 and app-2,
// each in its own Node process, share one SQLite database (the orders, and whatever table the
// reader adds beside them) and one key-value store. The checks SIGKILL a server in the middle of
// a checkout (the .server.ts kills itself when a test header asks), retry the same request with
// the same Idempotency-Key on the other server (at once, and with that server's clock 23 hours
// ahead), send two copies of one checkout to both servers at the same moment, and count the
// orders in the database: one checkout must be one order, however often and whenever it is sent.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Catalog, type Order, type OrderLine } from '../../notebooks/lab/core/catalog';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type Answer,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('06-state-that-remains');
const fn = 'idempotentCheckout';
const NAMES = ['app-1', 'app-2'] as const;
type Name = (typeof NAMES)[number];
const dir = mkdtempSync(join(tmpdir(), 'statelab-06-'));
const catalogFile = join(dir, 'shop.sqlite');
const storeFile = join(dir, 'keys.sqlite');
const servers = new Map<Name, ExerciseServer>();
let catalog: Catalog;

/** Longer than any "still running" timeout, shorter than the 24 hours a key is kept (Stripe). */
const A_DAY_LATER_MS = 23 * 60 * 60 * 1000;

const start = async (name: Name) => {
  servers.set(
    name,
    await startExerciseServer(
      join(__dirname, '06-state-that-remains.server.ts'),
      [file, catalogFile, storeFile, name],
      file,
      fn,
    ),
  );
};

beforeAll(async () => {
  catalog = openCatalog(catalogFile); // creates the products before any server opens the file
  await Promise.all(NAMES.map(start));
});
afterAll(() => {
  for (const server of servers.values()) server.stop();
  catalog?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Checkout {
  user: string;
  lines: OrderLine[];
}
// Names and keys with quotes in them, as real ones have (d'Arcy O'Neil): an answer that writes
// them into its SQL text, not as parameters, breaks on them, even one that escapes the first quote.
const newCheckout = (): Checkout => ({
  user: `user-d'arcy-o'neil-${randomUUID().slice(0, 8)}`,
  lines: [
    { productId: 1, qty: 1 },
    { productId: 3, qty: 2 },
  ],
});
const newKey = () => `it's-${randomUUID()}-'n'`;
const ordersOf = (user: string) => catalog.orders(user);

interface Faults {
  /** Where the server kills itself (see the .server.ts). */
  die?: 'before-order' | 'after-commit' | 'before-reply';
  /** How far ahead the server's clocks (JS and SQLite) run during this request. */
  aheadMs?: number;
  /** One of two copies sent at the same moment: each decision outside the order meets the other. */
  together?: string;
}

/** POST /checkout on one server; a broken connection is returned as `undefined`, not thrown. */
async function send(
  name: Name,
  checkout: Checkout,
  key: string | undefined,
  faults: Faults = {},
): Promise<Answer | undefined> {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['idempotency-key'] = key;
  if (faults.die) headers['x-statelab-die'] = faults.die;
  if (faults.aheadMs) headers['x-statelab-clock-ahead-ms'] = String(faults.aheadMs);
  if (faults.together) headers['x-statelab-together'] = faults.together;
  const answer = ask(servers.get(name)!, '/checkout', file, fn, {
    method: 'POST',
    headers,
    body: checkout,
  });
  // Asked to die, the server may well not answer: that is the point, not a failure.
  return faults.die ? answer.catch(() => undefined) : answer;
}

/** The order in a 201 { order } answer, or undefined. */
const orderIn = (answer: Answer | undefined) => {
  const order = (answer?.body as { order?: Order } | undefined)?.order;
  return answer?.status === 201 && typeof order?.id === 'number' ? order : undefined;
};

/** The answer must be 201 { order } (a real order, in the database). */
function placed(answer: Answer | undefined, name: Name, what: string): Order {
  if (!answer) throw new Error('unreachable: no answer was expected to be missing here');
  const order = orderIn(answer);
  if (order) return order;
  const expected = `201 { order } from ${name}: ${what}`;
  const why = !answer.logged
    ? answer.status === 200 && (answer.body as { order?: unknown } | undefined)?.order
      ? `an order is answered 201 { order }, the first time and on every retry alike: the client sent the retry because the first answer never reached it, and must get the answer it missed, not another status (nothing says a replay differs, except the idempotent-replayed header if you like)`
      : answer.status === 422
        ? `422 is for a key used before with another body, and this body is the same, sent again: its fingerprint came out different this time. A fingerprint is the same for the same body on every server and at every moment: compute it from the body alone (no random salt or key made when the process starts, no time)`
        : undefined
    : undefined;
  if (!why) throw unexpected(answer, expected, file, fn);
  throw new Lesson({
    expected,
    got: `${answer.status} ${JSON.stringify(answer.body)}`,
    why,
    where: pointer(file, fn),
  });
}

/** The server was asked to die mid-checkout: it must not have answered. Then a fresh process. */
async function diedAndRestarted(answer: Answer | undefined, name: Name) {
  if (answer) {
    throw unexpected(
      answer,
      `no answer: ${name} was told to die in the middle of this checkout (it answers only if ${fn} failed before the order)`,
      file,
      fn,
    );
  }
  await start(name);
}

/** `got` and `why` explain too many orders; none at all has an explanation of its own. */
function exactlyOneOrder(user: string, got: string, why: string) {
  const orders = ordersOf(user);
  if (orders.length !== 1) {
    throw new Lesson({
      expected: `exactly 1 order for ${user} in the database`,
      got: orders.length === 0 ? 'no order at all' : `${orders.length} orders (${got})`,
      why: orders.length === 0 ? NO_ORDER : why,
      where: pointer(file, fn),
    });
  }
  return orders[0];
}

/** A replay must be the first answer's order, field for field: the client cannot tell them apart. */
function sameOrder(replayed: Order, first: Order, who: string) {
  if (isDeepStrictEqual(replayed, first)) return;
  throw new Lesson({
    expected: `${who}, the very order the first answer had: ${JSON.stringify(first)}`,
    got: JSON.stringify(replayed),
    why: `a retry is answered with the same order as the first request, with every field as it was (the same types too: lines an array of { productId, qty }, as placeOrder() returned it). The client takes the retry's answer for the first one it never received, and cannot tell them apart: a replayed order is the one that was answered, not one rebuilt differently`,
    where: pointer(file, fn),
  });
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What the server logged while it answered, without the stack frames outside the reader's file. */
const logged = (answer: Answer | undefined) =>
  (answer?.logged.trim() ?? '')
    .split('\n')
    .filter((line) => line && (!/^\s+at /.test(line) || line.includes(file)))
    .map((line) => `\n          ${line.trim()}`)
    .join('');

const REPLAY =
  "a retry with the same Idempotency-Key must not place another order, whichever server gets it: look the key up where every server can see it (not in one process's memory), and answer a known key with the order recorded for it";
const NO_ORDER = `${fn} answered, but no order for this checkout is in the database: a checkout with a key it has not seen must call placeOrder() once, and keep what it wrote (inside db.transaction, the order is kept when the transaction ends without an error)`;
const TOGETHER =
  'Keep the key where the order is: in `db`, written in the same db.transaction as placeOrder(), so a crash keeps both or neither. A record kept apart from the order (in `store`, in memory, or committed on its own) can say only "started": it cannot tell whether the order was committed';

describe('exercise 06: a checkout that is safe to retry', () => {
  it('a checkout with a key places one order and answers 201 { order }', async () => {
    const checkout = newCheckout();
    const order = placed(await send('app-1', checkout, newKey()), 'app-1', 'a first checkout');
    const stored = exactlyOneOrder(checkout.user, 'one checkout', 'one checkout, one order');
    if (stored.id !== order.id) {
      throw new Lesson({
        expected: `the answer's order to be the one in the database (id ${stored.id})`,
        got: `order id ${order.id}`,
        where: pointer(file, fn),
      });
    }
    // The same user buys the same things again: a new checkout, with a key of its own.
    const again = placed(
      await send('app-2', checkout, newKey()),
      'app-2',
      'a second checkout of the same cart, with a new key',
    );
    const orders = ordersOf(checkout.user);
    if (orders.length !== 2 || again.id === order.id) {
      throw new Lesson({
        expected: `2 orders for ${checkout.user}: the same cart checked out twice, each time with a new Idempotency-Key, is two purchases`,
        got: `${plural(orders.length, 'order')} in the database${again.id === order.id ? `, and the second checkout was answered with the first one's order (id ${order.id})` : ''}`,
        why: `only the key tells a retry from a new checkout: a client sends a new key for every checkout it means, and the same key on every retry of it. The same body under another key is the same user buying the same things again, and places its own order. The fingerprint only tells apart the bodies sent with ONE key (422 for another one): look up the key, never the body`,
        where: pointer(file, fn),
      });
    }
    // A key is the client's string, exactly: keys that differ only in case, or that have _ or %
    // in them (the wildcards of SQL's LIKE), are other keys, each a checkout of its own.
    const cart = newCheckout();
    const stem = `order-${randomUUID().slice(0, 8)}-`;
    const firstKey = `${stem}abc`;
    const earlier = placed(
      await send('app-1', cart, firstKey),
      'app-1',
      `a checkout with the key "${firstKey}"`,
    );
    for (const key of [`${stem}ABC`, `${stem}a_c`, `${stem}%`]) {
      const before = ordersOf(cart.user).length;
      const answer = await send('app-2', cart, key);
      const order = orderIn(answer);
      const now = ordersOf(cart.user).length;
      if (order && order.id !== earlier.id && now === before + 1) continue;
      if (answer && !order && answer.status !== 422) {
        throw unexpected(
          answer,
          `201 { order } from app-2: a new checkout, with the key "${key}"`,
          file,
          fn,
        );
      }
      throw new Lesson({
        expected: `201 { order } from app-2 with a new order: the key "${key}" was never sent before (the same cart was checked out once, with the key "${firstKey}")`,
        got: `${answer?.status} ${JSON.stringify(answer?.body)}${
          order?.id === earlier.id
            ? `: the order placed for the key "${firstKey}" (id ${earlier.id}), answered as a replay`
            : answer?.status === 422
              ? `: refused, as if "${firstKey}" had been sent again with another body`
              : ''
        }, and ${plural(now - before, 'new order')} in the database`,
        why: `"${key}" and "${firstKey}" are two keys: the client made each for a checkout of its own, and a key is its exact string. It was taken for the other one: compared without regard to case (lower-cased, or trimmed, before it was looked up or stored), or looked up with LIKE, which ignores case and reads _ and % as wildcards (a_c matches abc, % matches every key). Store the key as it came, and look it up with key = ?: taken for a retry, a new checkout places no order, and the customer is answered with an earlier one`,
        where: pointer(file, fn),
      });
    }
  });

  it('the same request sent again, to the other server, gets the same order and places none', async () => {
    const checkout = newCheckout();
    const key = newKey();
    const first = placed(await send('app-1', checkout, key), 'app-1', 'a first checkout');
    const again = placed(await send('app-2', checkout, key), 'app-2', 'the same checkout again');
    exactlyOneOrder(checkout.user, 'the same request, sent to app-1 and then to app-2', REPLAY);
    if (again.id !== first.id) {
      throw new Lesson({
        expected: `app-2 to answer with app-1's order (id ${first.id})`,
        got: `order id ${again.id}`,
        why: REPLAY,
        where: pointer(file, fn),
      });
    }
    sameOrder(again, first, 'app-2, for the retry');
    // A client whose retry's answer was lost too retries again: the key still holds.
    const third = placed(
      await send('app-1', checkout, key),
      'app-1',
      'the same checkout a third time',
    );
    exactlyOneOrder(
      checkout.user,
      'the same request, sent to app-1, to app-2 and to app-1 again: the third placed another',
      `the first retry was answered with the order, but the one after it was taken for a new checkout: the key was no longer found. A client retries whenever an answer does not reach it, and the answer to a retry can be lost too: the key must keep answering with its order on every retry, for as long as a client may retry (Stripe: 24 hours), not only the first time`,
    );
    sameOrder(third, first, 'app-1, for the second retry');
  });

  it('app-1 dies after the checkout, before its answer leaves: the retry on app-2 gets that order', async () => {
    const checkout = newCheckout();
    const key = newKey();
    await diedAndRestarted(await send('app-1', checkout, key, { die: 'before-reply' }), 'app-1');
    const retried = placed(await send('app-2', checkout, key), 'app-2', 'the retry');
    const stored = exactlyOneOrder(
      checkout.user,
      'app-1 placed one before it died, the retry on app-2 placed another',
      `the client never saw app-1's answer, so it could not know it had paid: ${REPLAY}. (Without a key this double charge is what a retry does.)`,
    );
    if (retried.id !== stored.id) {
      throw new Lesson({
        expected: `the retry to get the order app-1 placed (id ${stored.id})`,
        got: `order id ${retried.id}`,
        why: REPLAY,
        where: pointer(file, fn),
      });
    }
  });

  it('app-2 dies the moment its order is committed: the retry on app-1 gets that order, not 409', async () => {
    const checkout = newCheckout();
    const key = newKey();
    await diedAndRestarted(await send('app-2', checkout, key, { die: 'after-commit' }), 'app-2');
    const retried = await send('app-1', checkout, key);
    const stored = exactlyOneOrder(
      checkout.user,
      'app-2 committed one and died; the retry on app-1 placed another',
      `app-2 died between committing the order and recording the key where app-1 could see it, so app-1 took the key for new. ${TOGETHER}`,
    );
    if (retried?.status === 409) {
      throw new Lesson({
        expected: `201 with the order app-2 committed (id ${stored.id}): the order exists, so the retry can have it`,
        got: `409 ${JSON.stringify(retried.body)}`,
        why: `app-2 died after committing the order and before recording the key as done, so the key still says "running", and will until it expires. ${TOGETHER}`,
        where: pointer(file, fn),
      });
    }
    const order = placed(
      retried,
      'app-1',
      `the retry, answered with app-2's order (id ${stored.id})`,
    );
    if (order.id !== stored.id) {
      throw new Lesson({
        expected: `the retry to get the order app-2 committed (id ${stored.id})`,
        got: `order id ${order.id}`,
        why: TOGETHER,
        where: pointer(file, fn),
      });
    }
  });

  it('app-1 dies the moment its order is committed: a retry on app-2 a day later places no second order', async () => {
    const checkout = newCheckout();
    const key = newKey();
    await diedAndRestarted(await send('app-1', checkout, key, { die: 'after-commit' }), 'app-1');
    const retried = await send('app-2', checkout, key, { aheadMs: A_DAY_LATER_MS });
    if (retried?.status === 500) throw unexpected(retried, '201 { order } or 409', file, fn);
    exactlyOneOrder(
      checkout.user,
      "app-1 committed one and died; app-2's clock ran 23 hours ahead and the retry placed another",
      `23 hours later, app-2 took the key for new, although app-1 had committed its order: what app-1 kept of the key had expired by then (by Date.now(), new Date(), performance.now() or SQLite's clock), or said only "running" and its timeout had run out (app-1 died before recording the key as done), or was never kept. A retry can come hours later: keep the key, recorded with its order, at least as long as a client may retry (Stripe keeps keys 24 hours); a shorter expiry or timeout only moves the day this happens. ${TOGETHER}`,
    );
  });

  it('app-2 dies before its order is written: nothing was kept, and the retry on app-1 places it', async () => {
    const checkout = newCheckout();
    const key = newKey();
    await diedAndRestarted(await send('app-2', checkout, key, { die: 'before-order' }), 'app-2');
    const retried = await send('app-1', checkout, key);
    if (retried?.status === 409) {
      throw new Lesson({
        expected:
          '201 { order }: app-2 died before writing the order, so there is none yet and the retry must place it',
        got: `409 ${JSON.stringify(retried.body)}`,
        why: `a record of the key committed before the order, on its own, outlived the crash and now blocks the key until it expires. Written in one transaction with the order, it would have been rolled back with it. ${TOGETHER}`,
        where: pointer(file, fn),
      });
    }
    placed(retried, 'app-1', 'the retry of a checkout whose first attempt left nothing');
    exactlyOneOrder(checkout.user, 'the retry placed more than one', REPLAY);
  });

  it('the same key with another body is refused with 422, and places nothing', async () => {
    const checkout = newCheckout();
    const key = newKey();
    placed(await send('app-1', checkout, key), 'app-1', 'a first checkout');
    const other = { ...checkout, lines: [{ productId: 2, qty: 5 }] };
    const answer = await send('app-2', other, key);
    if (answer?.status === 201) {
      throw new Lesson({
        expected: '422 from app-2: this key was already used for a different checkout',
        got: `201 ${JSON.stringify(answer.body)}`,
        why: 'app-1 recorded the key with another body (another fingerprint): app-2 must find that record and refuse the new body, placing nothing',
        where: pointer(file, fn),
      });
    }
    if (answer?.status !== 422) {
      throw unexpected(
        answer!,
        '422 from app-2: this key was already used for a different checkout (another fingerprint)',
        file,
        fn,
      );
    }
    // The server that placed the first order must refuse the other body too.
    const there = await send('app-1', other, key);
    if (there?.status !== 422) {
      throw new Lesson({
        expected:
          '422 from app-1 too: the server that answered the first body must refuse the other one like any server',
        got: `${there ? `${there.status} ${JSON.stringify(there.body)}` : 'no answer'}${logged(there)}`,
        why: `app-2 refused it, so the key's record says another fingerprint; app-1 answered from something it keeps of its own (a reply remembered in this process, by key) without comparing the body's fingerprint. Every request with a known key is compared with the fingerprint recorded for it, on every server, the first one included`,
        where: pointer(file, fn, there?.logged),
      });
    }
    // Another user's checkout of the same things under the same key is another body too.
    const stranger = { ...checkout, user: `user-o'hara-${randomUUID().slice(0, 8)}` };
    const theirs = await send('app-2', stranger, key);
    if (theirs?.status !== 422) {
      const order = orderIn(theirs);
      throw new Lesson({
        expected: `422 from app-2 for the same key with the same lines for another user (${stranger.user})`,
        got: `${theirs ? `${theirs.status} ${JSON.stringify(theirs.body)}` : 'no answer'}${
          order && order.user !== stranger.user
            ? `: ${order.user}'s order, answered to ${stranger.user}`
            : ''
        }${logged(theirs)}`,
        why: `the fingerprint must cover the whole body, the user included, not only the lines: a body that differs in any field is another request, and under a key already used it gets 422. Taken for a retry, it is answered with someone else's order (and places nothing for its own user). Fingerprint the request's body as it came (its text, or all of its fields)`,
        where: pointer(file, fn, theirs?.logged),
      });
    }
    exactlyOneOrder(
      checkout.user,
      'the second body was placed too',
      'a refused request places no order',
    );
    if (ordersOf(stranger.user).length > 0) {
      throw new Lesson({
        expected: `no order for ${stranger.user}: that checkout was refused with 422`,
        got: `${plural(ordersOf(stranger.user).length, 'order')} for ${stranger.user}`,
        why: 'a refused request places no order',
        where: pointer(file, fn),
      });
    }
  });

  it('two copies of one checkout, sent to app-1 and app-2 at the same moment, place one order', async () => {
    // The servers hold each copy after every step it takes apart from the order until the other
    // copy has taken as many, and hold a copy that took one at its order until the other has
    // decided (see the .server.ts): so a decision made outside the order's transaction always
    // meets the other copy's. If a hold ran out (the other copy came more than a second later: a
    // very busy machine), try again; after five such tries the outcome alone decides.
    let checkout = newCheckout();
    let answers: (Answer | undefined)[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      checkout = newCheckout();
      const key = newKey();
      const together = randomUUID();
      answers = await Promise.all(NAMES.map((name) => send(name, checkout, key, { together })));
      if (
        !readdirSync(dir).some((f) => f.startsWith(`together-${together}.`) && f.endsWith('.alone'))
      )
        break;
    }
    const failed = answers.find((answer) => answer && !orderIn(answer) && answer.status !== 409);
    if (failed && ordersOf(checkout.user).length === 0) {
      throw unexpected(
        failed,
        '201 { order } (or 409: still in progress) from each copy',
        file,
        fn,
      );
    }
    const orders = exactlyOneOrder(
      checkout.user,
      'both copies found the key free and each placed an order',
      `both looked the key up before either had recorded it: a look-up followed by a separate write leaves that gap. Look the key up and record it with the order in ONE db.transaction (it takes the database's write lock first, so the other copy waits, then finds the key). ${TOGETHER}`,
    );
    for (const [i, answer] of answers.entries()) {
      if (answer?.status === 409 || orderIn(answer)?.id === orders.id) continue;
      throw new Lesson({
        expected: `each copy to answer 201 with the one order (id ${orders.id}), or 409 (still in progress)`,
        got: `${NAMES[i]}: ${answer ? `${answer.status} ${JSON.stringify(answer.body)}` : 'no answer'}${logged(answer)}`,
        why: /database is locked|SQLITE_BUSY/i.test(answer?.logged ?? '')
          ? `the copy that came second could not write: SQLite refused it the write lock ("database is locked") instead of letting it wait. It had looked the key up in a transaction that did not hold the lock yet (begun with a plain BEGIN, which is DEFERRED: it reads a snapshot and asks for the lock at its first write), and the other copy had begun to write in the meantime, so what this one had read could be out of date already. Begin with BEGIN IMMEDIATE, or use db.transaction, which does: the second copy then waits for the lock, and finds the key`
          : 'the copy that came second must find the key the first one recorded and answer with its order. If it failed (a UNIQUE constraint, say), it looked the key up outside the transaction that records it: look it up inside',
        where: pointer(file, fn, answer?.logged),
      });
    }
  });
});
