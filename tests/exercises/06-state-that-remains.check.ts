// Checks for exercise 06: a checkout that is safe to retry. Two shop servers, app-1 and app-2,
// each in its own Node process, share one SQLite catalogue (the orders) and one SQLite key store.
// The checks SIGKILL a server in the middle of a checkout (the .server.ts kills itself when asked
// by a test header), retry the same request with the same Idempotency-Key on the other server,
// and count the orders in the database: one checkout must be one order, however often it is sent.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openCatalog, type Catalog, type Order, type OrderLine } from '../../notebooks/lab/catalog';
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
const newCheckout = (): Checkout => ({
  user: `user-${randomUUID().slice(0, 8)}`,
  lines: [
    { productId: 1, qty: 1 },
    { productId: 3, qty: 2 },
  ],
});
const newKey = () => randomUUID();
const ordersOf = (user: string) => catalog.orders(user);

/** POST /checkout on one server; a broken connection is returned as `undefined`, not thrown. */
async function send(
  name: Name,
  checkout: Checkout,
  key: string | undefined,
  die?: 'after-order' | 'before-reply',
): Promise<Answer | undefined> {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['idempotency-key'] = key;
  if (die) headers['x-statelab-die'] = die;
  const answer = ask(servers.get(name)!, '/checkout', file, fn, {
    method: 'POST',
    headers,
    body: checkout,
  });
  // Asked to die, the server may well not answer: that is the point, not a failure.
  return die ? answer.catch(() => undefined) : answer;
}

/** The answer must be 201 { order } (a real order, in the database). */
function placed(answer: Answer | undefined, name: Name, what: string): Order {
  if (!answer) throw new Error('unreachable: no answer was expected to be missing here');
  const order = (answer.body as { order?: Order } | undefined)?.order;
  if (answer.status !== 201 || typeof order?.id !== 'number') {
    throw unexpected(answer, `201 { order } from ${name}: ${what}`, file, fn);
  }
  return order;
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

function exactlyOneOrder(user: string, got: string, why: string) {
  const orders = ordersOf(user);
  if (orders.length !== 1) {
    throw new Lesson({
      expected: `exactly 1 order for ${user} in the database`,
      got: `${orders.length} orders (${got})`,
      why,
      where: pointer(file, fn),
    });
  }
  return orders[0];
}

const REPLAY =
  'a retry with the same Idempotency-Key must not place another order: look the key up in `store` first, and answer a finished key with the order that is recorded there';

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
  });

  it('app-1 dies after the checkout, before its answer leaves: the retry on app-2 gets that order', async () => {
    const checkout = newCheckout();
    const key = newKey();
    await diedAndRestarted(await send('app-1', checkout, key, 'before-reply'), 'app-1');
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

  it('app-2 dies right after the order is committed: the retry on app-1 places no second order', async () => {
    const checkout = newCheckout();
    const key = newKey();
    await diedAndRestarted(await send('app-2', checkout, key, 'after-order'), 'app-2');
    const retried = await send('app-1', checkout, key);
    const orders = ordersOf(checkout.user);
    if (retried?.status === 500 || (orders.length === 1 && retried?.status !== 409)) {
      throw unexpected(
        retried!,
        "409 from app-1: the key's checkout started on app-2 and never finished, so its outcome is unknown (retry later)",
        file,
        fn,
      );
    }
    exactlyOneOrder(
      checkout.user,
      'app-2 placed one and died before recording it; the retry on app-1 placed another',
      `app-2 died between placing the order and recording it as done. Only a record written BEFORE the order ({ state: 'running' }) tells app-1 that this key already started; answer such a key 409 (in progress), never run it again`,
    );
  });

  it('the same key with another body is refused with 422, and places nothing', async () => {
    const checkout = newCheckout();
    const key = newKey();
    placed(await send('app-1', checkout, key), 'app-1', 'a first checkout');
    const other = { ...checkout, lines: [{ productId: 2, qty: 5 }] };
    const answer = await send('app-2', other, key);
    if (answer?.status !== 422) {
      throw unexpected(
        answer!,
        '422 from app-2: this key was already used for a different checkout (another fingerprint)',
        file,
        fn,
      );
    }
    exactlyOneOrder(
      checkout.user,
      'the second body was placed too',
      'a refused request places no order',
    );
  });
});
