// Checks for exercise 01: GET /products/:id answered from the database, with the right status.
// Each run uses a fresh SQLite file with a product of a random name, so only code that really
// reads the catalogue passes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openCatalog, type Catalog, type Product } from '../../notebooks/lab/catalog';
import { ask, exerciseFile, startExerciseServer, unexpected, type ExerciseServer } from './harness';

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
  });

  it('answers 404 for a well-formed id that has no product', async () => {
    const answer = await get(`/products/${secret.id + 1000}`);
    if (answer.status !== 404) {
      throw unexpected(answer, '404: the id is fine, there is just no such product', file, fn);
    }
  });

  it('answers 400 for ids that are not whole numbers from 1 up', async () => {
    for (const id of ['abc', '1.5', '-3', '0', '007', '2x', '%20']) {
      const answer = await get(`/products/${id}`);
      if (answer.status !== 400) {
        throw unexpected(
          answer,
          `400 for the id "${decodeURIComponent(id)}": the client sent something that is not an id`,
          file,
          fn,
        );
      }
    }
  });

  it('reads the database on every request (a product added now is served now)', async () => {
    const added = catalog.add({ name: `Fresh item ${randomUUID().slice(0, 8)}`, priceCents: 99 });
    const answer = await get(`/products/${added.id}`);
    if (answer.status !== 200 || !isDeepStrictEqual(answer.body, added)) {
      throw unexpected(
        answer,
        `200 ${JSON.stringify(added)}: a row written after the server started`,
        file,
        fn,
      );
    }
  });
});
