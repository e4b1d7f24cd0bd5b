import { describe, expect, it } from 'vitest';
import {
  cartLineIn,
  currentSession,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  startSession,
  userToLogIn,
} from './shop-rules';
import type { Session } from './shop-types';
import { memoryStore } from './store';

describe('sessions', () => {
  it('keeps a login’s session for 30 minutes, then forgets it', async () => {
    let now = 1_000;
    const sessions = memoryStore<Session>(() => now);
    await startSession({ cookies: {}, sessions }, 'new-id', 'ana', now);
    const req = { cookies: { [SESSION_COOKIE]: 'new-id' }, sessions };
    expect(await currentSession(req)).toEqual({ user: 'ana', createdAt: 1_000 });
    now += SESSION_TTL_SECONDS * 1000 - 1;
    expect(await currentSession(req)).toBeDefined();
    now += 1;
    expect(await currentSession(req)).toBeUndefined();
  });

  it('deletes the session the browser came with at login (a new ID every time)', async () => {
    const sessions = memoryStore<Session>();
    await sessions.set('planted', { user: 'ana', createdAt: 0 });
    await startSession({ cookies: { [SESSION_COOKIE]: 'planted' }, sessions }, 'fresh', 'ana');
    expect(await sessions.get('planted')).toBeUndefined();
    expect(await sessions.get('fresh')).toMatchObject({ user: 'ana' });
  });

  it('finds no session without the cookie, or with one this store does not hold', async () => {
    const sessions = memoryStore<Session>();
    await sessions.set('known', { user: 'ana', createdAt: 0 });
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
});
