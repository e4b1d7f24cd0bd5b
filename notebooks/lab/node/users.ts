// Simulated shoppers. Each has its own cookie jar (its only state) and walks a journey:
// log in → browse → add to cart → browse → add → look at the cart → check out → again.
// It records every operation as ok / fail / unknown (outcomes.ts) and counts what it lost along
// the way (shopper.ts, the same rules the browser simulator uses).
import { SAMPLE_PRODUCT_COUNT } from '../core/catalog';
import { ShopClient, type Outcome, type Response } from './client';
import { AFFINITY_COOKIE } from '../core/policies';
import type { Random } from '../core/random';
import {
  JOURNEY,
  noLosses,
  OTHER_TAB_CHANCE,
  understand,
  understandTogether,
  type Belief,
  type Losses,
  type Operation,
} from '../core/shopper';

export type { Losses, Operation } from '../core/shopper';

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
  /** Sent at the same moment as another request of this user's (two tabs): both records say so. */
  together?: true;
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

interface Sent {
  op: Operation;
  res: Response;
  productId?: number;
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
    private readonly options: UserOptions = {},
  ) {
    this.client = new ShopClient(baseUrl, { clientId: name, timeoutMs: options.timeoutMs });
  }

  /** The backend this user's browser is pinned to by the LB's cookie, if any. */
  get pinnedTo(): string | undefined {
    return this.client.jar.get(AFFINITY_COOKIE);
  }

  /** Takes the next step of the journey (logging in first when needed) and records it: one
   *  request, or two at once when the other tab joins in. */
  async step(): Promise<OperationRecord[]> {
    if (!this.loggedIn) return [this.record(await this.send('login'))];
    const op = JOURNEY[this.next];
    this.next = (this.next + 1) % JOURNEY.length;
    const otherTab =
      this.options.tabs === 2 &&
      (op === 'add' || op === 'checkout') &&
      this.random.next() < OTHER_TAB_CHANCE;
    if (!otherTab) return [this.record(await this.send(op))];
    const both = await Promise.all([this.send(op), this.send('add')]);
    understandTogether(
      this,
      this.losses,
      both.map(({ op, res }) => ({ op, outcome: res.outcome, answer: res })),
    );
    const entries = both.map((sent) => this.entry(sent, true));
    this.log.push(...entries);
    return entries;
  }

  /** One request of the journey; the product an add asks for is picked before it is sent. */
  private async send(op: Operation): Promise<Sent> {
    if (op === 'login') return { op, res: await this.client.post('/login', { user: this.name }) };
    if (op === 'browse')
      return {
        op,
        res: await this.client.get(`/products/${1 + this.random.int(SAMPLE_PRODUCT_COUNT)}`),
      };
    if (op === 'add') {
      const productId = 1 + this.random.int(SAMPLE_PRODUCT_COUNT);
      return { op, res: await this.client.post('/cart', { productId }), productId };
    }
    if (op === 'cart') return { op, res: await this.client.get('/cart') };
    return { op, res: await this.client.post('/checkout') };
  }

  private record(sent: Sent): OperationRecord {
    understand(this, this.losses, sent.op, sent.res.outcome, sent.res);
    const entry = this.entry(sent);
    this.log.push(entry);
    return entry;
  }

  private entry({ op, res, productId }: Sent, together = false): OperationRecord {
    const entry: OperationRecord = {
      user: this.name,
      op,
      outcome: res.outcome,
      status: res.status,
      servedBy: res.servedBy,
    };
    if (productId !== undefined) entry.productId = productId;
    if (res.error) entry.error = res.error;
    if (together) entry.together = true;
    return entry;
  }
}
