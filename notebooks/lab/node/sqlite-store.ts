// A StateStore in a SQLite database file (better-sqlite3): the state lives on disk, in one table,
// outside the shop's memory. Several processes may open the same file: WAL lets readers work
// while one writer writes, and a second writer waits for the first, without blocking its server.
import { closedError, openSqlite } from './sqlite-open';
import type { StateStore } from '../core/store';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How long one operation keeps trying while another connection holds the write lock. */
export const MAX_LOCK_WAIT_MS = 5_000;

export function sqliteStore<T>(
  file: string,
  table = 'state',
  now: () => number = Date.now,
): StateStore<T> & { close(): void } {
  if (!TABLE_NAME.test(table)) throw new Error(`not a plain SQL table name: ${table}`);
  const db = openSqlite(file); // better-sqlite3 waits up to 5 s for a lock while it opens
  // Several processes opening one new file at once: SQLite can answer SQLITE_BUSY without waiting
  // (switching to WAL, recovering a WAL). Only while opening: try again, 50 times 20 ms at most.
  for (let attempt = 1; ; attempt += 1) {
    try {
      db.pragma('journal_mode = WAL');
      // expires: ms since the epoch, NULL = never.
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)`,
      );
      db.exec(`CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires)`); // the sweep's
      break;
    } catch (error) {
      const busy = /^SQLITE_BUSY/.test((error as { code?: string }).code ?? '');
      if (!busy || attempt === 50) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  // From now on, a locked file fails at once (SQLITE_BUSY) and whenUnlocked retries after an
  // await. Not SQLite's own busy_timeout: better-sqlite3 is synchronous, so SQLite's wait would
  // be the whole process's, and no other request, not even GET /health, would get an answer.
  db.pragma('busy_timeout = 0');
  const whenUnlocked = async <R>(operation: () => R): Promise<R> => {
    if (!db.open) throw closedError(`the store ${table} (${file})`);
    const started = performance.now(); // the machine's own clock: a test may set Date.now()
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        return operation();
      } catch (error) {
        if (!/^SQLITE_BUSY/.test((error as { code?: string }).code ?? '')) throw error;
        if (performance.now() - started + pause > MAX_LOCK_WAIT_MS) {
          throw new Error(`${file} stayed locked by another writer for ${MAX_LOCK_WAIT_MS} ms`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, pause)); // the server answers others
      }
    }
  };
  const select = db.prepare<[string], { value: string; expires: number | null }>(
    `SELECT value, expires FROM ${table} WHERE key = ?`,
  );
  const upsert = db.prepare<[string, string, number | null]>(
    `INSERT INTO ${table} (key, value, expires) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
  );
  // One statement, so atomic across every process that opens the file: it inserts the key, or
  // replaces a value that has expired, or changes nothing (then `changes` is 0: someone has it).
  const insertIfAbsent = db.prepare<[string, string, number | null, number]>(
    `INSERT INTO ${table} (key, value, expires) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires
       WHERE ${table}.expires IS NOT NULL AND ${table}.expires <= ?`,
  );
  // One statement: it replaces a value that is there and has not expired, or changes nothing.
  const updateIfPresent = db.prepare<[string, number | null, string, number]>(
    `UPDATE ${table} SET value = ?, expires = ? WHERE key = ? AND (expires IS NULL OR expires > ?)`,
  );
  const remove = db.prepare<[string]>(`DELETE FROM ${table} WHERE key = ?`);
  // A read deletes an expired row, but a session whose client never comes back is never read
  // again: without a sweep, the file would keep every login ever made. So each write also
  // deletes up to two expired rows, more than it adds: expired rows cannot pile up.
  const expiredRows = db.prepare<[number]>(
    `DELETE FROM ${table} WHERE key IN (SELECT key FROM ${table} WHERE expires <= ? LIMIT 2)`,
  );
  const sweep = () => {
    try {
      expiredRows.run(now());
    } catch {
      // Another process took the write lock since our write: it sweeps, or our next write does.
      // Never a retry of the write from here: it has happened, and a setIfAbsent run twice
      // would report that it lost.
    }
  };
  const thenSweep = <R>(result: R): R => (sweep(), result);
  // BEGIN IMMEDIATE takes the write lock before the read: a writer in another process waits
  // (whenUnlocked) until this read-change-write has committed, so it reads the new value.
  const readChangeWrite = db.transaction(
    (key: string, change: (current: T | undefined) => T, ttlMs: number) => {
      const row = select.get(key);
      const t = now();
      const current =
        row && (row.expires === null || row.expires > t) ? (JSON.parse(row.value) as T) : undefined;
      const next = change(current);
      upsert.run(key, JSON.stringify(next), ttlMs === Infinity ? null : t + ttlMs);
      return next;
    },
  );
  // Only the row just read as expired: a concurrent writer's fresh value must survive.
  const removeExpired = db.prepare<[string, number]>(
    `DELETE FROM ${table} WHERE key = ? AND expires <= ?`,
  );

  return {
    kind: 'sqlite',
    get: (key) =>
      whenUnlocked(() => {
        const row = select.get(key);
        if (!row) return undefined;
        const t = now();
        if (row.expires !== null && row.expires <= t) {
          removeExpired.run(key, t);
          return undefined;
        }
        return JSON.parse(row.value) as T;
      }),
    set: (key, value, ttlMs = Infinity) =>
      whenUnlocked(() => {
        upsert.run(key, JSON.stringify(value), ttlMs === Infinity ? null : now() + ttlMs);
      }).then(thenSweep),
    setIfAbsent: (key, value, ttlMs = Infinity) =>
      whenUnlocked(() => {
        const t = now();
        const expires = ttlMs === Infinity ? null : t + ttlMs;
        return insertIfAbsent.run(key, JSON.stringify(value), expires, t).changes === 1;
      }).then(thenSweep),
    // A retry runs the whole transaction again, `change` included: the interface allows that.
    update: (key, change, ttlMs = Infinity) =>
      whenUnlocked(() => readChangeWrite.immediate(key, change, ttlMs)).then(thenSweep),
    setIfPresent: (key, value, ttlMs = Infinity) =>
      whenUnlocked(() => {
        const t = now();
        const expires = ttlMs === Infinity ? null : t + ttlMs;
        return updateIfPresent.run(JSON.stringify(value), expires, key, t).changes === 1;
      }).then(thenSweep),
    delete: (key) =>
      whenUnlocked(() => {
        remove.run(key);
      }),
    close() {
      db.close();
    },
  };
}
