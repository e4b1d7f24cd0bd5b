// A StateStore in Redis (ioredis): the state lives in the Redis server's memory, outside every
// shop process, so any server can read what another wrote, and a shop crash loses none of it.
// Values are JSON strings under `prefix + key`; a TTL becomes Redis's own expiry (SET ... PX), and
// setIfAbsent and setIfPresent are Redis's own atomic SET ... NX and SET ... XX.
import Redis from 'ioredis';
import type { StateStore } from '../core/store';

/**
 * Fails fast: a command waits for at most one reconnection attempt (connect timeout 1 s) and
 * at most 2 s for an answer, then rejects with "Redis at <url> is unreachable". In the
 * background the client keeps reconnecting, so the store works again once Redis is back.
 */
export function redisStore<T>(
  url: string,
  prefix = 'statelab:',
): StateStore<T> & { close(): Promise<void>; readonly roundTrips: number } {
  const client = new Redis(url, {
    connectTimeout: 1000,
    commandTimeout: 2000,
    maxRetriesPerRequest: 0, // queued commands fail on the first failed (re)connection
    retryStrategy: (attempt) => Math.min(attempt * 50, 500), // keep trying, ≤ 2 per second
  });
  let lastError = '';
  client.on('error', (error: Error) => void (lastError = error.message)); // reported per command

  // Every command, or batch sent together (MULTI ... EXEC), goes through call(): one round trip.
  let roundTrips = 0;
  const call = async <R>(command: () => Promise<R>): Promise<R> => {
    roundTrips += 1;
    try {
      return await command();
    } catch (error) {
      const why = lastError || (error as Error).message;
      throw new Error(`Redis at ${url} is unreachable or failed: ${why}`, { cause: error });
    }
  };

  // WATCH belongs to a connection: one update at a time on this client, so two of ours cannot
  // mix their WATCH ... EXEC. Another client's (or process's) write to the key between our WATCH
  // and EXEC makes EXEC fail, and we read and change again: optimistic, like a compare-and-set.
  let updates: Promise<unknown> = Promise.resolve();
  const readChangeWrite = async (
    key: string,
    change: (current: T | undefined) => T,
    ttlMs: number,
  ) => {
    for (let attempt = 1; ; attempt++) {
      await call(() => client.watch(prefix + key));
      const json = await call(() => client.get(prefix + key));
      const next = change(json === null ? undefined : (JSON.parse(json) as T));
      const write = client.multi();
      if (ttlMs === Infinity) write.set(prefix + key, JSON.stringify(next));
      else write.set(prefix + key, JSON.stringify(next), 'PX', Math.max(1, Math.ceil(ttlMs)));
      const done = await call(() => write.exec());
      if (done !== null) return next; // null: the key changed since WATCH; nothing was written
      if (attempt === 100)
        throw new Error(`Redis at ${url}: ${key} kept changing under 100 updates in a row`);
    }
  };

  return {
    kind: 'redis',
    /** How many round trips to Redis this store has made (chapter 7 counts them per request). */
    get roundTrips() {
      return roundTrips;
    },
    update(key, change, ttlMs = Infinity) {
      const mine = updates.then(() => readChangeWrite(key, change, ttlMs));
      updates = mine.catch(() => undefined);
      return mine;
    },
    async get(key) {
      const json = await call(() => client.get(prefix + key));
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    async set(key, value, ttlMs = Infinity) {
      const json = JSON.stringify(value);
      if (ttlMs <= 0)
        await call(() => client.del(prefix + key)); // already expired
      else if (ttlMs === Infinity) await call(() => client.set(prefix + key, json));
      else await call(() => client.set(prefix + key, json, 'PX', Math.ceil(ttlMs)));
    },
    // SET ... NX is one command, so Redis runs it whole: no other client's command can land
    // between its "is the key free?" and its write. It answers OK, or null when the key is taken.
    async setIfAbsent(key, value, ttlMs = Infinity) {
      const json = JSON.stringify(value);
      if (ttlMs <= 0) return (await call(() => client.exists(prefix + key))) === 0; // expires at once
      const answer =
        ttlMs === Infinity
          ? await call(() => client.set(prefix + key, json, 'NX'))
          : await call(() => client.set(prefix + key, json, 'PX', Math.ceil(ttlMs), 'NX'));
      return answer === 'OK';
    },
    // SET ... XX: one command, so a DEL from another client lands wholly before or after it.
    async setIfPresent(key, value, ttlMs = Infinity) {
      const json = JSON.stringify(value);
      if (ttlMs <= 0) return (await call(() => client.del(prefix + key))) === 1; // expires at once
      const answer =
        ttlMs === Infinity
          ? await call(() => client.set(prefix + key, json, 'XX'))
          : await call(() => client.set(prefix + key, json, 'PX', Math.ceil(ttlMs), 'XX'));
      return answer === 'OK';
    },
    async delete(key) {
      await call(() => client.del(prefix + key));
    },
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
