// Checks for exercise 07: a read-through cache with a TTL in front of the catalogue. The reader's
// cachedProducts runs in a server process of its own; the check counts its database reads, moves
// its clock (no real waiting) and changes the database behind it, then reads prices over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openCatalog, type Product } from '../../notebooks/lab/catalog';
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

const get = (path: string) => ask(server, path, file, fn);

/** A PUT or POST to the test server, explained like ask() when it gets no answer. */
const send = (method: string, path: string, body: unknown): Promise<Answer> =>
  ask(server, path, file, fn, { method, body });

async function product(id: number, expected: string): Promise<Product> {
  const answer = await get(`/products/${id}`);
  if (answer.status !== 200) throw unexpected(answer, expected, file, fn);
  return answer.body as Product;
}

const dbReads = async () => ((await get('/test/db-reads')).body as { reads: number }).reads;
const advance = (advanceMs: number) => send('POST', '/test/clock', { advanceMs });

describe('exercise 07: a read-through cache with a TTL', () => {
  it('serves a product read through the cache', async () => {
    const p = await product(6, '200 and product 6, read from the database on the first request');
    if (p.priceCents !== 1000) {
      throw new Lesson({
        expected: 'product 6 at 1000 cents, as the database has it',
        got: JSON.stringify(p),
        where: pointer(file, fn),
      });
    }
  });

  it('asks the database once within the TTL, however often the product is read', async () => {
    const before = await dbReads();
    for (let i = 0; i < 3; i += 1) await product(7, '200 and product 7');
    const reads = (await dbReads()) - before;
    if (reads !== 1) {
      throw new Lesson({
        expected: '3 reads of product 7 within the TTL → 1 database read',
        got: `${reads} database reads`,
        why:
          reads > 1
            ? 'get() goes to the database even when a fresh copy is in `entries`'
            : 'the product was never read from the database',
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
      throw new Lesson({
        expected: `once the TTL (${TTL_MS} ms) has passed, the database's new price: 5555`,
        got: `still ${fresh.priceCents}: the cached copy outlived its TTL`,
        why: 'an entry is fresh only while now() < the time it was cached + ttlMs',
        where: pointer(file, fn),
      });
    }
  });

  it('drops the cached copy when the shop updates the product through update()', async () => {
    await product(9, '200 and product 9');
    const updated = await send('PUT', '/products/9', { priceCents: 777 });
    if (updated.status !== 200 || (updated.body as Product).priceCents !== 777) {
      throw unexpected(updated, '200 and product 9 at its new price, 777', file, fn);
    }
    const after = await product(9, '200 and product 9 right after the update');
    if (after.priceCents !== 777) {
      throw new Lesson({
        expected: 'the new price (777) on the very next read, well within the TTL',
        got: `${after.priceCents}: the old copy was served after this server itself changed it`,
        why: 'update() must delete the product from `entries` after writing the database',
        where: pointer(file, fn),
      });
    }
  });
});
