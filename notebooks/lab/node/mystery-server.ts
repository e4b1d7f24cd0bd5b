// One server of chapter 8's mystery shop: the shop module (the reader's exercise, or its
// solution) served over node:http, with its `homes` opened from one shared folder that every
// server of the fleet is given, as every machine of a real fleet reaches the same database:
//   <shared>/state.sqlite  the shared stores (sessions, carts, counters, files, flags, lists)
//   <shared>/shop.sqlite   the catalogue and the orders
//   <shared>/mail.sqlite   every mail the shop sent, one row each (the test's mailbox)
// Each store call takes a round trip first (overNetwork), as a store across a network does, so
// two requests at once interleave at every await, in one process or in two.
// Besides the shop's routes, what only the nemesis uses:
//   POST /test/clock {now}  sets the clock the shop reads (it stands still in between)
//   POST /test/tick         runs the shop's scheduled job once, as the scheduler does each minute
//   x-test-hop-ms: N        a request header: this request's store round trips take N ms (a slow
//                           network for one request), and so does any write it leaves running
//   x-test-late: TOKEN      a request header: a store call this request left running after its
//                           answer lands only once POST /test/release/TOKEN (or HOLD_MAX_MS):
//                           a network slower than the customer's next click, whatever the
//                           machine's speed (request-hold.ts). Until then, so does any store
//                           call made after its request answered, or outside any request (a
//                           timer flushing writes the shop queued, however it was started):
//                           what the request left for later is late whoever makes it
//   x-test-hold: TOKEN      request headers: the request stops the first time it writes a key of
//   x-test-hold-table: T    store T that it called before, until POST /test/release/TOKEN;
//                           GET /test/held/TOKEN says whether it stopped (request-hold.ts)
//                           A TOKEN is 1 to 100 letters, digits, _ or -, and T one of the stores
//                           of state.sqlite above; a late or hold header the /test routes could
//                           not name, or one hold header without the other, is answered 400 and
//                           the request runs nothing
//   x-test-last-answer: 1   a request header: the server dies the moment it sends this answer.
//                           Nothing it does from then on happens: a store call still on its way
//                           never lands, and it answers nobody else. The nemesis kills the
//                           process right after; this makes the death exact, however late the
//                           kill comes on a busy machine
// Its own state: the clock, and the shop the module made (whatever that keeps).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Order, Product } from '../core/catalog';
import { overNetwork, sleep } from '../core/race-stores';
import type { CartLine } from '../core/shop-types';
import type { StateStore } from '../core/store';
import { answered, holdable, holdOf, requestHold, type RequestHold } from './request-hold';
import { openCatalog } from './sqlite-catalog';
import { sqliteStore } from './sqlite-store';
import { EMPTY_FORM, KEEP_ALIVE_TIMEOUT_MS, NOT_JSON_TYPE, refusedType } from './http-edge';

/** The round trip every call to a shared store takes (ms). */
export const STORE_HOP_MS = 5;
/** The slowest round trip a request may ask for with x-test-hop-ms. */
export const MAX_HOP_MS = 1_000;

/** The shared stores a server of the fleet has (MysteryHomes), each a table of state.sqlite: what
 *  x-test-hold-table may name. */
const STORE_TABLES = [
  'sessions',
  'carts',
  'counters',
  'files',
  'flags',
  'lists',
] as const satisfies readonly (keyof MysteryHomes)[];
type StoreTable = (typeof STORE_TABLES)[number];

/** The network of the request being answered: what follows from it (awaits, timers, promises it
 *  leaves running) sees it too, as AsyncLocalStorage carries it. */
const network = new AsyncLocalStorage<Network>();
interface Network {
  hopMs: number;
  hold?: RequestHold;
  /** x-test-late: what a store call waits for once the request has answered. */
  late?: Promise<void>;
  /** The request has answered (or failed). */
  answered: boolean;
}
/** The x-test-late requests of this process that have answered and are not yet released: a store
 *  call made after its own request answered, or outside any request, waits for them. */
const lateAnswered = new Set<Promise<void>>();
/** A promise that never settles: what a dead server's unfinished work comes to. */
const never = () => new Promise<never>(() => {});

/** What the mystery shop module exports (notebooks/exercises/08-hidden-state.ts has the types). */
export interface MysteryHomes {
  sessions: StateStore<string>;
  carts: StateStore<CartLine[]>;
  counters: StateStore<number>;
  files: StateStore<string>;
  flags: StateStore<boolean>;
  lists: StateStore<number[]>;
  catalog: {
    get(id: number): Product | undefined;
    setPrice(id: number, priceCents: number): Product | undefined;
    placeOrder(user: string, lines: CartLine[]): Order;
  };
  mail: { send(to: string, subject: string): void };
  now(): number;
  newId(): string;
}
interface Shop {
  handle(request: {
    method: string;
    path: string;
    sid?: string;
    body: unknown;
  }): Promise<{ status: number; body: unknown; sid?: string }>;
  tick(): Promise<void>;
}
export type MysteryShopFactory = (homes: MysteryHomes) => Shop;

export interface Mailbox {
  send(to: string, subject: string): void;
  /** The recipient of every mail sent so far, in order. */
  recipients(): string[];
  close(): void;
}

/** The mailbox every server of the fleet writes: one row per mail sent. */
export function openMailbox(shared: string): Mailbox {
  const db = new Database(join(shared, 'mail.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS mail (n INTEGER PRIMARY KEY, "to" TEXT, subject TEXT)');
  const insert = db.prepare('INSERT INTO mail ("to", subject) VALUES (?, ?)');
  const all = db.prepare('SELECT "to" FROM mail ORDER BY n');
  return {
    send: (to, subject) => void insert.run(to, subject),
    recipients: () => (all.all() as { to: string }[]).map((row) => row.to),
    close: () => void db.close(),
  };
}

/** The homes a server of the fleet gets, all in `shared`. Once `dead()`, nothing this server
 *  starts reaches them: a store call whose round trip ends after the death never lands, and the
 *  catalogue and the mailbox refuse. */
export function openHomes(
  shared: string,
  now: () => number,
  dead: () => boolean = () => false,
): MysteryHomes {
  /** One round trip to a store, as slow as the current request's network; one left running after
   *  an answer (or made outside any request), as late as a late request asked (x-test-late). A
   *  timer started by an earlier request carries that request's context, answered long ago. */
  const hop = async () => {
    const request = network.getStore();
    await sleep(request?.hopMs ?? STORE_HOP_MS)();
    if ((!request || request.answered) && lateAnswered.size > 0) await Promise.all(lateAnswered);
    if (dead()) await never();
  };
  const alive = () => {
    if (dead()) throw new Error('this server is dead: it died the moment it sent its last answer');
  };
  const state = join(shared, 'state.sqlite');
  // A TTL runs on the shop's clock, as a real store's runs on the time the shop lives through:
  // a flag kept "for a minute" is gone a minute of the nemesis's clock later, not of this run's.
  // A request sent with x-test-hold stops before its round trip, at a key it writes after a call.
  const store = <T>(table: StoreTable) =>
    holdable(
      overNetwork(sqliteStore<T>(state, table, now), hop),
      table,
      () => network.getStore()?.hold,
    );
  const catalog = openCatalog(join(shared, 'shop.sqlite'));
  const prices = new Database(join(shared, 'shop.sqlite'));
  prices.pragma('busy_timeout = 5000');
  const setPrice = prices.prepare('UPDATE products SET price_cents = ? WHERE id = ?');
  const mailbox = openMailbox(shared);
  return {
    sessions: store('sessions'),
    carts: store('carts'),
    counters: store('counters'),
    files: store('files'),
    flags: store('flags'),
    lists: store('lists'),
    catalog: {
      get: (id) => catalog.get(id),
      setPrice: (id, priceCents) => {
        alive();
        if (!Number.isSafeInteger(priceCents) || priceCents < 0) return undefined;
        setPrice.run(priceCents, id);
        return catalog.get(id);
      },
      placeOrder: (user, lines) => (alive(), catalog.placeOrder(user, lines)),
    },
    mail: { send: (to, subject) => (alive(), mailbox.send(to, subject)) },
    now,
    newId: () => randomUUID(),
  };
}

/** The largest body a mystery server reads. */
const MAX_BODY_CHARS = 64 * 1024;

/** The body as JSON; a body not sent as JSON, not JSON, or too large is refused with the 4xx
 *  every lab shop answers (http-edge.ts), and never reaches the shop. */
async function bodyOf(
  req: IncomingMessage,
): Promise<{ refused: number; error: string } | { body: unknown }> {
  let text = '';
  let tooLarge = false;
  // Read to the end even when too large (what is over is dropped): leaving the loop early would
  // destroy the connection, and the answer with it.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (!tooLarge) text += chunk.toString('utf8');
    if (text.length > MAX_BODY_CHARS) [tooLarge, text] = [true, ''];
  }
  if (tooLarge)
    return { refused: 413, error: `the body is larger than ${MAX_BODY_CHARS} characters` };
  const refused = refusedType(req.method, req.headers['content-type'], !text);
  if (refused)
    return { refused: 415, error: refused === 'empty-form' ? EMPTY_FORM : NOT_JSON_TYPE };
  if (!text) return { body: undefined };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { refused: 400, error: 'the body is not JSON' };
  }
}

const SID = /(?:^|;\s*)sid=([^;]+)/;
/** A token of x-test-late or x-test-hold: one that GET /test/held/TOKEN and POST
 *  /test/release/TOKEN can name. */
const TOKEN_PATTERN = '[\\w-]{1,100}';
const TOKEN = new RegExp(`^${TOKEN_PATTERN}$`);
const CONTROL = new RegExp(`^/test/(held|release)/(${TOKEN_PATTERN})$`);
const ONE_TOKEN = 'one token: 1 to 100 letters, digits, _ or -';

/** Why these x-test-hold headers ask for a hold no one could keep or release; else undefined. */
function badHold(token: unknown, table: unknown): string | undefined {
  if (token === undefined && table === undefined) return undefined;
  if (token === undefined) return 'x-test-hold-table needs x-test-hold: TOKEN';
  if (typeof token !== 'string' || !TOKEN.test(token)) return `x-test-hold takes ${ONE_TOKEN}`;
  if (typeof table !== 'string' || !(STORE_TABLES as readonly string[]).includes(table))
    return `x-test-hold-table names one of the stores: ${STORE_TABLES.join(', ')}`;
  return undefined;
}

/** The request has answered: from now on, its store calls (and those of every other answered
 *  request, or of none) wait for its release, if it asked to be late. */
function lateAfterAnswer(request: Network): void {
  request.answered = true;
  const late = request.late;
  if (!late || lateAnswered.has(late)) return;
  lateAnswered.add(late);
  void late.then(() => lateAnswered.delete(late));
}

/**
 * Serves `makeShop(homes)` on 127.0.0.1 as server `name`; `onError` hears what it threw.
 * `processClock`, for a server in a process of its own: once the nemesis sets the clock,
 * Date.now() reads it too, so a shop that keeps something "for 10 ms" by the machine's clock
 * keeps it while the clock stands still, as it would on a machine where the 10 ms had not passed.
 */
export async function serveMysteryShop(
  makeShop: MysteryShopFactory,
  options: {
    shared: string;
    name: string;
    port?: number;
    onError?: (error: unknown) => void;
    processClock?: boolean;
  },
): Promise<Server> {
  let clock = 0;
  /** Set as the server sends the answer it dies after (x-test-last-answer). */
  let dead = false;
  const shop = makeShop(
    openHomes(
      options.shared,
      () => clock,
      () => dead,
    ),
  );
  const onError = options.onError ?? ((error) => console.error(error));
  // Idle connections kept 65 s, not Node's 5 s, as every lab server does (EDGE_SERVER_OPTIONS,
  // http-edge.ts): a client that reuses one after 5 s on a busy machine must not meet a close.
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    const reply = (status: number, body: unknown, sid?: string) => {
      // Answered, whatever the answer (a refusal before the shop ran too): a nemesis asking
      // GET /test/held/TOKEN now hears that it never stopped, rather than after HOLD_MAX_MS.
      answered(context.hold);
      if (dead) return; // a dead server answers nobody: the kill will close the connection
      dead = req.headers['x-test-last-answer'] === '1';
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-served-by': options.name,
        ...(sid ? { 'set-cookie': `sid=${sid}; HttpOnly; Path=/; SameSite=Lax` } : {}),
      });
      res.end(JSON.stringify(body));
    };
    const answer = async () => {
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      const read = await bodyOf(req);
      if ('refused' in read) return reply(read.refused, { error: read.error });
      const { body } = read;
      if (lateHeader !== undefined && !TOKEN.test(lateHeader))
        return reply(400, { error: `x-test-late takes ${ONE_TOKEN}` });
      if (holdRefused) return reply(400, { error: holdRefused });
      if (method === 'POST' && path === '/test/clock') {
        clock = Number((body as { now?: unknown }).now);
        if (options.processClock) Date.now = () => clock;
        return reply(200, { now: clock });
      }
      if (method === 'POST' && path === '/test/tick') {
        await shop.tick();
        answered(context.hold);
        return reply(200, { ok: true });
      }
      const control = CONTROL.exec(path);
      if (control && method === (control[1] === 'held' ? 'GET' : 'POST')) {
        const hold = holdOf(control[2]);
        if (control[1] === 'release') return reply(200, { released: (hold.release(), true) });
        return reply(200, { held: await hold.isReached });
      }
      const sid = SID.exec(req.headers.cookie ?? '')?.[1];
      const shopAnswer = await shop.handle({ method, path, sid, body });
      answered(context.hold); // from now on, nothing it left running stops
      lateAfterAnswer(context); // and what it left running is late, if asked (x-test-late)
      reply(shopAnswer.status, shopAnswer.body, shopAnswer.sid);
    };
    const asked = Number(req.headers['x-test-hop-ms']);
    const [token, table] = [req.headers['x-test-hold'], req.headers['x-test-hold-table']];
    const holdRefused = badHold(token, table);
    const lateHeader = req.headers['x-test-late'] as string | undefined; // repeated: joined by ", "
    const context: Network = {
      hopMs: asked >= 0 && asked <= MAX_HOP_MS ? asked : STORE_HOP_MS,
      hold:
        !holdRefused && typeof token === 'string' && typeof table === 'string'
          ? requestHold(token, table)
          : undefined,
      late:
        lateHeader !== undefined && TOKEN.test(lateHeader)
          ? holdOf(lateHeader).released
          : undefined,
      answered: false,
    };
    network.run(context, answer).catch((error: unknown) => {
      answered(context.hold);
      lateAfterAnswer(context);
      onError(error);
      if (!res.headersSent) reply(500, { error: 'internal server error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return server;
}

export const portOf = (server: Server) => (server.address() as AddressInfo).port;
