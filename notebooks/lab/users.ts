// Simulated shoppers. Each has its own cookie jar (its only state) and walks a journey:
// log in → browse → add to cart → browse → add → look at the cart → check out → again.
// It records every operation as ok / fail / unknown and counts what it lost along the way.
import { ShopClient, type Outcome, type Response } from './client';
import type { Random } from './random';

export type Operation = 'login' | 'browse' | 'add' | 'cart' | 'checkout';

export interface OperationRecord {
  user: string;
  op: Operation;
  /** ok: it did what was asked · fail: it certainly did not · unknown: no answer in time. */
  outcome: Outcome;
  status: number;
  servedBy?: string;
}

export interface Losses {
  /** Times the shop forgot a logged-in user, who had to log in again. */
  forcedLogins: number;
  /** Cart items the shop had acknowledged that later were not in the cart. */
  lostCartItems: number;
  /** Operations that certainly failed (5xx, or no connection). */
  failed: number;
  /** Operations with no answer in time: they may or may not have happened. */
  unknown: number;
}

const JOURNEY: readonly Operation[] = ['browse', 'add', 'browse', 'add', 'cart', 'checkout'];
const PRODUCTS = 5; // the sample catalogue's ids are 1..5

export class SimUser {
  readonly client: ShopClient;
  readonly losses: Losses = { forcedLogins: 0, lostCartItems: 0, failed: 0, unknown: 0 };
  readonly log: OperationRecord[] = [];
  /** What the user believes: logged in or not, and how many items the shop said it has. */
  loggedIn = false;
  cartItems = 0;
  private next = 0;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly random: Random,
  ) {
    this.client = new ShopClient(baseUrl, { clientId: name });
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
    if (op === 'add')
      return this.record(
        op,
        await this.client.post('/cart', { productId: 1 + this.random.int(PRODUCTS) }),
      );
    if (op === 'cart') return this.record(op, await this.client.get('/cart'));
    return this.record(op, await this.client.post('/checkout'));
  }

  private record(op: Operation, res: Response): OperationRecord {
    const outcome = this.understand(op, res);
    const entry = { user: this.name, op, outcome, status: res.status, servedBy: res.servedBy };
    this.log.push(entry);
    return entry;
  }

  /** Updates what the user believes from one answer, and counts any loss it reveals. */
  private understand(op: Operation, res: Response): Outcome {
    if (res.outcome !== 'ok') {
      this.losses[res.outcome === 'unknown' ? 'unknown' : 'failed'] += 1;
      return res.outcome;
    }
    if (res.status === 401) {
      // The shop has forgotten us: log in again, and whatever was in the cart is gone.
      this.losses.forcedLogins += 1;
      this.forgetCart();
      this.loggedIn = false;
      this.next = 0;
      return 'fail';
    }
    if (op === 'login') this.loggedIn = res.status === 200;
    if (op === 'add' && res.status === 200) this.cartItems += 1;
    if (op === 'cart' && res.status === 200) {
      const count = ((res.body as { items: { qty: number }[] }).items ?? []).reduce(
        (n, i) => n + i.qty,
        0,
      );
      if (count < this.cartItems) this.losses.lostCartItems += this.cartItems - count;
      this.cartItems = count; // also adopts an add whose answer never came but which happened
    }
    if (op === 'checkout') this.forgetCart(res.status === 201);
    return res.status < 400 ? 'ok' : 'fail';
  }

  private forgetCart(checkedOut = false) {
    if (!checkedOut) this.losses.lostCartItems += this.cartItems;
    this.cartItems = 0;
  }
}
