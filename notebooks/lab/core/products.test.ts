import { describe, expect, it } from 'vitest';
import { openCatalog } from '../node/sqlite-catalog';
import { productById } from './products';

describe('productById', () => {
  const catalog = openCatalog();

  it('answers 200 with the product for an id that exists', () => {
    expect(productById(catalog, '2')).toEqual({ status: 200, body: catalog.get(2) });
  });

  it('answers 404 for a well-formed id with no product', () => {
    expect(productById(catalog, '999').status).toBe(404);
  });

  it.each(['abc', '1.5', '-3', '0', '007', '', ' 1', '1e3', '9'.repeat(20)])(
    'answers 400 for the malformed id %j',
    (id) => expect(productById(catalog, id).status).toBe(400),
  );
});
