// Simulated shoppers. Each has its own cookie jar (its only state) and walks the journey
// (core/journey.ts): log in → browse → add to cart → browse → add → look at the cart → check out →
// again. It records every request in its history (core/history.ts) as ok / fail / unknown
// (outcomes.ts) with what the shop reported, and keeps what it believes and lost with the
// checker's own fold, learn(): checkHistory(user.log) gives back user.losses, by construction.
import { ShopClient, type Response } from './client';
import { AFFINITY_COOKIE } from '../core/policies';
import type { Random } from '../core/random';
import { learn, newShopper, type HistoryRecord, type Shopper } from '../core/history';
import { nextStep, type Planned } from '../core/journey';
import { reportedIn, type Losses } from '../core/shopper';

export type { Losses, Operation } from '../core/shopper';

/** One request as the user recorded it: the history's record, and why no answer came. */
export interface OperationRecord extends HistoryRecord {
  /** Why no answer came (ECONNRESET, ECONNREFUSED, a timeout). */
  error?: string;
}

export interface UserOptions {
  /** How long the user's browser waits for an answer before it counts the request unknown. */
  timeoutMs?: number;
  /**
   * 2: the user shops in two tabs of one browser (one cookie jar). Now and then (OTHER_TAB_CHANCE)
   * the other tab sends an add at the same moment as the journey's add or checkout: the
   * concurrent-user nemesis. Default 1: one request at a time.
   */
  tabs?: 1 | 2;
}

export class SimUser {
  readonly client: ShopClient;
  readonly log: OperationRecord[] = [];
  /** What the user believes and lost, folded from `log` as it grows (core/history.ts). */
  private readonly shopper: Shopper = newShopper();

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly random: Random,
    private readonly options: UserOptions = {},
  ) {
    this.client = new ShopClient(baseUrl, { clientId: name, timeoutMs: options.timeoutMs });
  }

  get losses(): Losses {
    return this.shopper.losses;
  }
  /** Logged in or not, as far as the user knows. */
  get loggedIn(): boolean {
    return this.shopper.loggedIn;
  }
  /** Items the user is sure the cart holds. */
  get cartItems(): number {
    return this.shopper.cartItems;
  }

  /** The backend this user's browser is pinned to by the LB's cookie, if any. */
  get pinnedTo(): string | undefined {
    return this.client.jar.get(AFFINITY_COOKIE);
  }

  /** Takes the next step of the journey (logging in first when needed) and records it: one
   *  request, or two at once when the other tab joins in. */
  async step(): Promise<OperationRecord[]> {
    const planned = nextStep(this.shopper, this.random, this.options.tabs);
    const together = planned.length > 1;
    const records = await Promise.all(planned.map((p) => this.send(p, together)));
    learn(this.shopper, records);
    this.log.push(...records);
    return records;
  }

  /** One request of the journey, and its record. */
  private async send({ op, productId }: Planned, together: boolean): Promise<OperationRecord> {
    const res = await this.request({ op, productId });
    const record: OperationRecord = {
      user: this.name,
      op,
      outcome: res.outcome,
      status: res.status,
      servedBy: res.servedBy,
      ...reportedIn(op, res.status, res.body),
    };
    if (productId !== undefined) record.productId = productId;
    if (res.error) record.error = res.error;
    if (together) record.together = true;
    return record;
  }

  private request({ op, productId }: Planned): Promise<Response> {
    if (op === 'login') return this.client.post('/login', { user: this.name });
    if (op === 'browse') return this.client.get(`/products/${productId}`);
    if (op === 'add') return this.client.post('/cart', { productId });
    if (op === 'cart') return this.client.get('/cart');
    return this.client.post('/checkout');
  }
}
