// A user with two tabs: one logs out while a request from the other is between reading the
// session and writing its activity back (the once-a-minute "touch"). The logout must win.
import { describe, expect, it } from 'vitest';
import {
  currentSession,
  SESSION_COOKIE,
  SESSION_TOUCH_INTERVAL_MS,
  startSession,
} from '../core/shop-rules';
import type { Session } from '../core/shop-types';
import { memoryStore, type StateStore } from '../core/store';

describe('logout against a concurrent touch of the same session', () => {
  it('a session that was logged out does not come back when the other tab touches it', async () => {
    let t = 0;
    const now = () => t;
    const store = memoryStore<Session>(now);
    // A shared store is across a network: a get() takes time, and other requests run meanwhile.
    let release = () => {};
    let slow = false;
    const sessions: StateStore<Session> = {
      ...store,
      get: async (key) => {
        const value = await store.get(key);
        if (slow) await new Promise<void>((resolve) => (release = resolve));
        return value;
      },
    };
    await startSession({ cookies: {}, sessions, now }, 'ana-id', 'ana');
    const tab = { cookies: { [SESSION_COOKIE]: 'ana-id' }, sessions, now };

    t = SESSION_TOUCH_INTERVAL_MS + 1; // the next request writes the activity back
    slow = true;
    const otherTab = currentSession(tab); // has read the session, not yet written it back
    await new Promise((resolve) => setTimeout(resolve, 0));
    await sessions.delete('ana-id'); // this tab logs out (what account.ts's logout does)
    release();
    await otherTab;
    slow = false;

    expect(await currentSession(tab), 'the logged-out session answers again').toBeUndefined();
  });
});
