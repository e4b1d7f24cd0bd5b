import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_PRODUCTS } from '../core/catalog';
import { openCatalog } from './sqlite-catalog';

describe('catalog (SQLite)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('fills a new database with the sample products, numbered from 1', () => {
    const catalog = openCatalog();
    expect(catalog.list().map((p) => p.name)).toEqual(SAMPLE_PRODUCTS.map((p) => p.name));
    expect(catalog.get(1)).toEqual({ id: 1, ...SAMPLE_PRODUCTS[0] });
    expect(catalog.get(999)).toBeUndefined();
    catalog.close();
  });

  it('keeps what was added in the file after it is closed and opened again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-'));
    dirs.push(dir);
    const file = join(dir, 'shop.sqlite');
    const first = openCatalog(file);
    const added = first.add({ name: 'Scale', priceCents: 2900 });
    first.close();

    const again = openCatalog(file);
    expect(again.get(added.id)).toEqual(added);
    expect(again.list()).toHaveLength(SAMPLE_PRODUCTS.length + 1);
    again.close();
  });

  it('refuses an order whose total a JavaScript number cannot count exactly, and records nothing', () => {
    const catalog = openCatalog();
    const gold = catalog.add({ name: 'Gold espresso machine', priceCents: 2 ** 52 });
    expect(() => catalog.placeOrder('ada', [{ productId: gold.id, qty: 3 }])).toThrow(/too large/);
    expect(catalog.orders()).toEqual([]);
    expect(catalog.placeOrder('ada', [{ productId: gold.id, qty: 1 }]).totalCents).toBe(2 ** 52);
    catalog.close();
  });

  it('refuses a negative price (the schema says so)', () => {
    const catalog = openCatalog();
    expect(() => catalog.add({ name: 'Bad', priceCents: -1 })).toThrow(/CHECK/);
    catalog.close();
  });
});
