import { describe, expect, it } from 'vitest';
import {
  cartLineIn,
  currentSession,
  MAX_QTY,
  SESSION_ABSOLUTE_TIMEOUT_MS,
  SESSION_COOKIE,
  SESSION_IDLE_TIMEOUT_MS,
  SESSION_TOUCH_INTERVAL_MS,
  startSession,
  userToLogIn,
  type SessionRequest,
} from './shop-rules';
import type { Session } from './shop-types';
import { memoryStore, type StateStore } from './store';

const MINUTE = 60 * 1000;

/** A store that ignores TTLs, so only the session rules can end a session. */
function storeWithoutExpiry(): StateStore<Session> {
  const store = memoryStore<Session>();
  return {
    ...store,
    set: (key, value) => store.set(key, value),
    setIfPresent: (key, value) => store.setIfPresent(key, value),
  };
}

/** A store on the test's clock that calls `onSet` with each write's TTL (set or setIfPresent). */
const watchedStore =
  (onSet: (ttlMs: number | undefined) => void = () => {}) =>
  (now: () => number): StateStore<Session> => {
    const store = memoryStore<Session>(now);
    return {
      ...store,
      set: (key, value, ttlMs) => (onSet(ttlMs), store.set(key, value, ttlMs)),
      setIfPresent: (key, value, ttlMs) => (onSet(ttlMs), store.setIfPresent(key, value, ttlMs)),
    };
  };

/**
 * ana logged in at t = 0 on a clock the test moves; `at(t)` asks for her session at time t.
 * The store gets the same clock, so its own TTLs expire as they would.
 */
async function anaLoggedIn(makeStore: (now: () => number) => StateStore<Session> = watchedStore()) {
  let t = 0;
  const now = () => t;
  const sessions = makeStore(now);
  const request: SessionRequest = { cookies: {}, sessions, now };
  await startSession(request, 'ana-id', 'ana');
  const withCookie = { ...request, cookies: { [SESSION_COOKIE]: 'ana-id' } };
  return {
    sessions,
    at: async (time: number) => {
      t = time;
      return currentSession(withCookie);
    },
  };
}

describe('session timeouts (OWASP Session Management Cheat Sheet: idle and absolute)', () => {
  it('keeps a session that is used, well past 30 minutes after the login', async () => {
    const ana = await anaLoggedIn();
    for (let t = 0; t <= 2 * 60 * MINUTE; t += 10 * MINUTE) {
      expect(await ana.at(t), `at ${t / MINUTE} minutes`).toEqual(
        expect.objectContaining({ user: 'ana', createdAt: 0 }),
      );
    }
  });

  it('refuses a session idle for the idle timeout, even in a store that never expires', async () => {
    const ana = await anaLoggedIn(storeWithoutExpiry);
    expect(await ana.at(20 * MINUTE)).toBeDefined();
    expect(
      await ana.at(20 * MINUTE + SESSION_IDLE_TIMEOUT_MS - SESSION_TOUCH_INTERVAL_MS),
    ).toBeDefined();
    const later = 20 * MINUTE + 2 * SESSION_IDLE_TIMEOUT_MS;
    expect(await ana.at(later)).toBeUndefined();
    expect(
      await ana.sessions.get('ana-id'),
      'deleted on the server, not only refused',
    ).toBeUndefined();
  });

  it('refuses a session used continuously once the absolute timeout has passed', async () => {
    const ana = await anaLoggedIn(storeWithoutExpiry);
    let t = 0;
    for (; t < SESSION_ABSOLUTE_TIMEOUT_MS; t += 5 * MINUTE) expect(await ana.at(t)).toBeDefined();
    expect(await ana.at(SESSION_ABSOLUTE_TIMEOUT_MS)).toBeUndefined();
    expect(await ana.at(SESSION_ABSOLUTE_TIMEOUT_MS + 5 * MINUTE)).toBeUndefined();
  });

  it('ends the session in the store too, at whichever timeout comes first', async () => {
    const ttls: number[] = [];
    const ana = await anaLoggedIn(watchedStore((ttl) => ttls.push(ttl ?? Infinity)));
    for (let t = 0; t <= SESSION_ABSOLUTE_TIMEOUT_MS - 10 * MINUTE; t += 10 * MINUTE) {
      expect(await ana.at(t)).toBeDefined();
    }
    expect(ttls[0]).toBe(SESSION_IDLE_TIMEOUT_MS); // the login's
    expect(Math.max(...ttls)).toBe(SESSION_IDLE_TIMEOUT_MS);
    expect(ttls.at(-1)).toBe(10 * MINUTE); // the absolute timeout comes first now
  });

  it('records activity at most once per touch interval, not on every request', async () => {
    let writes = 0;
    const ana = await anaLoggedIn(watchedStore(() => (writes += 1)));
    for (let t = 0; t < SESSION_TOUCH_INTERVAL_MS; t += 1000) await ana.at(t);
    expect(writes).toBe(1); // the login's
    await ana.at(SESSION_TOUCH_INTERVAL_MS);
    expect(writes).toBe(2);
  });
});

describe('sessions', () => {
  it('deletes the session the browser came with at login (a new ID every time)', async () => {
    const sessions = memoryStore<Session>();
    await sessions.set('planted', { user: 'ana', createdAt: 0, lastSeenAt: 0 });
    await startSession({ cookies: { [SESSION_COOKIE]: 'planted' }, sessions }, 'fresh', 'ana');
    expect(await sessions.get('planted')).toBeUndefined();
    expect(await sessions.get('fresh')).toMatchObject({ user: 'ana' });
  });

  it('finds no session without the cookie, or with one this store does not hold', async () => {
    const sessions = memoryStore<Session>();
    await sessions.set('known', { user: 'ana', createdAt: 0, lastSeenAt: 0 });
    expect(await currentSession({ cookies: {}, sessions })).toBeUndefined();
    expect(
      await currentSession({ cookies: { [SESSION_COOKIE]: 'unknown' }, sessions }),
    ).toBeUndefined();
  });
});

describe('what a request must send', () => {
  it('logs in a name of letters, digits, - and _ that starts with a letter or digit', () => {
    expect(userToLogIn({ user: 'ana_2-b' })).toBe('ana_2-b');
    for (const body of [{ user: '' }, { user: '-ana' }, { user: 'a b' }, { user: 7 }, {}, null]) {
      expect(userToLogIn(body), JSON.stringify(body)).toBeUndefined();
    }
    expect(userToLogIn({ user: 'a'.repeat(32) })).toBeDefined();
    expect(userToLogIn({ user: 'a'.repeat(33) })).toBeUndefined();
  });

  it('takes a cart line as a whole product id and a whole quantity from 1 (default 1)', () => {
    expect(cartLineIn({ productId: 2 })).toEqual({ productId: 2, qty: 1 });
    expect(cartLineIn({ productId: 2, qty: 3 })).toEqual({ productId: 2, qty: 3 });
    const bad = [{ productId: '2' }, { productId: 2, qty: 0 }, { productId: 1.5 }, {}, null, 'x'];
    for (const body of bad) expect(cartLineIn(body), JSON.stringify(body)).toBeUndefined();
  });

  it('takes no number JavaScript cannot count exactly, and no quantity over MAX_QTY', () => {
    expect(cartLineIn({ productId: 2, qty: MAX_QTY })).toEqual({ productId: 2, qty: MAX_QTY });
    const bad: unknown[] = [
      { productId: 2, qty: 1e308 }, // an integer to Number.isInteger; its total is Infinity
      { productId: 2, qty: 2 ** 53 + 1 }, // arrives as 2^53: already not the number sent
      { productId: 2, qty: MAX_QTY + 1 },
      { productId: 2, qty: -0 },
      { productId: 2, qty: 1.5 },
      { productId: 2, qty: '2' },
      { productId: 2, qty: [2] },
      { productId: 2, qty: null },
      { productId: 2, qty: true },
      { productId: 1e308 },
      { productId: 2 ** 53 },
      { productId: -1 },
      { productId: 0 },
      { productId: [2] },
      [{ productId: 2 }],
    ];
    for (const body of bad) expect(cartLineIn(body), String(JSON.stringify(body))).toBeUndefined();
  });
});
