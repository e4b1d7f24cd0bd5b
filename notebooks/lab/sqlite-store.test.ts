import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from './sqlite-store';

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

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => sqliteStore(file, 'state; DROP TABLE x')).toThrow(/not a plain SQL table name/);
  });
});
