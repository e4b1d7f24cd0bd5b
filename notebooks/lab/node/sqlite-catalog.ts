// The DB tier of the shop: a product catalogue in a real SQLite database (better-sqlite3).
// State lives in the database file (or in SQLite's memory for ':memory:'), never in the web tier.
import { closedError, openSqlite } from './sqlite-open';
import {
  SAMPLE_PRODUCTS,
  type Catalog,
  type Order,
  type OrderLine,
  type Product,
} from '../core/catalog';

// #region open-catalog
/** Opens (and on first use creates and fills) the catalogue in a SQLite file. */
export function openCatalog(file = ':memory:'): Catalog {
  const db = openSqlite(file);
  db.pragma('journal_mode = WAL'); // readers in other processes never block on a writer
  db.pragma('busy_timeout = 5000'); // a writer waits for another process's write, not fails
  db.exec(`CREATE TABLE IF NOT EXISTS products (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0)
  )`);

  db.exec(`CREATE TABLE IF NOT EXISTS orders (
    id          INTEGER PRIMARY KEY,
    user        TEXT    NOT NULL,
    lines       TEXT    NOT NULL,
    total_cents INTEGER NOT NULL
  )`);

  const byId = db.prepare('SELECT id, name, price_cents AS priceCents FROM products WHERE id = ?');
  const all = db.prepare('SELECT id, name, price_cents AS priceCents FROM products ORDER BY id');
  const insert = db.prepare('INSERT INTO products (name, price_cents) VALUES (?, ?)');
  // #endregion open-catalog

  const add = (p: Omit<Product, 'id'>): Product => {
    const { lastInsertRowid } = insert.run(p.name, p.priceCents);
    return { id: Number(lastInsertRowid), ...p };
  };
  const insertOrder = db.prepare('INSERT INTO orders (user, lines, total_cents) VALUES (?, ?, ?)');
  const placeOrder = db.transaction((user: string, lines: OrderLine[]): Order => {
    let totalCents = 0;
    for (const line of lines) {
      const product = byId.get(line.productId) as Product | undefined;
      if (!product) throw new Error(`there is no product ${line.productId}`);
      totalCents += product.priceCents * line.qty;
    }
    // Past 2^53 a JavaScript number no longer counts cents exactly (and JSON has no Infinity):
    // refuse such an order rather than record a wrong total.
    if (!Number.isSafeInteger(totalCents)) throw new Error(`the order's total is too large`);
    const { lastInsertRowid } = insertOrder.run(user, JSON.stringify(lines), totalCents);
    return { id: Number(lastInsertRowid), user, lines, totalCents };
  });
  const allOrders = db.prepare(
    'SELECT id, user, lines, total_cents AS totalCents FROM orders ORDER BY id',
  );
  type OrderRow = Omit<Order, 'lines'> & { lines: string };

  const count = db.prepare('SELECT count(*) AS n FROM products').get() as { n: number };
  if (count.n === 0) db.transaction(() => SAMPLE_PRODUCTS.forEach(add))();

  /** `use`, once the database is known to be open (else an error that says what to do). */
  const open =
    <A extends unknown[], R>(use: (...args: A) => R) =>
    (...args: A): R => {
      if (!db.open) throw closedError(`the catalogue (${file})`);
      return use(...args);
    };
  return {
    file,
    get: open((id) => byId.get(id) as Product | undefined),
    list: open(() => all.all() as Product[]),
    add: open(add),
    // IMMEDIATE: take the write lock before reading prices, so two processes never collide
    // mid-transaction (a deferred read-then-write transaction can fail with SQLITE_BUSY).
    placeOrder: open((user: string, lines: OrderLine[]) => placeOrder.immediate(user, lines)),
    orders: open((user?: string) =>
      (allOrders.all() as OrderRow[])
        .filter((row) => user === undefined || row.user === user)
        .map((row) => ({ ...row, lines: JSON.parse(row.lines) as OrderLine[] })),
    ),
    close: () => db.close(),
  };
}
