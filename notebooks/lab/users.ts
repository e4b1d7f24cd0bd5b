// Simulated shoppers. Each has its own cookie jar (its only state) and walks a journey:
// log in → browse → add to cart → browse → add → look at the cart → check out → again.
// It records every operation as ok / fail / unknown (outcomes.ts) and counts what it lost along
// the way (shopper.ts, the same rules the browser simulator uses).
import { ShopClient, type Outcome, type Response } from './client';
import type { Random } from './random';
import {
  JOURNEY,
  noLosses,
  PRODUCTS,
  understand,
  type Belief,
  type Losses,
  type Operation,
} from './shopper';

export type { Losses, Operation } from './shopper';

export interface OperationRecord {
  user: string;
  op: Operation;
  /** ok: it did what was asked · fail: it certainly did not (refused, not forwarded, or rejected
   *  with a 4xx) · unknown: it may or may not have happened. */
  outcome: Outcome;
  /** 0 when no whole answer came. */
  status: number;
  servedBy?: string;
  /** The product an add asked for. */
  productId?: number;
  /** Why no answer came (ECONNRESET, ECONNREFUSED, a timeout). */
  error?: string;
}

export interface UserOptions {
  /** How long the user's browser waits for an answer before it counts the request unknown. */
  timeoutMs?: number;
}

export class SimUser implements Belief {
  readonly client: ShopClient;
  readonly losses: Losses = noLosses();
  readonly log: OperationRecord[] = [];
  /** What the user believes: logged in or not, and how many items they are sure the cart holds. */
  loggedIn = false;
  cartItems = 0;
  next = 0;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly random: Random,
    options: UserOptions = {},
  ) {
    this.client = new ShopClient(baseUrl, { clientId: name, timeoutMs: options.timeoutMs });
  }

  /** The backend this user's browser is pinned to by the LB's cookie, if any. */
  get pinnedTo(): string | undefined {
    return this.client.jar.get('lb-backend');
  }

  /** Takes the next step of the journey (logging in first when needed) and records it. */
  async step(): Promise<OperationRecord> {
    if (!this.loggedIn)
      return this.record('login', await this.client.post('/login', { user: this.name }));
    const op = JOURNEY[this.next];
    this.next = (this.next + 1) % JOURNEY.length;
    if (op === 'browse')
      return this.record(op, await this.client.get(`/products/${1 + this.random.int(PRODUCTS)}`));
    if (op === 'add') {
      const productId = 1 + this.random.int(PRODUCTS);
      return this.record(op, await this.client.post('/cart', { productId }), productId);
    }
    if (op === 'cart') return this.record(op, await this.client.get('/cart'));
    return this.record(op, await this.client.post('/checkout'));
  }

  private record(op: Operation, res: Response, productId?: number): OperationRecord {
    understand(this, this.losses, op, res.outcome, res);
    const entry: OperationRecord = {
      user: this.name,
      op,
      outcome: res.outcome,
      status: res.status,
      servedBy: res.servedBy,
    };
    if (productId !== undefined) entry.productId = productId;
    if (res.error) entry.error = res.error;
    this.log.push(entry);
    return entry;
  }
}
