// Exercise 01 — serve one product from the database (reference solution).
// Chapter 1, "The request path". Check it: npm run check 01
//
// The shop's web tier calls this for every GET /products/:id. Every answer comes from the
// catalogue (the DB tier); nothing is remembered between requests.
import type { Catalog } from '../lab/core/catalog';
import { json, type Reply } from '../lab/core/reply';

// Whole numbers from 1 up, written plainly; 15 digits keeps Number(id) exact.
const PRODUCT_ID = /^[1-9][0-9]{0,14}$/;

export function productById(catalog: Catalog, id: string): Reply {
  if (!PRODUCT_ID.test(id)) return json(400, { error: `"${id}" is not a product id` });
  const product = catalog.get(Number(id));
  return product ? json(200, product) : json(404, { error: `there is no product ${id}` });
}
