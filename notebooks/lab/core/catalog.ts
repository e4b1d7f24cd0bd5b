// What the shop needs of its DB tier: a product catalogue and the orders placed at checkout, and
// the sample products every new catalogue starts with. Platform-free: the types and data only;
// the lab's catalogue is a SQLite database (node/sqlite-catalog.ts), the simulator's a few lines.

export interface Product {
  id: number;
  name: string;
  priceCents: number;
}

export interface OrderLine {
  productId: number;
  qty: number;
}

export interface Order {
  id: number;
  user: string;
  lines: OrderLine[];
  totalCents: number;
}

/** The shop's database: products, and the orders placed at checkout. */
export interface Catalog {
  /** The product with this id, or undefined when there is none. */
  get(id: number): Product | undefined;
  list(): Product[];
  add(product: Omit<Product, 'id'>): Product;
  /** Records an order at today's prices, in one transaction; throws on an unknown product. */
  placeOrder(user: string, lines: OrderLine[]): Order;
  orders(user?: string): Order[];
  /** Where the data lives: a file path, or ':memory:'. */
  readonly file: string;
  close(): void;
}

export const SAMPLE_PRODUCTS: ReadonlyArray<Omit<Product, 'id'>> = [
  { name: 'Espresso beans, 1 kg', priceCents: 2490 },
  { name: 'Hand grinder', priceCents: 6900 },
  { name: 'Milk jug', priceCents: 1550 },
  { name: 'Paper filters (100)', priceCents: 450 },
  { name: 'Kettle', priceCents: 3900 },
];

/**
 * How many products a new catalogue holds: their ids are 1 to SAMPLE_PRODUCT_COUNT, in the order
 * of SAMPLE_PRODUCTS (a new database numbers its rows from 1). Simulated shoppers pick from these.
 */
export const SAMPLE_PRODUCT_COUNT = SAMPLE_PRODUCTS.length;
