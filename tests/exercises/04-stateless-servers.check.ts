// Checks for exercise 04: stateless servers. Three cart servers, app-1..3, each in its own Node
// process with its own working and temp folder (as on machines of their own), all given the same
// store: a SQLite file. The checks add to carts on one server, read them on another, look in the
// store itself, change a cart in the store behind the servers' backs, and crash servers (SIGKILL)
// between requests. Only carts kept in the store pass: state in a module variable, a closure,
// globalThis, a cache or a file lives on one server and dies with it. The store writes late, as
// one across a network does (see the .server.ts), so a write that is not awaited shows too.
//
// What the exercise teaches, one check each (the manifest lists them as its behaviours): add
// answers the whole cart; a new user's cart is []; every add is written to the store before the
// answer; every read comes from the store; so any server answers any user; two adds at once on
// two servers (a user's two tabs) both keep their line; a crash of one server or of all of them
// loses no cart; and a crash in the middle of an add (killed at its write) leaves the cart open to
// the next add on another server (a lock it took must expire). The store also runs the change
// given to store.update twice, as its contract allows, and the check can make one request's
// writes or reads fail or hold one request's read (see the .server.ts): a change with a side
// effect, an add answered though its write failed, a cart answered though it could not be read,
// and a read that writes the cart back show too. One user's name has capitals: the cart must be
// under that exact name.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CartLine } from '../../notebooks/lab/core/shop-types';
import { sqliteStore } from '../../notebooks/lab/node/sqlite-store';
import {
  ask,
  exerciseFile,
  indent,
  Lesson,
  pointer,
  readerFrames,
  startExerciseServer,
  unexpected,
  type Answer,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('04-stateless-servers');
const fn = 'createCarts';
const NAMES = ['app-1', 'app-2', 'app-3'] as const;
type Name = (typeof NAMES)[number];
const dir = mkdtempSync(join(tmpdir(), 'statelab-04-'));
const storeFile = join(dir, 'carts.sqlite');
const servers = new Map<Name, ExerciseServer>();
/** The store every server is given, opened here too: what is really in it. */
const store = sqliteStore<CartLine[]>(storeFile, 'carts');

const start = async (name: Name) => {
  const server = await startExerciseServer(
    join(__dirname, '04-stateless-servers.server.ts'),
    [file, storeFile, name],
    file,
    fn,
    { home: join(dir, name) }, // kept across the server's restarts, like a machine's disk
  );
  servers.set(name, server);
};
/** A crash: SIGKILL, so nothing in the process's memory survives. Then a fresh process. */
const crashAndRestart = async (names: readonly Name[]) => {
  for (const name of names) servers.get(name)?.stop();
  await Promise.all(names.map(start));
};

beforeAll(() => Promise.all(NAMES.map(start)));
afterAll(() => {
  for (const server of servers.values()) server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * One request to one server; no answer in time, or no server, is explained, not waited on. An
 * answer whose store.update ran the reader's change twice with two different results fails.
 */
const call = async (
  name: Name,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => {
  const answer = await ask(servers.get(name)!, path, file, fn, { method, body, headers });
  const impure = answer.headers['x-statelab-impure-change'];
  if (impure) {
    const [first, second] = JSON.parse(decodeURIComponent(impure)) as [unknown, unknown];
    throw new Lesson({
      expected: `the change that ${method} ${path} on ${name} gave to store.update to give the same cart every time it runs on one cart`,
      got: `the store ran it twice on the same cart, as a store may: it gave ${JSON.stringify(first)} the first time, and ${JSON.stringify(second)} the second`,
      why: 'store.update may run the change more than once, and writes only what its last run gives (its contract says so: the Redis store runs it again when another write to the key got in first). A change with a side effect (a flag such as `added`, a variable outside it that it sets or fills, a counter) gives another cart the second time: the line is lost, or added twice. Make the change a function of the cart it is given and nothing else: (items) => [...(items ?? []), line], and answer with what store.update resolves to',
      where: pointer(file, fn),
    });
  }
  return answer;
};

const newUser = () => `user-${randomUUID().slice(0, 8)}`;
const add = async (name: Name, user: string, line: CartLine, headers?: Record<string, string>) => {
  const answer = await call(name, 'POST', `/cart/${user}`, line, headers);
  if (answer.status !== 200) throw unexpected(answer, `200 from ${name} for the add`, file, fn);
  const unawaited = Number(answer.headers['x-statelab-unawaited-writes'] ?? 0);
  if (unawaited > 0) {
    throw new Lesson({
      expected: `the add on ${name} to answer once its write is in the store`,
      got: `it answered with ${unawaited} write(s) to the store not yet done, made by this add itself`,
      why: 'store.set (like every write of the store) returns a promise: the write is done only when it settles. Without `await`, the add answers first, and a server asked right after it reads the old cart (here the store starts a write only once its promise is awaited or given a callback, and finishes it a moment later, so that this shows every time; a real store writes a moment later too, after your answer). Await every store call',
      where: pointer(file, fn),
    });
  }
  return answer;
};

/** Reads the cart on `name` and fails, naming the problem, unless it is exactly `expected`. */
async function expectCart(name: Name, user: string, expected: CartLine[], problem: string) {
  const answer = await call(name, 'GET', `/cart/${user}`);
  if (answer.status !== 200) throw unexpected(answer, `200 from ${name}`, file, fn);
  const items = (answer.body as { items?: unknown }).items;
  if (!isDeepStrictEqual(items, expected)) {
    throw new Lesson({
      expected: `GET /cart/${user} on ${name} to answer ${JSON.stringify(expected)}`,
      got: `${JSON.stringify(items)}`,
      why: problem,
      where: pointer(file, fn),
    });
  }
}

/** Adds `line` on `name` and fails, naming the problem, unless it answers and stores `expected`. */
async function expectAdd(
  name: Name,
  user: string,
  line: CartLine,
  expected: CartLine[],
  problem: string,
) {
  const items = ((await add(name, user, line)).body as { items?: unknown }).items;
  const stored = await store.get(user);
  if (!isDeepStrictEqual(items, expected) || !isDeepStrictEqual(stored, expected)) {
    const onlyLine = expected.length > 1 && isDeepStrictEqual(stored, [line]);
    throw new Lesson({
      expected: `POST /cart/${user} on ${name} to answer, and the store to hold, ${JSON.stringify(expected)}`,
      got: `it answered ${JSON.stringify(items)}; the store holds ${JSON.stringify(stored)}`,
      why: isDeepStrictEqual(stored, expected)
        ? 'the store holds the right cart, but add answered something else: add returns the whole cart after the line was added, in the order added'
        : onlyLine
          ? 'add wrote a cart of just the new line over the cart in the store: the lines already there are gone'
          : problem,
      where: pointer(file, fn),
    });
  }
}

/** The same lines, in any order. */
const sameLines = (a: unknown, b: CartLine[]) =>
  Array.isArray(a) &&
  isDeepStrictEqual(
    a.map((line) => JSON.stringify(line)).sort(),
    b.map((line) => JSON.stringify(line)).sort(),
  );

/**
 * Fails, saying so, when `user`'s cart is in the store under another key than the user's name
 * (cart:<user>, a JSON of the user, a hash of it, ...): the servers share it, but nobody else can
 * find it. A key that holds the user's name is found by its name; any other by its value: `cart`,
 * the lines the user's cart should hold (in any order), under a key that is no user's name.
 */
function keptUnderTheirName(user: string, expected: string, cart?: CartLine[]) {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, value FROM carts').all() as {
      key: string;
      value: string;
    }[];
    if (rows.some((row) => row.key === user)) return;
    const other = rows.find((row) => row.key.includes(user));
    const valueOf = (json: string): unknown => {
      try {
        return JSON.parse(json);
      } catch {
        return undefined;
      }
    };
    const same =
      cart && cart.length > 0
        ? rows.find((row) => !USER_KEY.test(row.key) && sameLines(valueOf(row.value), cart))
        : undefined;
    if (other !== undefined) {
      throw new Lesson({
        expected,
        got: `the store holds no cart under the key ${JSON.stringify(user)}, and one under ${JSON.stringify(other.key)}`,
        why: "the cart is in the shared store, but under a key of your own: every other server and tool (the shop's other versions, an admin tool, this check) looks for a cart under the user's name. Use the user as the key: store.get(user), store.update(user, change)",
        where: pointer(file, fn),
      });
    }
    if (same !== undefined) {
      throw new Lesson({
        expected,
        got: `the store holds no cart under the key ${JSON.stringify(user)}, but it holds that very cart, ${same.value}, under the key ${JSON.stringify(same.key)}`,
        why: "the cart is in the shared store, but under a key made from the user's name (a hash of it, an id, ...) instead of the name itself: every other server and tool (the shop's other versions, an admin tool, this check) looks for a cart under the user's name, and finds none. The key must be the user's name: store.get(user), store.update(user, change)",
        where: pointer(file, fn),
      });
    }
  } finally {
    db.close();
  }
}
/** A row in the store whose key is `user` with its case or spaces changed, but not `user`. */
function keyLike(user: string): { key: string; value: string } | undefined {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, value FROM carts').all() as {
      key: string;
      value: string;
    }[];
    const folded = (key: string) => key.trim().toLowerCase();
    return rows.find((row) => row.key !== user && folded(row.key) === folded(user));
  } finally {
    db.close();
  }
}
/** The check's users' names (newUser): their carts, not another key for one of them. */
const USER_KEY = /^user-[0-9a-f]{8}$/;

const DAY_MS = 24 * 60 * 60 * 1000;
/** A crash mid-add must free the cart within this (a lock's expiry): a try begun later must pass. */
const CRASH_FREED_MS = 30_000;
/** How long `user`'s cart has left in the store: Infinity if it never expires. */
function timeLeft(user: string): number {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT expires FROM carts WHERE key = ?').get(user) as
      { expires: number | null } | undefined;
    return row?.expires == null ? Infinity : row.expires - Date.now();
  } finally {
    db.close();
  }
}
/** The store's other keys with `user` in them (a lock, ...), and how long each has left. */
function otherKeysOf(user: string): string[] {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, expires FROM carts').all() as {
      key: string;
      expires: number | null;
    }[];
    return rows
      .filter((row) => row.key !== user && row.key.includes(user))
      .filter((row) => row.expires == null || row.expires > Date.now())
      .map(
        (row) =>
          `${JSON.stringify(row.key)} (${row.expires == null ? 'with no expiry' : `expiring in ${inWords(Math.max(0, row.expires - Date.now()))}`})`,
      );
  } finally {
    db.close();
  }
}
/** A duration in words: "86 s", "43 minutes", "12 hours". */
const inWords = (ms: number) =>
  ms < 120_000
    ? `${Math.round(ms / 1000)} s`
    : ms < 2 * 3600_000
      ? `${Math.round(ms / 60_000)} minutes`
      : `${Math.round(ms / 3600_000)} hours`;

const A_COPY =
  'this server answered from a copy it kept (in memory or in a file) instead of reading the store again. The store is the only truth: read it with store.get on every call, and keep no copy';
const NOT_SHARED =
  'the cart is not visible on another server: it was kept by the server that took the add (in its memory, or in a file on its own disk). Every server must read and write carts in `store`, the one thing they all share.';
const MISSING_OTHERS =
  "this server's answer is missing lines that other servers added: they kept them to themselves (in memory or on their own disk), or this server answered from what it remembered instead of reading `store` again. Read and write the store on every call.";
const NOT_DURABLE =
  'the cart did not survive the crash: it was kept in the memory of the process that was killed. State that must outlive a server belongs in `store`.';

describe('exercise 04: stateless servers keep the carts in the shared store', () => {
  it('every add is written to the shared store before it answers, and answers the whole cart', async () => {
    const user = newUser();
    const lines: CartLine[] = [
      { productId: 2, qty: 1 },
      { productId: 4, qty: 1 },
    ];
    for (const [n, line] of lines.entries()) {
      const items = ((await add('app-2', user, line)).body as { items?: unknown }).items;
      if (!isDeepStrictEqual(items, lines.slice(0, n + 1))) {
        throw new Lesson({
          expected: `POST /cart/${user} on app-2 to answer the whole cart: ${JSON.stringify(lines.slice(0, n + 1))}`,
          got: JSON.stringify(items),
          why: 'add returns the whole cart after the line was added, in the order added (the shop shows it to the user): the items read from the store, plus the new line',
          where: pointer(file, fn),
        });
      }
    }
    const stored = await store.get(user);
    if (!isDeepStrictEqual(stored, lines)) {
      keptUnderTheirName(
        user,
        `the store to hold ${user}'s cart, ${JSON.stringify(lines)}, once app-2 answered the adds`,
        lines,
      );
      throw new Lesson({
        expected: `the store to hold ${user}'s cart, ${JSON.stringify(lines)}, once app-2 answered the adds`,
        got: `the store holds ${JSON.stringify(stored)}`,
        why: "the cart was kept somewhere else: in memory, or in a file on this server's disk, which no other server can read and which is not the store. Write every cart with store.set (or store.update), and only there",
        where: pointer(file, fn),
      });
    }
    // A cart may expire (a TTL), but not before the user is likely to come back for it.
    const left = timeLeft(user);
    if (left < DAY_MS - 60_000) {
      throw new Lesson({
        expected: `${user}'s cart, just written to the store, to stay there a day at least (or with no expiry)`,
        got: `the store will forget it in ${inWords(left)} (its expiry, set by the add's ttlMs)`,
        why: "the TTL given to the store is too short: every cart, with the adds the shop answered, vanishes soon after the last add. The store counts ttlMs in milliseconds (not in seconds, as Redis's EXPIRE does): a day is 24 * 60 * 60 * 1000. Give a TTL in milliseconds, or none",
        where: pointer(file, fn),
      });
    }
    // The store fails every write of one request (the check asks it to, for this request only),
    // as a store across a network sometimes does: the line cannot reach the store, so the add must
    // fail (500), at once or after a few retries.
    const lost: CartLine = { productId: 6, qty: 1 };
    const failed = await call('app-2', 'POST', `/cart/${user}`, lost, {
      'x-statelab-store-down': '1',
    });
    const after = await store.get(user);
    const written = [...lines, lost];
    const answered = (failed.body as { items?: unknown } | undefined)?.items;
    if (failed.status < 500 && !isDeepStrictEqual(after, written)) {
      throw new Lesson({
        expected: `POST /cart/${user} on app-2, whose writes to the store failed, every one, to answer 500 (the error let through, at once or after a few retries): the line never reached the store`,
        got: `it answered ${failed.status} ${JSON.stringify(answered ?? failed.body)}; the store holds ${JSON.stringify(after)}`,
        why: "the store's write failed (here the check made every write of this request fail, as a store across a network sometimes does), and add answered as if the line were in the cart: the shop told the user it was saved, and no server will ever show it. Let the error go up (the shop answers 500, and the user can try again); a retry or two first is fine, but one that still fails must end in the error, not in a 200: never answer an add that is not in the store",
        where: pointer(file, fn),
      });
    }
    // A user whose name has capitals: "Ada-…" and "ada-…" are two users, and every tool looks for
    // Ada's cart under "Ada-…", the name exactly as the shop gave it.
    const named = `Ada-${randomUUID().slice(0, 8)}`;
    const line: CartLine = { productId: 3, qty: 2 };
    await add('app-2', named, line);
    const kept = await store.get(named);
    if (!isDeepStrictEqual(kept, [line])) {
      const expected = `the store to hold ${named}'s cart, ${JSON.stringify([line])}, under the key ${JSON.stringify(named)}, the user's name exactly as given, once app-2 answered the add`;
      const folded = keyLike(named);
      if (folded !== undefined) {
        throw new Lesson({
          expected,
          got: `the store holds ${JSON.stringify(kept)} under ${JSON.stringify(named)}, and ${folded.value} under ${JSON.stringify(folded.key)}`,
          why: `the key is the user's name changed (folded to lower case, trimmed, ...), not the name itself. User names are case-sensitive: "${named}" and "${folded.key}" are two users, whose carts this key merges; and every other server and tool (the shop's other versions, an admin tool, this check) looks for the cart under the user's exact name, and finds none. The key must be the user's name as it is given: store.get(user), store.update(user, change)`,
          where: pointer(file, fn),
        });
      }
      keptUnderTheirName(named, expected, [line]);
      throw new Lesson({
        expected,
        got: `the store holds ${JSON.stringify(kept)} under ${JSON.stringify(named)}`,
        why: "the cart must be in the store under the user's exact name, capitals and all: store.get(user), store.update(user, change), with user as it is given",
        where: pointer(file, fn),
      });
    }
  });

  it('every read comes from the store: [] for a user with no cart, and a cart changed in the store shows on every server at once', async () => {
    const user = newUser();
    for (const name of NAMES) {
      await expectCart(
        name,
        user,
        [],
        'list answers [] for a user with no cart: store.get gives undefined then (use ?? [])',
      );
    }
    await add('app-3', user, { productId: 1, qty: 1 });
    keptUnderTheirName(user, `the store to hold ${user}'s cart under the key "${user}"`, [
      { productId: 1, qty: 1 },
    ]);
    for (const name of NAMES) await call(name, 'GET', `/cart/${user}`); // any copy is made now
    const changed: CartLine[] = [{ productId: 5, qty: 4 }];
    await store.set(user, changed); // another writer: a server of another version, an admin tool
    for (const name of NAMES) await expectCart(name, user, changed, A_COPY);
    // app-3 took the first add: its next add must start from the store's cart, not from its own.
    const more: CartLine = { productId: 2, qty: 1 };
    await expectAdd('app-3', user, more, [...changed, more], A_COPY);
    await store.delete(user); // the cart is gone from the store: checked out, or an admin's clean-up
    for (const name of NAMES) {
      await expectCart(
        name,
        user,
        [],
        `the cart was deleted from the store; ${A_COPY.replace(/^this/, 'yet this')}`,
      );
    }
    const fresh: CartLine = { productId: 3, qty: 1 };
    await expectAdd(
      'app-3',
      user,
      fresh,
      [fresh],
      `the cart was deleted from the store, so this add starts a new cart; ${A_COPY.replace(/^this/, 'yet this')}`,
    );
    // The store fails every read of one request (x-statelab-reads-down, for this request only), as
    // a store across a network sometimes does: list cannot know the cart, so it must fail (500),
    // at once or after a few retries; not answer [] (no cart), nor a cart it did not read.
    const unread = await call('app-1', 'GET', `/cart/${user}`, undefined, {
      'x-statelab-reads-down': '1',
    });
    if (unread.status < 500) {
      const items = (unread.body as { items?: unknown } | undefined)?.items;
      const said = `${unread.status} ${JSON.stringify(unread.body)}`;
      throw new Lesson({
        expected: `GET /cart/${user} on app-1, whose reads from the store failed, every one, to answer 500 (the error let through, at once or after a few retries): the store holds ${JSON.stringify([fresh])}, and app-1 could not read it`,
        got: `it answered ${said}`,
        why: isDeepStrictEqual(items, [])
          ? "the store's read failed (here the check made every read of this request fail, as a store across a network sometimes does), and list answered [] as if the user had no cart: the user sees an empty cart, though theirs is in the store, and leaves or fills it again. A cart that could not be read is not an empty one: [] is the answer only when store.get gives undefined. Let the error go up (the shop answers 500, and the user can try again); a retry or two first is fine, but one that still fails must end in the error, never in a cart you did not read"
          : `the store's read failed (here the check made every read of this request fail, as a store across a network sometimes does), and list answered a cart anyway, one it did not read: a copy kept from before, which another server may have changed since. Let the error go up (the shop answers 500, and the user can try again); a retry or two first is fine, but one that still fails must end in the error, never in a cart you did not read`,
        where: pointer(file, fn),
      });
    }
  });

  it('a cart filled on app-1 is visible on app-2 and app-3', async () => {
    const user = newUser();
    await add('app-1', user, { productId: 2, qty: 1 });
    await expectCart('app-2', user, [{ productId: 2, qty: 1 }], NOT_SHARED);
    await expectCart('app-3', user, [{ productId: 2, qty: 1 }], NOT_SHARED);
  });

  it('adds on three servers make one cart, and every server reads the latest', async () => {
    const user = newUser();
    const lines: CartLine[] = [
      { productId: 1, qty: 1 },
      { productId: 3, qty: 2 },
      { productId: 5, qty: 1 },
      { productId: 2, qty: 2 },
    ];
    await add('app-1', user, lines[0]);
    await expectCart('app-1', user, lines.slice(0, 1), NOT_SHARED);
    await add('app-2', user, lines[1]);
    await add('app-3', user, lines[2]);
    await add('app-1', user, lines[3]); // back on the first server, after the others added
    for (const name of NAMES) await expectCart(name, user, lines, MISSING_OTHERS);
  });

  it('two tabs adding to one cart at once, on two servers, lose no line the shop answered', async () => {
    // Each store call of these adds is answered a round trip late (x-statelab-slow-reads, see the
    // .server.ts), so two adds sent together both read before either writes: an add made of two
    // steps (a get and then a set) loses a line; one atomic store.update never does.
    // Round 1: a new cart; round 2: a cart that already holds a line; round 3: the same, but the
    // tab on app-1 is slow and the one on app-2, fast, adds while app-1 waits for the store;
    // round 4: both tabs add the very same line (a double click): the cart holds it twice.
    for (let round = 1; round <= 4; round += 1) {
      const user = newUser();
      const first: CartLine[] = round === 1 ? [] : [{ productId: 9, qty: round }];
      for (const line of first) await add('app-3', user, line);
      const tabs: [Name, CartLine][] = [
        ['app-1', { productId: 1, qty: round }],
        ['app-2', { productId: round === 4 ? 1 : 2, qty: round }],
      ];
      const slow = { 'x-statelab-slow-reads': '1' };
      await Promise.all(
        tabs.map(async ([name, line], n) => {
          if (round === 3 && n === 1) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            return add(name, user, line);
          }
          return add(name, user, line, slow);
        }),
      );
      const all = [...first, ...tabs.map(([, line]) => line)];
      const stored = (await store.get(user)) ?? [];
      const left = [...stored];
      const take = (line: CartLine) => {
        const at = left.findIndex((kept) => isDeepStrictEqual(kept, line));
        return at >= 0 && left.splice(at, 1).length === 1;
      };
      const keptFirst = first.every(take);
      const lost = tabs.filter(([, line]) => !take(line));
      if (lost.length > 0 || !keptFirst || stored.length !== all.length) {
        keptUnderTheirName(user, `the store to hold ${user}'s cart under the key "${user}"`, all);
        throw new Lesson({
          expected: `after two adds sent at once, ${JSON.stringify(tabs[0][1])} on app-1 and ${JSON.stringify(tabs[1][1])} on app-2 (a user with two tabs)${first.length > 0 ? `, to a cart holding ${JSON.stringify(first)}` : ''}, the store to hold ${JSON.stringify(all)} in some order`,
          got: `both servers answered 200, and the store holds ${JSON.stringify(stored)}${lost.length > 0 ? `: the ${lost.length > 1 ? 'lines' : 'line'} added on ${lost.map(([name]) => name).join(' and ')} ${lost.length > 1 ? 'are' : 'is'} gone` : ''}`,
          why:
            stored.length === 0
              ? 'neither add reached the store: the carts were kept somewhere else (in memory, or in a file on one server). Write every cart in `store`, in one atomic step: return store.update(user, (items) => [...(items ?? []), line])'
              : "each add read the cart, then wrote back what it had read plus its own line, in two steps. Both read the cart before either wrote, so the second write erased the first one's line: an add the shop had already confirmed is lost (the lost update of chapter 4). Make the read, the change and the write one step the store runs alone: return store.update(user, (items) => [...(items ?? []), line])",
          where: pointer(file, fn),
        });
      }
    }
    // Round 5: one tab reads the cart on app-1 while the other adds on app-2. The check holds
    // app-1's store read (x-statelab-hold, see the .server.ts) until the add on app-2 is done:
    // a read that then writes the cart back (a fresh expiry, a tidy-up) erases the line. Round 6:
    // the same for a user with no cart yet, whose first visit a read may "create" ([]) too late.
    for (const before of [[{ productId: 9, qty: 5 }], []] as CartLine[][]) {
      const user = newUser();
      const line: CartLine = { productId: 3, qty: 5 };
      for (const earlier of before) await add('app-3', user, earlier);
      const token = randomUUID();
      const reading = call('app-1', 'GET', `/cart/${user}`, undefined, {
        'x-statelab-hold': token,
      });
      reading.catch(() => undefined); // its failure is told below, once app-1 is released
      const held = await call('app-1', 'GET', `/statelab/held/${token}`);
      // A list that waits for the add (a lock) cannot let it finish first: then not past a few
      // seconds (long enough for the add on a busy machine, where a shorter wait let it land
      // after the read was released, and a read that writes back got away with it).
      const adding = add('app-2', user, line);
      adding.catch(() => undefined); // the same
      if ((held.body as { held?: boolean }).held) {
        await Promise.race([adding, new Promise((resolve) => setTimeout(resolve, 4000))]).catch(
          () => undefined,
        );
      }
      await call('app-1', 'POST', `/statelab/release/${token}`);
      const [read] = await Promise.all([reading, adding]);
      if (read.status !== 200) throw unexpected(read, `200 from app-1 for the read`, file, fn);
      const stored = (await store.get(user)) ?? [];
      const all = [...before, line];
      if (!sameLines(stored, all)) {
        keptUnderTheirName(user, `the store to hold ${user}'s cart under the key "${user}"`, all);
        throw new Lesson({
          expected: `after GET /cart/${user} on app-1 (a tab showing ${before.length > 0 ? `the cart ${JSON.stringify(before)}` : 'an empty cart: the user has none yet'}) and, while app-1 read the store, an add of ${JSON.stringify(line)} on app-2 (the other tab), the store to hold ${JSON.stringify(all)} in some order`,
          got: `both servers answered 200, and the store holds ${JSON.stringify(stored)}${sameLines(stored, before) ? ': the line added on app-2 is gone' : ''}`,
          why: `list wrote the cart back after it read it (${before.length > 0 ? 'to renew its expiry, to tidy it, ...' : 'an empty cart for a first visit, an expiry renewed, ...'}): it wrote the cart it had read, without the line app-2 added in between, and that line, which the shop had confirmed, is gone. A read must not write the cart (a user with no cart has [] without one being stored); if it must (an expiry renewed on every visit), in one step the store runs alone: store.update(user, (items) => items ?? [], ttlMs), for a cart that exists`,
          where: pointer(file, fn),
        });
      }
    }
  });

  it('a cart survives a crash of the server that took it', async () => {
    const user = newUser();
    const lines: CartLine[] = [
      { productId: 4, qty: 1 },
      { productId: 1, qty: 3 },
    ];
    for (const line of lines) await add('app-1', user, line);
    await crashAndRestart(['app-1']);
    await expectCart('app-1', user, lines, NOT_DURABLE);
  });

  it('a crash in the middle of an add leaves the cart open: the next add, on another server, goes through', async () => {
    // app-1 takes an add and is killed (SIGKILL) at the write that would put the line in the cart,
    // before it starts (x-statelab-hold-write, see the .server.ts): whatever the add did first (a
    // lock taken) it never undoes. The user, told nothing, adds again on app-2, and again if that
    // fails, until a try that began CRASH_FREED_MS after the crash has ended: a lock that expires
    // by then lets one through, however busy the machine; one that never expires lets none.
    const user = newUser();
    const first: CartLine = { productId: 4, qty: 1 };
    const crashed: CartLine = { productId: 7, qty: 1 };
    const next: CartLine = { productId: 8, qty: 2 };
    await add('app-3', user, first);
    const token = randomUUID();
    const crashing = call('app-1', 'POST', `/cart/${user}`, crashed, {
      'x-statelab-hold-write': token,
    });
    crashing.catch(() => undefined); // the crash ends it: no answer is the point
    const held = await call('app-1', 'GET', `/statelab/held/${token}`);
    // The add is stopped at its write (a lock it took is taken by now): the crash, for the user.
    const crashedAt = Date.now();
    if (!(held.body as { held?: boolean }).held) {
      const answered = await crashing.catch(() => undefined);
      keptUnderTheirName(user, `the store to hold ${user}'s cart under the key "${user}"`, [
        first,
        crashed,
      ]);
      throw new Lesson({
        expected: `POST /cart/${user} on app-1 (an add of ${JSON.stringify(crashed)} to the cart ${JSON.stringify([first])}) to write the cart with the line in it to the store, under the key "${user}", before it answers`,
        got: `it made no such write${answered ? `, and answered ${answered.status} ${JSON.stringify(answered.body)}` : ''}`,
        why: "an add writes the whole cart, with its line, to the store under the user's name (store.update(user, change), or store.set(user, cart)) from the request that adds, before it answers",
        where: pointer(file, fn, answered?.logged),
      });
    }
    await crashAndRestart(['app-1']);
    const tries: string[] = [];
    let logged = '';
    let through: Answer | undefined;
    for (;;) {
      const began = Date.now();
      try {
        const answer = await call('app-2', 'POST', `/cart/${user}`, next);
        if (answer.status === 200) {
          through = answer;
          break;
        }
        tries.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        logged = answer.logged || logged;
      } catch (error) {
        // Only no answer is a failed try; any other verdict on the answer (a change with a side
        // effect) is the lesson.
        if (!(error instanceof Lesson) || !/^expected: an answer to /.test(error.message)) {
          throw error;
        }
        tries.push(/^got:\s+(.*)$/m.exec(error.message)?.[1] ?? 'no answer');
        const app2 = servers.get('app-2')!;
        if (app2.stuck || app2.exit()) await start('app-2'); // stopped, or ended: a fresh one
      }
      if (began - crashedAt > CRASH_FREED_MS) break;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the user waits, and tries again
    }
    if (!through) {
      const seconds = Math.round((Date.now() - crashedAt) / 1000);
      const left = otherKeysOf(user);
      const threw = logged ? `\n${indent(readerFrames(logged, file))}` : '';
      throw new Lesson({
        expected: `an add to ${user}'s cart on app-2 to go through once app-1 had crashed in the middle of an add to that cart (and was restarted): the user tries again, and again, for ${CRASH_FREED_MS / 1000} s`,
        got: `${tries.length} tries over ${seconds} s, and none went through: ${[...new Set(tries)].join('; ')}${left.length > 0 ? `. Besides the cart, the store holds ${left.join(', ')}` : ''}${threw}`,
        why: `app-1 died holding something that keeps the cart closed to every other add: a lock, taken for the add, that it would have deleted after the write. A crashed server deletes nothing, so the lock stays for as long as it lasts (for ever, with no expiry), and the user's cart takes no add, on any server, until then. Give the lock an expiry a little longer than an add takes (store.setIfAbsent(lock, value, ttlMs), a few seconds: here it must be gone within ${CRASH_FREED_MS / 1000} s), so a crash frees it; or take no lock: store.update reads, changes and writes the cart in one step, and holds nothing when a server dies`,
        where: pointer(file, fn, logged),
      });
    }
    // The crashed add was never answered: its line may be in the cart or not. The others must be.
    const stored = await store.get(user);
    const carts = [
      [first, next],
      [first, crashed, next],
    ];
    if (!carts.some((cart) => isDeepStrictEqual(stored, cart))) {
      const answered = (through.body as { items?: unknown }).items;
      keptUnderTheirName(
        user,
        `the store to hold ${user}'s cart under the key "${user}"`,
        carts.find((cart) => isDeepStrictEqual(answered, cart)) ?? carts[0],
      );
      throw new Lesson({
        expected: `the store to hold ${JSON.stringify([first, next])} (the first add, and the one app-2 answered after app-1's crash; the add app-1 never answered may be in it too, between them)`,
        got: `app-2 answered ${JSON.stringify(answered)}; the store holds ${JSON.stringify(stored)}`,
        why: 'an add the shop answered is missing, or a line is in the cart twice: after a crash, the next add must start from the cart in the store, and add its line once',
        where: pointer(file, fn),
      });
    }
  });

  it('carts survive a crash of every server at once: the state is in the store', async () => {
    const alice = newUser();
    const bob = newUser();
    await add('app-2', alice, { productId: 3, qty: 1 });
    await add('app-3', bob, { productId: 5, qty: 2 });
    await crashAndRestart(NAMES);
    await expectCart('app-1', alice, [{ productId: 3, qty: 1 }], NOT_DURABLE);
    await expectCart('app-1', bob, [{ productId: 5, qty: 2 }], NOT_DURABLE);
  });
});
