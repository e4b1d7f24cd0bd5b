// A platform-free, step-by-step model of chapter 3's cluster: simulated users shop through a
// simulated load balancer over simulated servers. The site's ClusterSimulator runs it in the
// browser; a notebook could run it too. No Node built-ins, no timers: it moves only when
// tick() is called, and every choice comes from a seed, so a run can be repeated exactly.
//
// Reused from the lab, not copied: the routing policies (policies.ts), the seeded generator
// (random.ts), the state store (store.ts) and the shop's own rules: a login is shop-rules.ts's
// startSession, and add, cart and checkout are cart.ts's routes, answering with the shop's
// statuses. Only the session ID is the model's (from the seed; account.ts takes it from
// node:crypto). platform-free.test.ts checks that nothing here imports Node. An answer's outcome
// (ok / fail / unknown) is decided by outcomes.ts and what the user makes of it by shopper.ts,
// the very functions the lab's SimUser (users.ts) calls: sim-agrees.test.ts runs both.
// The model kills servers only between ticks, so no request is ever cut in flight here: its
// outcomes are ok and fail (a 503 from the lb, a 4xx from the shop), never unknown.
//
// Two tabs (`tabs: 2`): now and then a user's other tab sends an add at the same moment as the
// journey's add or checkout, and the model runs both at once, as a real cluster would. Whether
// they can interleave depends on where the servers keep the state: sim-servers.ts.
import { addToCart, checkout, showCart } from './cart';
import { SAMPLE_PRODUCT_COUNT } from './catalog';
import { classify, type Observed, type Outcome } from './outcomes';
import { roundRobin, stickyCookie, type Backend, type Policy } from './policies';
import { seededRandom, type Random } from './random';
import { SESSION_COOKIE, startSession, type CartDatabase, type CartRequest } from './shop-rules';
import {
  JOURNEY,
  noLosses,
  OTHER_TAB_CHANCE,
  understand,
  understandTogether,
  type Losses,
  type Operation,
} from './shopper';
import { serverStates, type ServerState } from './sim-servers';

/** stateful: per-server memory, round robin · sticky: per-server memory, sticky cookie ·
 *  stateless: one shared store, round robin. */
export type Architecture = 'stateful' | 'sticky' | 'stateless';

export const ARCHITECTURES: readonly Architecture[] = ['stateful', 'sticky', 'stateless'];

export type SimOperation = Operation;

/** The database tier in the model: the sample products (ids 1 to SAMPLE_PRODUCT_COUNT) exist, and an order is handed back, not kept
 *  (each user counts its own). The simulator breaks only the web tier, so this never fails. */
const DATABASE: CartDatabase = {
  get: (id) => (id >= 1 && id <= SAMPLE_PRODUCT_COUNT ? { id } : undefined),
  placeOrder: (user, lines) => ({ user, lines }),
};

const ROUTES = { add: addToCart, cart: showCart, checkout } as const;

export interface SimOptions {
  architecture: Architecture;
  /** How many simulated users (default 24). */
  users?: number;
  /** How many servers at the start (default 3). */
  servers?: number;
  seed?: number;
  /** The chance that a user takes a step in one tick (default 0.75), so they do not march. */
  activity?: number;
  /** 2: users shop in two tabs, and now and then send two requests at once (default 1). */
  tabs?: 1 | 2;
  /** How the shop changes a cart: its atomic update() (default), or a get and then a set. */
  cartWrites?: 'update' | 'get-then-set';
}

export interface SimServer extends Backend, ServerState {
  /** Requests this server answered. */
  requests: number;
}

/** As the lab's users count them (shopper.ts). `failed`: no healthy server (the lb's 503, not
 *  forwarded); `unknown` stays 0, since the model never cuts a request in flight. */
export type SimLosses = Losses;

export interface SimUserState {
  readonly name: string;
  /** The session cookie (sid) and the LB's affinity cookie: the browser's only state. */
  sid?: string;
  affinity?: string;
  /** What the user believes: logged in or not, and how many items the shop acknowledged. */
  loggedIn: boolean;
  cartItems: number;
  next: number;
  orders: number;
  losses: SimLosses;
}

export interface SimEvent {
  tick: number;
  user: string;
  op: SimOperation;
  status: number;
  outcome: Outcome;
  server?: string;
  /** Items this step revealed as lost, and whether it forced a new login. */
  lostItems: number;
  forcedLogin: boolean;
  /** Sent at the same moment as another request of this user's (two tabs). */
  together?: true;
}

export interface SimTotals extends SimLosses {
  orders: number;
  requests: number;
}

export interface ServerView {
  name: string;
  up: boolean;
  requests: number;
  /** Users whose affinity cookie names this server (sticky only; 0 otherwise). */
  pinned: number;
}

export interface Simulation {
  readonly architecture: Architecture;
  readonly policy: Policy;
  readonly servers: readonly SimServer[];
  readonly users: readonly SimUserState[];
  readonly history: readonly SimEvent[];
  readonly tickCount: number;
  /** Every active user takes one step; resolves with this tick's events. */
  tick(): Promise<SimEvent[]>;
  /** A crash: the server is down and its memory is gone. The LB notices at once: the model has
   *  no health checks (the lab's balancer waits for 3 failed ones in a row; chapter 2). */
  kill(name: string): void;
  /** Starts the server again, with empty memory. */
  restart(name: string): void;
  /** Adds a server (app-N) and returns its name. */
  add(): string;
  /** Takes a server out of the cluster; its memory goes with it. */
  remove(name: string): void;
  totals(): SimTotals;
  view(): ServerView[];
}

export function policyFor(architecture: Architecture): Policy {
  return architecture === 'sticky' ? stickyCookie(roundRobin()) : roundRobin();
}

export function createSimulation(options: SimOptions): Simulation {
  const architecture = options.architecture;
  const random: Random = seededRandom(options.seed ?? 1);
  const activity = options.activity ?? 0.75;
  const policy = policyFor(architecture);
  let tickCount = 0;
  // The stores' and the session rules' clock is the tick count, so a session's 30-minute idle
  // timeout (shop-rules.ts) is 1.8 million ticks: nothing expires during a run, and a paused
  // simulator forgets nothing.
  const now = () => tickCount;
  // Stateless: one store every server shares. Stateful: each server gets its own memory.
  const stateOf = serverStates({
    shared: architecture === 'stateless',
    cartWrites: options.cartWrites ?? 'update',
    now,
  });

  const servers: SimServer[] = [];
  let serial = 0;
  const newServer = (): SimServer => {
    serial += 1;
    const server: SimServer = {
      name: `app-${serial}`,
      healthy: true,
      inFlight: 0,
      requests: 0,
      ...stateOf(),
    };
    servers.push(server);
    return server;
  };
  for (let i = 0; i < (options.servers ?? 3); i++) newServer();

  const users: SimUserState[] = [];
  for (let i = 1; i <= (options.users ?? 24); i++) {
    users.push({
      name: `user-${String(i).padStart(2, '0')}`,
      loggedIn: false,
      cartItems: 0,
      next: 0,
      orders: 0,
      losses: noLosses(),
    });
  }

  const history: SimEvent[] = [];
  const find = (name: string) => {
    const server = servers.find((s) => s.name === name);
    if (!server) throw new Error(`there is no server ${name}`);
    return server;
  };

  /** What a browser saw of one request, before it makes sense of it. */
  interface Sent {
    event: SimEvent;
    observed: Observed;
    body?: unknown;
  }

  /** One request: the LB picks a server with the lab's policy; the server applies the shop's rules. */
  async function send(user: SimUserState, op: SimOperation): Promise<Sent> {
    const event: SimEvent = {
      tick: tickCount,
      user: user.name,
      op,
      status: 0,
      outcome: 'unknown',
      lostItems: 0,
      forcedLogin: false,
    };
    const server = policy.pick(servers, { affinity: user.affinity, clientKey: user.name }) as
      SimServer | undefined;
    // As balancer.ts: no healthy backend is a 503 the lb marks as not forwarded.
    if (!server) return { event, observed: { kind: 'answer', status: 503, forwarded: false } };
    event.server = server.name;
    server.requests += 1;
    if (policy.pins) user.affinity = server.name; // the LB (re-)pins with its cookie

    if (op === 'login') {
      const sid = `s${random.int(0x7fffffff).toString(36)}${random.int(0x7fffffff).toString(36)}`;
      const request = { cookies: cookiesOf(user), sessions: server.sessions, now };
      await server.handle(() => startSession(request, sid, user.name));
      user.sid = sid;
      return { event, observed: { kind: 'answer', status: 200 } };
    }
    // Products are public; the catalogue is the database's.
    if (op === 'browse') return { event, observed: { kind: 'answer', status: 200 } };
    // The user picks the product before sending, as users.ts does.
    const body = op === 'add' ? { productId: 1 + random.int(SAMPLE_PRODUCT_COUNT) } : undefined;
    const request: CartRequest = {
      cookies: cookiesOf(user),
      body,
      sessions: server.sessions,
      carts: server.carts,
      catalog: DATABASE,
      now,
    };
    const reply = await server.handle(() => ROUTES[op](request));
    return { event, observed: { kind: 'answer', status: reply.status }, body: reply.body };
  }

  /** The user's next step: one request, or two at once when the other tab joins in. Then what
   *  the user's browser makes of the answers: outcomes (outcomes.ts), then lessons (shopper.ts). */
  async function step(user: SimUserState): Promise<SimEvent[]> {
    const op: SimOperation = user.loggedIn ? JOURNEY[user.next] : 'login';
    const otherTab =
      options.tabs === 2 && (op === 'add' || op === 'checkout') && random.next() < OTHER_TAB_CHANCE;
    const sent = otherTab
      ? await Promise.all([send(user, op), send(user, 'add')])
      : [await send(user, op)];
    // The journey moves on once a server has taken its step (after a 503, the user tries again).
    if (sent[0].event.server) user.next = op === 'login' ? 0 : (user.next + 1) % JOURNEY.length;
    const answers = sent.map(({ event, observed, body }) => {
      event.status = observed.kind === 'answer' ? observed.status : 0;
      event.outcome = classify(observed);
      return { op: event.op, outcome: event.outcome, answer: { status: event.status, body } };
    });
    const lessons = otherTab
      ? understandTogether(user, user.losses, answers)
      : [understand(user, user.losses, op, answers[0].outcome, answers[0].answer)];
    return sent.map(({ event }, i) => {
      event.lostItems = lessons[i].lostItems;
      event.forcedLogin = lessons[i].forcedLogin;
      if (lessons[i].ordered) user.orders += 1;
      if (otherTab) event.together = true;
      return event;
    });
  }

  // A new process: empty memory, and a new event loop with nothing queued.
  const wipe = (server: SimServer) => Object.assign(server, stateOf());

  return {
    architecture,
    policy,
    servers,
    users,
    history,
    get tickCount() {
      return tickCount;
    },
    async tick() {
      tickCount += 1;
      const events: SimEvent[] = [];
      for (const user of users) {
        if (random.next() >= activity) continue;
        events.push(...(await step(user)));
      }
      history.push(...events);
      return events;
    },
    kill(name) {
      const server = find(name);
      server.healthy = false;
      wipe(server); // a crash takes the process's memory with it (a shared store is elsewhere)
    },
    restart(name) {
      const server = find(name);
      wipe(server);
      server.healthy = true;
    },
    add() {
      return newServer().name;
    },
    remove(name) {
      servers.splice(servers.indexOf(find(name)), 1);
    },
    totals() {
      const t: SimTotals = { ...noLosses(), orders: 0, requests: 0 };
      for (const u of users) {
        t.forcedLogins += u.losses.forcedLogins;
        t.lostCartItems += u.losses.lostCartItems;
        t.failed += u.losses.failed;
        t.unknown += u.losses.unknown;
        t.orders += u.orders;
      }
      t.requests = history.length;
      return t;
    },
    view() {
      return servers.map((s) => ({
        name: s.name,
        up: s.healthy,
        requests: s.requests,
        pinned: users.filter((u) => u.affinity === s.name).length,
      }));
    },
  };
}

/** The cookies the user's browser sends the shop: the session cookie, once it has one. */
function cookiesOf(user: SimUserState): Record<string, string> {
  return user.sid ? { [SESSION_COOKIE]: user.sid } : {};
}
