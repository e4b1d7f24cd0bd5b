// The product routes of the shop. They read from the catalogue (the DB tier) and keep nothing
// in memory between requests.
import type { Catalog } from './catalog';
import { json, type Reply } from './reply';

/** Answers `GET /products/:id`; `id` is the raw text from the URL. */
export type ProductById = (catalog: Catalog, id: string) => Reply;

// #region product-by-id
// A product id is a whole number from 1 up. Anything else ("abc", "1.5", "-3", "007") is the
// client's mistake (400); a well-formed id with no row behind it is "not found" (404).
const PRODUCT_ID = /^[1-9][0-9]{0,14}$/;

export const productById: ProductById = (catalog, id) => {
  if (!PRODUCT_ID.test(id)) return json(400, { error: `"${id}" is not a product id` });
  const product = catalog.get(Number(id));
  return product ? json(200, product) : json(404, { error: `there is no product ${id}` });
};
// #endregion product-by-id

export const listProducts = (catalog: Catalog): Reply => json(200, catalog.list());
