// The browser simulator's users: each is a browser (cookies) and a shopper (what they believe and
// lost). A step plans the journey's next request(s) (journey.ts), sends them through the simulated
// network, classifies what came back (outcomes.ts), records it (history.ts) and learns from it with
// the checker's own fold, exactly as the lab's users over HTTP do (node/users.ts).
import { learn, newShopper, type HistoryRecord, type Shopper } from './history';
import { nextStep, userRandom } from './journey';
import { classify } from './outcomes';
import type { Random } from './random';
import { reportedIn } from './shopper';
import type { Browser, Network } from './sim-network';

export interface SimUserState extends Browser, Shopper {
  readonly name: string;
  /** The user's own random stream: the same as the lab's user with the same seed and index. */
  readonly random: Random;
}

/** One request in the simulator's history. */
export interface SimEvent extends HistoryRecord {
  tick: number;
  /** Items this step revealed as lost, and whether it forced a new login. */
  lostItems: number;
  forcedLogin: boolean;
}

/** `count` users named user-01…, each with the random stream of the lab's user with that index. */
export function simUsers(count: number, seed: number): SimUserState[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `user-${String(i + 1).padStart(2, '0')}`,
    random: userRandom(seed, i),
    ...newShopper(),
  }));
}

/** The user's next step: one request, or two at once when the other tab joins in. */
export async function stepUser(
  user: SimUserState,
  network: Network,
  tabs: 1 | 2,
  tick: number,
): Promise<SimEvent[]> {
  const planned = nextStep(user, user.random, tabs);
  const together = planned.length > 1;
  const delivered = await Promise.all(planned.map((request) => network.send(user, request)));
  const records = delivered.map(({ observed, body, servedBy }, i): HistoryRecord => {
    const { op, productId } = planned[i];
    const status = observed.kind === 'answer' ? observed.status : 0;
    const record: HistoryRecord = {
      user: user.name,
      op,
      outcome: classify(observed),
      status,
      servedBy,
      ...reportedIn(op, status, body),
    };
    if (productId !== undefined) record.productId = productId;
    if (together) record.together = true;
    return record;
  });
  const lessons = learn(user, records);
  return records.map((record, i) => ({
    tick,
    ...record,
    lostItems: lessons[i].lostItems,
    forcedLogin: lessons[i].forcedLogin,
  }));
}
