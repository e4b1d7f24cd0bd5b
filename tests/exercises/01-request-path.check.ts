// Checks for exercise 01: GET /products/:id answered from the database, with the right status.
// Each run uses a fresh SQLite file with a product of a random name, so only code that really
// reads the catalogue passes; the check also changes rows behind the server's back, so only code
// that reads it on every request passes.
//
// What the exercise teaches, one check each (the manifest lists them as its behaviours): 200 and
// the row for an id that exists; 404 and { error } for a well-formed id with no row, however
// large, as the database says (a large id that has a row is 200); 400 and { error } for anything
// that is not a plain whole number from 1 up (however a lenient parser would read it); and every
// answer comes from the database as it is now.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import Database from 'better-sqlite3';
import { type Catalog, type Product } from '../../notebooks/lab/core/catalog';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import {
  ask,
  exerciseFile,
  indent,
  Lesson,
  pointer,
  readerFrames,
  startExerciseServer,
  unexpected,
  type Answer,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('01-request-path');
const fn = 'productById';
const dir = mkdtempSync(join(tmpdir(), 'statelab-01-'));
let catalog: Catalog;
let server: ExerciseServer;
let secret: Product;

beforeAll(async () => {
  catalog = openCatalog(join(dir, 'shop.sqlite'));
  secret = catalog.add({ name: `Mystery item ${randomUUID().slice(0, 8)}`, priceCents: 1234 });
  server = await startExerciseServer(
    join(__dirname, '01-request-path.server.ts'),
    [file, catalog.file],
    file,
    fn,
  );
});

afterAll(() => {
  server?.stop();
  catalog?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) => ask(server, path, file, fn);

/** Fails when SQLite read every row of the products table to give this answer (the check's server
 *  counts the statements whose query plan SCANs the table, on any connection). */
function readsOneRow(answer: Answer, expected: string): void {
  const scans = answer.headers['x-check-table-scans'];
  if (scans === undefined || !/^\d+$/.test(scans)) {
    throw new Error(
      `the check's server did not count the table reads (x-check-table-scans: ${scans})`,
    );
  }
  if (scans === '0') return;
  const line = answer.headers['x-check-table-scan-line'];
  throw new Lesson({
    expected: `${expected}, from asking the database for that one row: catalog.get(Number(id))`,
    got: `the right answer, but the database read every row of the products table to give it (${scans === '1' ? 'once' : `${scans} times`}): catalog.list(), or a query of your own with no WHERE id = ?`,
    why: `the database finds one row by its id through its index (the table's primary key) in a few steps, however many products there are; reading every row, and searching them in JavaScript, costs one step per product on every request like this one, and a shop has thousands. Let the database do the finding`,
    where: pointer(file, fn, line ? `${file}:${line}` : ''),
  });
}
const hasError = (body: unknown) =>
  typeof (body as { error?: unknown } | undefined)?.error === 'string';

/** A well-formed id answered 400 may be a validation that changes from one call to the next: it is
 *  asked again at once, and two answers to one request are a lesson of their own. */
async function sameAnswerTwice(answer: Answer, id: string, expected: string): Promise<void> {
  if (answer.status !== 400) return;
  const again = await get(`/products/${id}`);
  if (again.status === 400) return;
  throw new Lesson({
    expected,
    got: `400 ${JSON.stringify(answer.body)} for the id "${id}", then ${again.status} ${JSON.stringify(again.body)} for the same id, asked again at once`,
    why: `one request got two answers: whether an id is well-formed depends on the id alone, yet here it depended on the call before. A regular expression with the g (or y) flag keeps its lastIndex from one test() to the next, so the next call starts matching in the middle of the id, and fails: drop the flag (/^[1-9][0-9]{0,14}$/ needs neither)`,
    where: pointer(file, fn),
  });
}

describe('exercise 01: GET /products/:id', () => {
  it('answers 200 with the product row for an id that exists', async () => {
    const answer = await get(`/products/${secret.id}`);
    if (answer.status !== 200 || !isDeepStrictEqual(answer.body, secret)) {
      throw unexpected(
        answer,
        `200 ${JSON.stringify(secret)} (the row from the catalogue)`,
        file,
        fn,
      );
    }
    readsOneRow(answer, `200 ${JSON.stringify(secret)}`);
  });

  it('answers 404 for a well-formed id that has no product', async () => {
    // Large ids are well-formed too: any whole number of up to 15 digits is exact as a JavaScript
    // number, and past 2^31 - 1 (a 32-bit int) as much as below it.
    // A 404 found by reading the whole table is told last: a wrong answer below says more.
    let scanned: (() => void) | undefined;
    for (const id of [String(secret.id + 1000), '3000000000', '999999999999999']) {
      const answer = await get(`/products/${id}`);
      if (answer.status === 404 && hasError(answer.body)) {
        scanned ??= () => readsOneRow(answer, `404 { error: "…" } for the id "${id}"`);
        continue;
      }
      const expected = `404 { error: "…" } for the id "${id}": the id is fine, there is just no such product`;
      await sameAnswerTwice(answer, id, expected);
      if (answer.status !== 400 || Number(id) <= 2 ** 31 - 1) {
        throw unexpected(answer, expected, file, fn);
      }
      throw new Lesson({
        expected,
        got: `${answer.status} ${JSON.stringify(answer.body)}`,
        why: `${id} is a whole number from 1 up, written plainly, only a large one: an id is not capped at 2^31 - 1 (${2 ** 31 - 1}, a 32-bit int). SQLite's INTEGER key goes up to 2^63 - 1, and an id of up to 15 digits is exact as a JavaScript number: look it up in the catalogue like any other id (404 when no product has it), do not answer "malformed" (400)`,
        where: pointer(file, fn),
      });
    }
    // Large ids can have a product too: one just past 2^31 - 1 and one of 15 digits, so the 404s
    // above must come from the database, not from the size of the id. Then an id a JavaScript
    // number cannot hold: Number('9007199254740993') is 9007199254740992, the id of another row.
    // Every row added here is removed again, so later rows are numbered as before.
    const large = [
      { id: 2 ** 31, name: `Large-id item ${randomUUID().slice(0, 8)}`, priceCents: 3100 },
      { id: 999_999_999_999_998, name: `Huge-id item ${randomUUID().slice(0, 8)}`, priceCents: 15 },
    ];
    const big = { id: 2 ** 53, name: 'Far-away item', priceCents: 777 };
    const asked = '9007199254740993';
    const writer = new Database(catalog.file);
    const insert = writer.prepare('INSERT INTO products (id, name, price_cents) VALUES (?, ?, ?)');
    const remove = writer.prepare('DELETE FROM products WHERE id = ?');
    try {
      for (const row of large) insert.run(row.id, row.name, row.priceCents);
      for (const row of large) {
        const answer = await get(`/products/${row.id}`);
        if (answer.status === 500) throw unexpected(answer, `200 ${JSON.stringify(row)}`, file, fn);
        if (answer.status !== 200 || !isDeepStrictEqual(answer.body, row)) {
          throw new Lesson({
            expected: `200 ${JSON.stringify(row)}: the check added a product with the id ${row.id}, after asking for the absent ids 3000000000 and 999999999999999 (404)`,
            got: `${answer.status} ${JSON.stringify(answer.body)}`,
            why: `${row.id} is a well-formed id and the database has a product with it. Every well-formed id must be looked up in the database by that id (catalog.get), however large: a product may have any id SQLite can store (its INTEGER key goes up to 2^63 - 1, not 2^31 - 1 = ${2 ** 31 - 1}), and only the catalogue knows whether it exists. Ids have gaps, too: product ${row.id} is not row number ${row.id} of the table (catalog.list()[id - 1] finds nothing there). A 404 comes from catalog.get finding nothing, not from the size of the id`,
            where: pointer(file, fn),
          });
        }
      }
      insert.run(BigInt(big.id), big.name, big.priceCents);
      const other = await get(`/products/${asked}`);
      if (other.status === 500) throw unexpected(other, `404 { error: "…" }`, file, fn);
      if (![400, 404].includes(other.status) || !hasError(other.body)) {
        throw new Lesson({
          expected: `404 (or 400) { error: "…" } for the id "${asked}": there is no product ${asked}, only a product ${big.id}`,
          got: `${other.status} ${JSON.stringify(other.body)}`,
          why: `Number("${asked}") is ${Number(asked)}: past 2^53 (Number.MAX_SAFE_INTEGER is ${Number.MAX_SAFE_INTEGER}) a JavaScript number cannot hold every whole number and rounds to a neighbour, so the id the client asked for became the id of another product`,
          where: pointer(file, fn),
        });
      }
      // Ids past what SQLite's INTEGER key can hold (2^63 - 1): no product has one, and asking
      // the database for one as a BigInt makes better-sqlite3 throw.
      // 2^64 + 1: a BigInt cut to 64 bits (BigInt.asIntN) wraps it onto product 1.
      for (const huge of ['9223372036854775808', '18446744073709551617', '99999999999999999999']) {
        const answer = await get(`/products/${huge}`);
        if ([400, 404].includes(answer.status) && hasError(answer.body)) continue;
        throw new Lesson({
          expected: `400 (or 404) { error: "…" } for the id "${huge}", ${huge.length} digits: more than SQLite's INTEGER key can hold (2^63 - 1 = 9223372036854775807), so no product has it`,
          got: `${answer.status} ${JSON.stringify(answer.body)}${answer.logged ? `\n${indent(readerFrames(answer.logged, file))}` : ''}`,
          why: `every id gets an answer that says what is wrong with it, however long: an id past 2^63 - 1 cannot name a row (better-sqlite3 throws a RangeError for a BigInt that large, and one cut to 64 bits wraps onto another id). Refuse an id longer than any product's as malformed before asking the database (a cap on its digits, as /^[1-9][0-9]{0,14}$/ has), or answer 404`,
          where: pointer(file, fn, answer.logged),
        });
      }
    } finally {
      for (const row of large) remove.run(row.id);
      remove.run(BigInt(big.id));
      writer.close();
    }
    scanned?.();
  });

  it('answers 400 for ids that are not whole numbers from 1 up, written plainly', async () => {
    // Each is something a lenient parser (Number, parseInt, a regular expression without ^ and $)
    // reads as a number: 1e3 is 1000, +5 and " 5" are 5, 0x10 is 16, 1.0 is 1.
    const ids = [
      'abc',
      '1.5',
      '-3',
      '0',
      '007',
      '2x',
      '%20',
      '1e3',
      '+5',
      '%205',
      '5%20',
      '0x10',
      '1.0',
      '%25', // "%": the web tier has decoded the URL already; decoding it again throws
      '%2535', // "%35": decoded again, it would become "5"
      '%EF%BC%95', // "５", a full-width 5: NFKC normalization makes it "5"
      '%E2%91%A0', // "①": NFKC makes it "1"
      // Digits of other scripts after a plain first one: /\p{Nd}/u takes them for digits 0 to 9.
      '1%EF%BC%95', // "1５", a full-width 5
      '1%D9%A2', // "1٢", an Arabic-Indic 2
      '', // GET /products/: no id at all, which is no product's
      // Whitespace and line breaks around the digits: Number() trims them ("5\t" is 5), and with
      // the m flag ^ and $ match at each line break, so /^[1-9][0-9]*$/m.test("5\n") is true.
      '5%09',
      '%095',
      '5%0A',
      '%0A5',
      '5%0D',
      // Longer than any id (15 digits at most), and not digits at all, or not only: malformed
      // whatever their length, so 400, never "no such product". (An all-digit id past 15 digits
      // may be either: the check that asks for 404 takes 400 or 404 for those.)
      'abcdefghijklmnopq',
      '12345678901234567x',
      '1.0000000000000000',
    ];
    for (const id of ids) {
      const answer = await get(`/products/${id}`);
      const decoded = decodeURIComponent(id);
      const shown = JSON.stringify(decoded);
      if (answer.status === 404 && decoded.length > 15 && hasError(answer.body)) {
        throw new Lesson({
          expected: `400 { error: "…" } for the id ${shown}, ${decoded.length} characters: not an id written plainly (at least one digit, the digits 0 to 9 only, no leading zero)`,
          got: `404 ${JSON.stringify(answer.body)}: "no such product", for something that is not an id at all`,
          why: `shorter ids that are not whole numbers ("abc", "2x", "1.0") got 400, and this one, longer than any id, got 404: its length was judged before its form, as if it were a number too large for any product. What is wrong with ${shown} is its characters, whatever its length: test the form first (400 for anything that is not digits written plainly); only an all-digit id longer than any product's may be answered 404`,
          where: pointer(file, fn),
        });
      }
      if (answer.status !== 400 || !hasError(answer.body)) {
        throw unexpected(
          answer,
          `400 { error: "…" } for the id ${shown}: the client sent something that is not an id written plainly (at least one digit, the digits 0 to 9 only, no leading zero)`,
          file,
          fn,
        );
      }
    }
  });

  it('reads the database on every request: a row added, changed or found missing before is served as it is now', async () => {
    const FROM_MEMORY =
      'the server answered from what it remembered of an earlier request (or of the catalogue when it started)';
    const ASK_EVERY_TIME =
      'The web tier keeps nothing between requests: ask the catalogue every time (caching is chapter 7, and needs a TTL)';
    const REMEMBERED = `${FROM_MEMORY}. ${ASK_EVERY_TIME}`;
    const added = catalog.add({ name: `Fresh item ${randomUUID().slice(0, 8)}`, priceCents: 99 });
    const fresh = await get(`/products/${added.id}`);
    if (fresh.status === 500) throw unexpected(fresh, `200 ${JSON.stringify(added)}`, file, fn);
    await sameAnswerTwice(fresh, String(added.id), `200 ${JSON.stringify(added)}`);
    if (fresh.status !== 200 || !isDeepStrictEqual(fresh.body, added)) {
      throw new Lesson({
        expected: `200 ${JSON.stringify(added)}: a row written after the server started`,
        got: `${fresh.status} ${JSON.stringify(fresh.body)}`,
        why: REMEMBERED,
        where: pointer(file, fn),
      });
    }
    // The same row, changed behind the server's back.
    const writer = new Database(catalog.file);
    try {
      writer.prepare('UPDATE products SET price_cents = ? WHERE id = ?').run(4321, added.id);
      const changed = { ...added, priceCents: 4321 };
      const again = await get(`/products/${added.id}`);
      await sameAnswerTwice(again, String(added.id), `200 ${JSON.stringify(changed)}`);
      if (again.status !== 200 || !isDeepStrictEqual(again.body, changed)) {
        throw new Lesson({
          expected: `200 ${JSON.stringify(changed)}: the row as the database has it now`,
          got: `${again.status} ${JSON.stringify(again.body)}`,
          why: REMEMBERED,
          where: pointer(file, fn),
        });
      }
      // An id asked for before it existed, then added.
      const late = added.id + 500;
      const before = await get(`/products/${late}`);
      await sameAnswerTwice(before, String(late), `404: no product ${late} yet`);
      if (before.status !== 404) throw unexpected(before, `404: no product ${late} yet`, file, fn);
      writer
        .prepare('INSERT INTO products (id, name, price_cents) VALUES (?, ?, ?)')
        .run(late, 'Late item', 250);
      const after = await get(`/products/${late}`);
      const row = { id: late, name: 'Late item', priceCents: 250 };
      await sameAnswerTwice(after, String(late), `200 ${JSON.stringify(row)}`);
      if (after.status !== 200 || !isDeepStrictEqual(after.body, row)) {
        throw new Lesson({
          expected: `200 ${JSON.stringify(row)}: the product was added after the first 404`,
          got: `${after.status} ${JSON.stringify(after.body)}`,
          why: `${FROM_MEMORY}, or looked the row up by its position, not by its id (as catalog.list()[id - 1] does): ids have gaps, so product ${late} need not be row number ${late} of the table. Ask the catalogue for the row with that id (catalog.get) on every request: the web tier keeps nothing between requests (caching is chapter 7, and needs a TTL)`,
          where: pointer(file, fn),
        });
      }
      // A row the server has served since its first request (the check's first product),
      // changed and then deleted behind its back.
      const first = await get(`/products/${secret.id}`);
      await sameAnswerTwice(first, String(secret.id), `200 ${JSON.stringify(secret)}`);
      if (first.status !== 200 || !isDeepStrictEqual(first.body, secret)) {
        throw unexpected(first, `200 ${JSON.stringify(secret)}`, file, fn);
      }
      writer.prepare('UPDATE products SET price_cents = ? WHERE id = ?').run(5678, secret.id);
      const repriced = { ...secret, priceCents: 5678 };
      const now = await get(`/products/${secret.id}`);
      await sameAnswerTwice(now, String(secret.id), `200 ${JSON.stringify(repriced)}`);
      if (now.status !== 200 || !isDeepStrictEqual(now.body, repriced)) {
        throw new Lesson({
          expected: `200 ${JSON.stringify(repriced)}: the row as the database has it now, its price changed after the server had served it (from its first request on)`,
          got: `${now.status} ${JSON.stringify(now.body)}`,
          why: REMEMBERED,
          where: pointer(file, fn),
        });
      }
      writer.prepare('DELETE FROM products WHERE id = ?').run(secret.id);
      const gone = await get(`/products/${secret.id}`);
      await sameAnswerTwice(gone, String(secret.id), `404 { error: "…" }`);
      if (gone.status !== 404 || !hasError(gone.body)) {
        throw new Lesson({
          expected: `404 { error: "…" }: product ${secret.id} was deleted from the database after the server had served it`,
          got: `${gone.status} ${JSON.stringify(gone.body)}`,
          why: REMEMBERED,
          where: pointer(file, fn),
        });
      }
    } finally {
      writer.close();
    }
  });
});
