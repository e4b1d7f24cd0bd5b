// Exercise 01 — serve one product from the database.
// Chapter 1, "The request path". Check it: npm run check 01 · stuck? npm run check -- 01 --hint
//
// The shop's web tier calls your function for every GET /products/:id. It gets the catalogue
// (the DB tier, a real SQLite database) and the id exactly as it appeared in the URL, and it
// returns the reply: a status and a JSON body. The web tier keeps nothing: every answer comes
// from the database.
import type { Catalog } from '../lab/core/catalog';
import type { Reply } from '../lab/core/reply';

export function productById(catalog: Catalog, id: string): Reply {
  // TODO: an id is a whole number from 1 up, written plainly: "abc", "1.5", "-3", "0" and "007"
  //       are not ids. Answer those with status 400 and a short { error } body.
  // TODO: look the product up with catalog.get(...). Found: 200 and the product as the body.
  //       Not found: 404 and a short { error } body.
  throw new Error(`TODO: answer GET /products/${id} from the catalogue in ${catalog.file}`);
}
