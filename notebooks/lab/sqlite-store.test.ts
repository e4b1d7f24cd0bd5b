import { spawnSync } from 'node:child_process';
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

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => sqliteStore(file, 'state; DROP TABLE x')).toThrow(/not a plain SQL table name/);
  });
});
