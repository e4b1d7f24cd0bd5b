import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MAX_LOCK_WAIT_MS, sqliteStore } from './sqlite-store';

describe('sqliteStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statelab-sqlite-'));
  const file = join(dir, 'state.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps values in the file: a store opened later reads them', async () => {
    const first = sqliteStore<{ items: number[] }>(file);
    expect(first.kind).toBe('sqlite');
    await first.set('cart:ana', { items: [1, 2] });
    first.close();
    const second = sqliteStore<{ items: number[] }>(file);
    expect(await second.get('cart:ana')).toEqual({ items: [1, 2] });
    await second.delete('cart:ana');
    expect(await second.get('cart:ana')).toBeUndefined();
    second.close();
  });

  it('forgets a value when its time to live has passed', async () => {
    let now = 1_000;
    const store = sqliteStore<string>(file, 'sessions', () => now);
    await store.set('sid', 'ana', 500);
    now += 499;
    expect(await store.get('sid')).toBe('ana');
    now += 1;
    expect(await store.get('sid')).toBeUndefined();
    store.close();
  });

  it('lets go of expired rows nobody reads again: the file holds 30 minutes of logins, not all', async () => {
    let now = 1_000;
    const store = sqliteStore<string>(file, 'logins', () => now);
    for (let i = 0; i < 500; i++) await store.set(`old${i}`, 'x', 100);
    now += 101; // every one of them has expired, and none is read again
    for (let i = 0; i < 500; i++) await store.setIfAbsent(`new${i}`, 'x', 100);
    store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT COUNT(*) AS n FROM logins').get() as { n: number };
    db.close();
    expect(rows.n).toBe(500);
  });

  it('is shared between processes: another process writes, this one reads', async () => {
    const store = sqliteStore<string>(file, 'shared');
    await store.set('from', 'this process');
    // A second OS process opens the same file while this one holds it open (WAL).
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
         db.pragma('busy_timeout = 5000');
         const row = db.prepare("SELECT value FROM shared WHERE key = 'from'").get();
         db.prepare("INSERT OR REPLACE INTO shared (key, value, expires) VALUES ('reply', ?, NULL)")
           .run(JSON.stringify('child read ' + JSON.parse(row.value)));`,
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(await store.get('reply')).toBe('child read this process');
    store.close();
  });

  it('setIfPresent replaces a live value, never a deleted or expired one', async () => {
    let now = 1_000;
    const store = sqliteStore<string>(file, 'touch', () => now);
    expect(await store.setIfPresent('k', 'ghost')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'first', 500);
    expect(await store.setIfPresent('k', 'second', 500)).toBe(true);
    expect(await store.get('k')).toBe('second');
    await store.delete('k');
    expect(await store.setIfPresent('k', 'third')).toBe(false);
    await store.set('k', 'fourth', 500);
    now += 500;
    expect(await store.setIfPresent('k', 'fifth')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
    store.close();
  });

  it('setIfAbsent sets a key that holds nothing or an expired value, never a live one', async () => {
    let now = 1_000;
    const store = sqliteStore<string>(file, 'claims', () => now);
    expect(await store.setIfAbsent('k', 'first', 500)).toBe(true);
    expect(await store.setIfAbsent('k', 'second', 500)).toBe(false);
    expect(await store.get('k')).toBe('first');
    now += 500;
    expect(await store.setIfAbsent('k', 'third')).toBe(true);
    expect(await store.setIfAbsent('k', 'fourth')).toBe(false);
    expect(await store.get('k')).toBe('third');
    store.close();
  });

  it('setIfAbsent has one winner per key when several processes race for the same keys', async () => {
    // Four OS processes open the file and, from the same instant, claim the same 50 keys in the
    // same order: with a get-then-set, two processes could both see a key free and both "win".
    const startAt = Date.now() + 1_500;
    const racer = (name: string) =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(__dirname, 'sqlite-store.race.ts'), file, name, String(startAt)],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk));
        child.once('exit', (code) =>
          code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}`)),
        );
      });
    const won = await Promise.all(['a', 'b', 'c', 'd'].map(racer));
    const winners = won.flat().sort();
    expect(winners).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`).sort());
  }, 20_000);

  /** Another process that takes the write lock (BEGIN IMMEDIATE), holds it `ms`, then commits. */
  async function holdWriteLock(table: string, ms: number) {
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT OR REPLACE INTO ${table} (key, value, expires) VALUES ('holder', ?, NULL)").run(JSON.stringify('held'));
         console.log('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`,
        file,
        String(ms),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    // The lock is really held: a connection that does not wait is refused at once.
    const probe = new Database(file, { timeout: 0 });
    expect(() => probe.exec('BEGIN IMMEDIATE')).toThrow(/database is locked/);
    probe.close();
    return { exited, kill: () => holder.kill('SIGKILL') };
  }

  /** The longest this process's event loop went without running a 20 ms timer, while `work` ran. */
  async function longestStall<R>(work: () => Promise<R>): Promise<{ result: R; stallMs: number }> {
    let last = performance.now();
    let stallMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      stallMs = Math.max(stallMs, now - last);
      last = now;
    }, 20);
    try {
      const result = await work();
      stallMs = Math.max(stallMs, performance.now() - last);
      return { result, stallMs };
    } finally {
      clearInterval(ticker);
    }
  }

  it('keeps the event loop running while another process holds the write lock, then writes', async () => {
    const store = sqliteStore<string>(file, 'locked');
    await store.set('k', 'before');
    const holder = await holdWriteLock('locked', 1_500);
    // An update is a whole BEGIN IMMEDIATE transaction: it waits too, and stays one atomic step.
    const { stallMs } = await longestStall(() =>
      Promise.all([store.set('k', 'after'), store.update('n', (n = '0') => `${Number(n) + 1}`)]),
    );
    expect(stallMs).toBeLessThan(1_000); // the lock was held for 1.5 s
    expect(await store.get('k')).toBe('after');
    expect(await store.get('n')).toBe('1');
    expect(await store.get('holder')).toBe('held'); // the holder's transaction committed first
    await holder.exited;
    store.close();
  }, 20_000);

  it(`gives up with a clear error when the lock stays held past MAX_LOCK_WAIT_MS`, async () => {
    const store = sqliteStore<string>(file, 'stuck');
    const holder = await holdWriteLock('stuck', MAX_LOCK_WAIT_MS + 2_000);
    const { result, stallMs } = await longestStall(() =>
      store.set('k', 'never').then(
        () => 'written',
        (error: Error) => error.message,
      ),
    );
    expect(result).toMatch(/stayed locked by another writer for 5000 ms/);
    expect(stallMs).toBeLessThan(1_000);
    holder.kill();
    await holder.exited;
    store.close();
  }, 20_000);

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => sqliteStore(file, 'state; DROP TABLE x')).toThrow(/not a plain SQL table name/);
  });
});
