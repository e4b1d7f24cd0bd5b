// A StateStore in a SQLite database file (better-sqlite3): the state lives on disk, in one table,
// outside the shop's memory. Several processes may open the same file: WAL lets readers work
// while one writer writes, and a busy timeout makes a second writer wait instead of failing.
import Database from 'better-sqlite3';
import type { StateStore } from './store';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function sqliteStore<T>(
  file: string,
  table = 'state',
  now: () => number = Date.now,
): StateStore<T> & { close(): void } {
  if (!TABLE_NAME.test(table)) throw new Error(`not a plain SQL table name: ${table}`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // expires: ms since the epoch, NULL = never.
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)`,
  );
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
  // BEGIN IMMEDIATE takes the write lock before the read: a writer in another process waits
  // (busy_timeout) until this read-change-write has committed, so it reads the new value.
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
    async get(key) {
      const row = select.get(key);
      if (!row) return undefined;
      const t = now();
      if (row.expires !== null && row.expires <= t) {
        removeExpired.run(key, t);
        return undefined;
      }
      return JSON.parse(row.value) as T;
    },
    async set(key, value, ttlMs = Infinity) {
      upsert.run(key, JSON.stringify(value), ttlMs === Infinity ? null : now() + ttlMs);
    },
    async setIfAbsent(key, value, ttlMs = Infinity) {
      const t = now();
      const expires = ttlMs === Infinity ? null : t + ttlMs;
      return insertIfAbsent.run(key, JSON.stringify(value), expires, t).changes === 1;
    },
    async update(key, change, ttlMs = Infinity) {
      return readChangeWrite.immediate(key, change, ttlMs);
    },
    async setIfPresent(key, value, ttlMs = Infinity) {
      const t = now();
      const expires = ttlMs === Infinity ? null : t + ttlMs;
      return updateIfPresent.run(JSON.stringify(value), expires, key, t).changes === 1;
    },
    async delete(key) {
      remove.run(key);
    },
    close() {
      db.close();
    },
  };
}
