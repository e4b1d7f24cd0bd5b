// Checks for exercise 07: a read-through cache with a TTL in front of the catalogue. The reader's
// cachedProducts runs in a server process of its own; the check counts its database reads, moves
// its clock (no real waiting) and changes the database behind it, then reads prices over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Product } from '../../notebooks/lab/core/catalog';
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

const file = exerciseFile('07-price-of-statelessness');
const fn = 'cachedProducts';
const TTL_MS = 60_000;
/**
 * The TTL of a second server: a cache that keeps copies for a TTL of its own shows there. Not whole
 * seconds, and over a minute: a cache that rounds the TTL to whole seconds, or caps it, reads the
 * database again before it ends.
 */
const OTHER_TTL_MS = 90_500;
const dir = mkdtempSync(join(tmpdir(), 'statelab-07-'));
let server: ExerciseServer;

beforeAll(async () => {
  const catalog = openCatalog(join(dir, 'shop.sqlite'));
  for (let i = 0; i < 5; i += 1) catalog.add({ name: `Check item ${i}`, priceCents: 1000 + i });
  catalog.close();
  server = await startExerciseServer(
    join(__dirname, '07-price-of-statelessness.server.ts'),
    [file, join(dir, 'shop.sqlite'), String(TTL_MS)],
    file,
    fn,
  );
});

afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Each asks the check's server, or `on` another one.
const get = (path: string, on = server) => ask(on, path, file, fn);

/** A PUT or POST to the test server, explained like ask() when it gets no answer. */
const send = (method: string, path: string, body: unknown, on = server): Promise<Answer> =>
  ask(on, path, file, fn, { method, body });

async function product(id: number, expected: string, on = server): Promise<Product> {
  const answer = await get(`/products/${id}`, on);
  if (answer.status !== 200) throw unexpected(answer, expected, file, fn);
  const got = answer.body as Product;
  // Only the second cache the test server makes, over a database of its own, holds these names.
  if (got.name?.startsWith('Second shop')) {
    throw new Lesson({
      expected: `${expected}, as the shop's own database has it (its products are named "Check item …")`,
      got: `${JSON.stringify(got)}: a product of the second cache's database`,
      why: 'the test server made two caches with cachedProducts, each over a database of its own, and this one answered from the other: the caches share copies, or the database they read. Keep the db, the ttlMs and the entries of each cache inside the function (a Map made in cachedProducts, the db it is given), not in variables of the module, which every cache made in this process shares',
      where: pointer(file, fn),
    });
  }
  return got;
}

const dbReads = async (on = server) =>
  ((await get('/test/db-reads', on)).body as { reads: number }).reads;
const advance = (advanceMs: number, on = server) => send('POST', '/test/clock', { advanceMs }, on);

const NOW =
  "The cache must read the time only through now(), the clock it is given: the check moves that clock forward instead of waiting. If you used Date.now() or new Date(), or a timer (setTimeout) that drops the copy, your expiry runs on real time, and the check's clock never reached it";

/** How many database reads `work` caused. */
async function readsBy(work: () => Promise<unknown>, on = server): Promise<number> {
  const before = await dbReads(on);
  await work();
  return (await dbReads(on)) - before;
}

/**
 * The database reads `work` caused; fails, explaining, unless it is `expected`. `why` may depend on
 * the count it got (too many reads and too few have different causes).
 */
async function reads(
  work: () => Promise<unknown>,
  expected: number,
  what: string,
  why: string | ((count: number) => Promise<string> | string),
  on = server,
) {
  const count = await readsBy(work, on);
  if (count !== expected) {
    throw new Lesson({
      expected: `${what}: ${expected} database read${expected === 1 ? '' : 's'}`,
      got: `${count} database read${count === 1 ? '' : 's'}`,
      why: typeof why === 'string' ? why : await why(count),
      where: pointer(file, fn),
    });
  }
}

const RENEWED =
  'a hit must not renew the expiry: a copy is fresh until the time it was read from the database + ttlMs, however often it is served in between. The check read products 1 and 2 from the database at one time and served product 1 from the cache half a TTL later; a whole TTL after their reads it read product 2 from the database again, but still served product 1 from the cache: that hit had moved its expiry on. Set expires = now() + ttlMs only when you read the database, never on a hit: a copy renewed by every hit is never read again while the product is in demand, and a change behind the cache stays unseen for as long';

/**
 * Asked once a copy outlived its TTL: whether it did because a hit renewed its expiry. Products 1
 * and 2 are read from the database at one time, product 1 alone is served from the cache half a
 * TTL later, and a TTL after their reads only product 2 is read from the database again. (It moves
 * the clock and fills the cache: only for a check that has already failed.)
 */
async function hitRenewsExpiry(on: ExerciseServer, ttlMs: number): Promise<boolean> {
  const read = (id: number) => () => product(id, `200 and product ${id}`, on);
  try {
    await advance(ttlMs, on); // every copy so far has expired
    const first = (await readsBy(read(1), on)) + (await readsBy(read(2), on));
    await advance(ttlMs / 2, on);
    const hit = await readsBy(read(1), on);
    await advance(ttlMs / 2, on);
    const notHit = await readsBy(read(2), on);
    const wasHit = await readsBy(read(1), on);
    return first === 2 && hit === 0 && notHit === 1 && wasHit === 0;
  } catch {
    return false;
  }
}

/** Why a copy outlived its TTL: a hit renewed it, or `otherwise`. */
const outlived = async (otherwise: string, on = server, ttlMs = TTL_MS) =>
  (await hitRenewsExpiry(on, ttlMs)) ? RENEWED : otherwise;

describe('exercise 07: a read-through cache with a TTL', () => {
  it('serves a product read through the cache, and 404 for one that does not exist', async () => {
    const row = { id: 6, name: 'Check item 0', priceCents: 1000 };
    for (const what of [
      'read from the database on the first request',
      'from the cache the second time',
    ]) {
      const p = await product(6, `200 and product 6, ${what}`);
      if (!isDeepStrictEqual(p, row)) {
        throw new Lesson({
          expected: `product 6 as the database has it, ${what}: ${JSON.stringify(row)}`,
          got: JSON.stringify(p),
          why: 'get() returns the product itself (entry.product for a fresh entry), never the cache entry around it',
          where: pointer(file, fn),
        });
      }
    }
    const missing = await get('/products/999');
    if (missing.status !== 404) {
      throw unexpected(missing, '404: there is no product 999 (get returns undefined)', file, fn);
    }
  });

  it('asks the database once per product within the TTL, however often and however many products are read', async () => {
    // Every product of the catalogue (1 to 10), each read 3 times within one TTL of its first read:
    // a cache that keeps only a few copies, or one, reads the database again.
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    await advance(TTL_MS); // the copy of product 6 the check before read has expired
    await reads(
      async () => {
        for (let i = 0; i < 3; i += 1) {
          for (const id of ids) await product(id, `200 and product ${id}`);
          await advance(Math.floor((TTL_MS - 1) / 3)); // all within one TTL of the first reads
        }
      },
      ids.length,
      `products 1 to ${ids.length}, each read 3 times within the TTL`,
      (count) =>
        count > ids.length
          ? 'get() goes to the database although a fresh copy of that product was read within the TTL: keep one entry per product id, for every product read (not only the last few), fresh while now() < its expires (cached at now() + ttlMs: the TTL is in milliseconds)'
          : `fewer reads than products: a copy was served after its TTL had ended. Only product 6 had a copy before these reads (the check before read it), and the check then moved now() forward by a whole TTL (${TTL_MS} ms), so that copy had expired: an entry is fresh only while now() < its expires (expires = now() + ttlMs when the product is read). ${NOW}`,
    );
  });

  it('reads the database again once the TTL has passed, and keeps that copy for a whole TTL', async () => {
    const FRESH = `an entry is fresh only while now() < the time it was cached + ttlMs (${TTL_MS} ms). ${NOW}`;
    // Too few reads here: the copy outlived its TTL, perhaps because the hit in between renewed it.
    const expired = (count: number) => (count < 1 ? outlived(FRESH) : FRESH);
    await advance(TTL_MS); // whatever copy of product 7 there was has expired now
    await reads(() => product(7, '200 and product 7'), 1, 'product 7 read after its TTL', expired);
    await reads(
      async () => {
        await advance(TTL_MS - 1);
        await product(7, '200 and product 7');
      },
      0,
      'product 7 read again 1 ms before the TTL of that copy ends',
      `that copy is still fresh: it was cached ${TTL_MS - 1} ms ago, and the TTL is ${TTL_MS} ms (in milliseconds, like now())`,
    );
    await advance(1);
    await reads(
      () => product(7, '200 and product 7'),
      1,
      'product 7 read at the very end of its TTL (now() = the time it was cached + ttlMs)',
      expired,
    );
    await reads(
      async () => {
        await product(7, '200 and product 7');
        await advance(TTL_MS - 1);
        await product(7, '200 and product 7');
      },
      0,
      "product 7 read again at once, and again 1 ms before the new copy's TTL ends",
      'the copy read after the TTL must be kept for a whole TTL again: store it with expires = now() + ttlMs, the time of this read',
    );
    await advance(1);
    // Each copy has a TTL of its own, counted from its own read: product 4 read at t, product 5 half
    // a TTL later. At t + TTL only product 4's copy has expired; product 5's is fresh for another
    // half TTL. A cache that empties every copy when one expires, or keeps them all until one
    // shared time, reads product 5 again.
    const OWN = `each copy is fresh until the time it was read + ttlMs, its own time: keep an expiry per entry (expires = now() + ttlMs when that product is read), and when one entry has expired, read that product again and leave every other entry as it is. ${NOW}`;
    await advance(TTL_MS); // every copy so far has expired
    await reads(() => product(4, '200 and product 4'), 1, 'product 4 read first', OWN);
    await advance(TTL_MS / 2);
    await reads(
      async () => {
        await product(4, '200 and product 4');
        await product(5, '200 and product 5');
      },
      1,
      'half a TTL later: product 4 again (cached) and product 5 for the first time',
      OWN,
    );
    await advance(TTL_MS / 2);
    await reads(
      () => product(4, '200 and product 4'),
      1,
      "product 4 at the end of its copy's TTL",
      OWN,
    );
    await reads(
      async () => {
        await product(5, '200 and product 5');
        await advance(TTL_MS / 2 - 1);
        await product(5, '200 and product 5');
      },
      0,
      `product 5 at the same moment, and again 1 ms before its own copy's TTL ends (it was read ${TTL_MS / 2} ms after product 4)`,
      OWN,
    );
    await advance(1);
  });

  it('keeps each copy for the ttlMs it is given, whatever that TTL is', async () => {
    // A server of its own, whose cache is given another TTL: the other checks all give 60000 ms.
    const other = await startExerciseServer(
      join(__dirname, '07-price-of-statelessness.server.ts'),
      [file, join(dir, 'shop.sqlite'), String(OTHER_TTL_MS)],
      file,
      fn,
    );
    try {
      const given = `this server's cache was given ttlMs = ${OTHER_TTL_MS} (the other checks give ${TTL_MS}): a copy is fresh while now() < the time it was read + ttlMs, the TTL cachedProducts is given, whatever its value`;
      await reads(
        () => product(4, '200 and product 4', other),
        1,
        'product 4 read first',
        given,
        other,
      );
      await reads(
        async () => {
          await advance(OTHER_TTL_MS - 1, other);
          await product(4, '200 and product 4', other);
        },
        0,
        `product 4 read again ${OTHER_TTL_MS - 1} ms later, with ttlMs = ${OTHER_TTL_MS}`,
        `that copy is still fresh: ${given}`,
        other,
      );
      await advance(1, other);
      await reads(
        () => product(4, '200 and product 4', other),
        1,
        `product 4 read ${OTHER_TTL_MS} ms after that copy was read, with ttlMs = ${OTHER_TTL_MS}`,
        // Too few reads: the copy outlived its TTL, perhaps because the hit in between renewed it.
        (count) =>
          count < 1
            ? outlived(`that copy has expired: ${given}. ${NOW}`, other, OTHER_TTL_MS)
            : `that copy has expired: ${given}`,
        other,
      );
    } finally {
      other.stop();
    }
  });

  it('keeps the copies of each cache it makes to itself: another cache, over the same database or another, shares none', async () => {
    // The check's server made a second cache with cachedProducts, over a database of its own whose
    // product 6 is "Second shop item 6". Product 6 is cached in the first one now, and product 7
    // is read through the second cache first.
    const isolated = (which: string, id: number) =>
      `cachedProducts makes a new cache each time it is called, with the db and ttlMs it is given: keep its entries inside the function (a Map made in cachedProducts), not in a variable of the module, which every cache made in this process shares. Here the ${which} cache served product ${id} from the other cache's copy`;
    await product(6, '200 and product 6');
    const second = await get('/test/second/6');
    if (second.status !== 200 || (second.body as Product).name !== 'Second shop item 6') {
      throw new Lesson({
        expected:
          'product 6 from the second cache as its own database has it: "Second shop item 6"',
        got: `${second.status} ${JSON.stringify(second.body)}`,
        why: isolated('second', 6),
        where: pointer(file, fn),
      });
    }
    await get('/test/second/7');
    const first = await product(7, '200 and product 7');
    if (first.name.startsWith('Second shop')) {
      throw new Lesson({
        expected: "product 7 from the check's cache as the shop's database has it",
        got: JSON.stringify(first),
        why: isolated('first', 7),
        where: pointer(file, fn),
      });
    }
    // The test server made a third cache, over the same database as the check's (the same db), with
    // a TTL ten times as long. It reads product 1002, new in the database, which the check's cache
    // has never read; then the product changes in the database, not through update(), and the
    // check's cache reads it for the first time: from the database, so with the new price.
    await send('POST', '/test/db-insert/1002', { priceCents: 4321 });
    await get('/test/same-db/1002');
    await send('POST', '/test/db-write/1002', { priceCents: 4322 });
    const fresh = await get('/products/1002');
    if (fresh.status !== 200 || (fresh.body as Product).priceCents !== 4322) {
      const shared = fresh.status === 200 && (fresh.body as Product).priceCents === 4321;
      if (!shared) throw unexpected(fresh, '200 and product 1002 at 4322 cents', file, fn);
      throw new Lesson({
        expected:
          "product 1002 from the check's cache as the database holds it now, at 4322 cents: that cache never read product 1002 before, so it reads the database",
        got: `${JSON.stringify(fresh.body)}: the copy another cache over the same database read before the price changed`,
        why: `the test server made another cache with cachedProducts over the same database (the same db, with ttlMs = ${TTL_MS * 10}), and it read product 1002 just before the database changed behind both. The check's cache had no copy of its own, yet it answered with that one: the caches share copies through something kept outside the function (a variable of the module, a map keyed by the db). Each call of cachedProducts makes a new cache, cold, that keeps its copies for the ttlMs it is given, even over the same database: keep its entries in a Map made inside the function`,
        where: pointer(file, fn),
      });
    }
  });

  it('serves stale data for at most the TTL after the database changed behind it', async () => {
    await product(8, '200 and product 8');
    await send('POST', '/test/db-write/8', { priceCents: 5555 });
    await advance(TTL_MS - 1_000);
    await product(8, '200 and product 8 (old or new price: both are allowed within the TTL)');
    await advance(1_000);
    const fresh = await product(8, '200 and product 8 once its TTL ended');
    if (fresh.priceCents !== 5555) {
      // A cache that answers with the expired copy and reads the database afterwards has the new
      // price by the next read.
      const next = await product(8, '200 and product 8 read again');
      throw new Lesson({
        expected: `once the TTL (${TTL_MS} ms) has passed, the database's new price: 5555`,
        got: `still ${fresh.priceCents}: the cached copy outlived its TTL${next.priceCents === 5555 ? ' (the read after it had 5555)' : ''}`,
        why:
          next.priceCents === 5555
            ? 'an expired copy must not be served, not even once while the new one is read in the background: the TTL is the longest a change behind the cache stays unseen. Once now() >= expires, read the database first and answer with what it holds'
            : await outlived(
                `an entry is fresh only while now() < the time it was cached + ttlMs. ${NOW}`,
              ),
        where: pointer(file, fn),
      });
    }
  });

  it('remembers a missing product for the TTL too, and finds it once that TTL has passed', async () => {
    await reads(
      async () => {
        // At once, half a TTL later, and 1 ms before the TTL of the first answer ends.
        for (const step of [0, TTL_MS / 2, TTL_MS / 2 - 1]) {
          await advance(step);
          const answer = await get('/products/1000');
          if (answer.status !== 404) throw unexpected(answer, '404: no product 1000 yet', file, fn);
        }
      },
      1,
      `a missing product (1000) asked for 3 times within the TTL (at once, ${TTL_MS / 2} ms later and ${TTL_MS - 1} ms later)`,
      '"no such product" is an answer from the database too: remember it (an entry whose product is undefined) for the same TTL as a product, ttlMs, or every request for a missing id reaches the database',
    );
    await send('POST', '/test/db-insert/1000', { priceCents: 4242 });
    await advance(1);
    const found = await get('/products/1000');
    if (found.status !== 200 || (found.body as Product).priceCents !== 4242) {
      const next = await get('/products/1000');
      const late = next.status === 200 && (next.body as Product).priceCents === 4242;
      throw new Lesson({
        expected: '200 and product 1000 at 4242 cents: it was added to the database a TTL ago',
        got: `${found.status} ${JSON.stringify(found.body)}${late ? ' (the read after it found product 1000)' : ''}`,
        why: late
          ? 'an expired entry must not be served, not even once while the database is read in the background: once now() >= expires, read the database first and answer with what it holds'
          : await outlived(
              `a remembered miss expires like any entry: cache "undefined" with expires = now() + ttlMs, and read the database again after it. ${NOW}`,
            ),
        where: pointer(file, fn),
      });
    }
  });

  it('update() writes the database and answers what it wrote', async () => {
    const updated = await send('PUT', '/products/9', { priceCents: 777 });
    if (updated.status !== 200 || (updated.body as Product).priceCents !== 777) {
      throw unexpected(updated, '200 and product 9 at its new price, 777', file, fn);
    }
    const truth = await get('/test/db/9');
    if ((truth.body as Product).priceCents !== 777) {
      throw new Lesson({
        expected: 'the database to hold product 9 at 777 after update()',
        got: `the database still says ${(truth.body as Product).priceCents}`,
        why: "update() is the shop's write path: the change goes to the database first (db.update), the one truth every server reads. A change kept only in this server's cache is lost, and no other server ever sees it",
        where: pointer(file, fn),
      });
    }
  });

  it('drops the cached copy when the shop updates the product through update()', async () => {
    await product(6, '200 and product 6');
    const updated = await send('PUT', '/products/6', { priceCents: 888 });
    if (updated.status !== 200) throw unexpected(updated, '200 and product 6 at 888', file, fn);
    const after = await product(6, '200 and product 6 right after the update');
    if (after.priceCents !== 888) {
      throw new Lesson({
        expected: 'the new price (888) on the very next read, well within the TTL',
        got: `${after.priceCents}: the old copy was served after this server itself changed it`,
        why: 'update() must delete the product from `entries` after writing the database',
        where: pointer(file, fn),
      });
    }
    await product(10, '200 and product 10');
    await product(7, '200 and product 7');
    // The update itself may read product 6 back to keep a fresh copy: only the reads of the
    // other products count.
    await send('PUT', '/products/6', { priceCents: 889 });
    await reads(
      async () => {
        await product(10, '200 and product 10');
        await product(7, '200 and product 7');
      },
      0,
      'products 7 and 10 (cached) read again after product 6 was updated',
      'update() drops the copy of the product it changed, not the whole cache: every other product still has a fresh copy',
    );
    // A product this server remembers as missing, added to the database behind it, and then
    // written by the shop through update(): what the server remembered of it, a miss, is stale.
    const late = 1003;
    const absent = await get(`/products/${late}`);
    if (absent.status !== 404) {
      throw unexpected(absent, `404: there is no product ${late} yet`, file, fn);
    }
    await send('POST', `/test/db-insert/${late}`, { priceCents: 4100 });
    const written = await send('PUT', `/products/${late}`, { priceCents: 4200 });
    if (written.status !== 200 || (written.body as Product).priceCents !== 4200) {
      throw new Lesson({
        expected: `200 and product ${late} at its new price, 4200: the product was added to the database after this server found no product ${late}, and db.update answers it`,
        got: `${written.status} ${JSON.stringify(written.body)}`,
        why: `update() is the shop's write path: it writes the database (db.update) and answers what db.update answered, whatever this server remembers of the product. This server remembered that there was no product ${late}, but the database has one now`,
        where: pointer(file, fn),
      });
    }
    const seen = await get(`/products/${late}`);
    if (seen.status !== 200 || (seen.body as Product).priceCents !== 4200) {
      throw new Lesson({
        expected: `200 and product ${late} at 4200 cents on the very next read: the shop had just written it through update(), which answered it`,
        got: `${seen.status} ${JSON.stringify(seen.body)}${seen.status === 404 ? `: the miss this server remembered from before product ${late} was added, served after the shop wrote that product through this very cache` : ''}`,
        why: `this server remembered that there was no product ${late} (a miss, kept for the TTL, as it should be); then the product was added, and the shop wrote it through update(). After a write through update(), whatever this server remembered of that id is stale, a remembered miss as much as a copy: update() must drop both (a miss kept in the same entries as products, { product: undefined }, goes with the same delete)`,
        where: pointer(file, fn),
      });
    }
  });

  it('drops the cached copy on any change through update(), a new name as much as a new price', async () => {
    const name = 'Hand grinder, steel burrs';
    await product(2, '200 and product 2');
    const updated = await send('PUT', '/products/2', { name });
    if (updated.status !== 200 || (updated.body as Product).name !== name) {
      throw unexpected(updated, `200 and product 2 with its new name, "${name}"`, file, fn);
    }
    const after = await product(2, '200 and product 2 right after it was renamed');
    if (after.name !== name) {
      throw new Lesson({
        expected: `the new name ("${name}") on the very next read, well within the TTL`,
        got: `"${after.name}": the old copy was served after this server itself renamed the product`,
        why: 'update() may change any field of a product, not only its price: after any change through update(), the copy this server held is stale, and only a change made behind its back may be served stale until the TTL ends',
        where: pointer(file, fn),
      });
    }
  });

  it('serves what the database holds after update(), never a product it does not hold', async () => {
    // Another writer renames product 3 behind the cache; then the shop changes its price.
    await product(3, '200 and product 3');
    await send('POST', '/test/db-write/3', { name: 'Milk jug, 0.6 l' });
    const updated = await send('PUT', '/products/3', { priceCents: 1600 });
    if (updated.status !== 200) throw unexpected(updated, '200 and product 3 at 1600', file, fn);
    const truth = (await get('/test/db/3')).body as Product;
    if (!isDeepStrictEqual(updated.body, truth)) {
      throw new Lesson({
        expected: `update() to answer product 3 as the database holds it after the write: ${JSON.stringify(truth)}`,
        got: `${JSON.stringify(updated.body)}: a product the database never held`,
        why: "another writer had renamed product 3 in the database before the shop changed its price through update(). update() answers what db.update answered, the product as the database now holds it; this server's copy with the change put into it may be stale in any other field",
        where: pointer(file, fn),
      });
    }
    const after = await product(3, '200 and product 3 right after the update');
    if (!isDeepStrictEqual(after, truth)) {
      throw new Lesson({
        expected: `product 3 as the database holds it after update(): ${JSON.stringify(truth)}`,
        got: `${JSON.stringify(after)}: a product the database never held`,
        why: "another writer had renamed product 3 in the database before the shop changed its price through update(). Once this server has written a product, its next read must show that product as the database holds it, every field; the database, not this server's copy with the change put into it, says what the product is now",
        where: pointer(file, fn),
      });
    }
    // A product the database does not have: remembered as missing, then "updated" by the shop.
    const missing = await get('/products/1001');
    if (missing.status !== 404)
      throw unexpected(missing, '404: there is no product 1001', file, fn);
    const nothing = await send('PUT', '/products/1001', { priceCents: 777 });
    if (nothing.status !== 404) {
      throw unexpected(
        nothing,
        '404: there is no product 1001 to update (db.update answers undefined)',
        file,
        fn,
      );
    }
    const still = await get('/products/1001');
    if (still.status !== 404) {
      throw new Lesson({
        expected:
          '404 on the next read: the database still has no product 1001, update() changed nothing there',
        got: `${still.status} ${JSON.stringify(still.body)}: a product that exists only in this server's cache`,
        why: 'this server remembered that there is no product 1001; an update() of a product the database does not have must not leave a product behind in the cache, where no database write ever put it',
        where: pointer(file, fn),
      });
    }
  });
});
