// A reader who re-runs a cell after the notebook's clean-up cell gets a message that says what
// happened and what to do, not SQLite's own ("The database connection is not open").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { sqliteStore } from './sqlite-store';

const WHAT_TO_DO = /clean-up cell[\s\S]*set-up cell again \(or Run All\)/;

describe('a database the clean-up cell closed or removed', () => {
  it('the catalogue, used after close(), says it was closed and what to run', () => {
    const catalog = openCatalog();
    catalog.close();
    for (const use of [
      () => catalog.list(),
      () => catalog.get(1),
      () => catalog.orders(),
      () => catalog.placeOrder('ada', [{ productId: 1, qty: 1 }]),
      () => catalog.add({ name: 'Tea', priceCents: 100 }),
    ]) {
      expect(use).toThrow(/the catalogue \(:memory:\) is closed/);
      expect(use).toThrow(WHAT_TO_DO);
    }
  });

  it('a store, used after close(), says so for every operation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-sqlite-open-'));
    try {
      const store = sqliteStore<number>(join(dir, 'carts.sqlite'), 'carts');
      store.close();
      await expect(store.get('a')).rejects.toThrow(/the store carts \(.*carts\.sqlite\) is closed/);
      await expect(store.set('a', 1)).rejects.toThrow(WHAT_TO_DO);
      await expect(store.update('a', (n) => (n ?? 0) + 1)).rejects.toThrow(WHAT_TO_DO);
      await expect(store.delete('a')).rejects.toThrow(WHAT_TO_DO);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opening a file whose folder was removed names the folder and what to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-sqlite-open-'));
    rmSync(dir, { recursive: true });
    const file = join(dir, 'shop.sqlite');
    expect(() => openCatalog(file)).toThrow(`its folder ${dir} does not exist`);
    expect(() => openCatalog(file)).toThrow(WHAT_TO_DO);
    expect(() => sqliteStore(file)).toThrow(WHAT_TO_DO);
  });
});
