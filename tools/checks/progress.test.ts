// The record `npm run check` keeps for the site: each verdict written with its time and count of
// passing checks, later runs merged over earlier ones, the file replaced in one step, and a
// damaged or missing file read as "not started" without an error.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { noExerciseProgress } from '../../src/components/Progress/exercise-progress';
import { loadExercises } from './manifest';
import {
  breakLock,
  readProgressFile,
  recordProgress,
  saveProgress,
  writeAtomically,
} from './progress';
import type { ExerciseResult } from './run-checks';

// A write that stops half way, as a crash or a full disk would leave it: switched on per test.
const crash = vi.hoisted(() => ({ midWrite: false }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const writeFileSync: typeof fs.writeFileSync = (file, data, options) => {
    if (!crash.midWrite) return fs.writeFileSync(file, data, options);
    fs.writeFileSync(file, String(data).slice(0, String(data).length / 2), options);
    throw new Error('ENOSPC: no space left on device, write');
  };
  return { ...fs, default: { ...fs, writeFileSync }, writeFileSync };
});

const dir = mkdtempSync(join(tmpdir(), 'statelab-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `case-${(n += 1)}`, 'progress.json');

const [e01, e02, e03, e04] = loadExercises();
const result = (exercise: typeof e01, passing: number, failing: number, error?: string) =>
  ({
    exercise,
    checks: [
      ...Array.from({ length: passing }, (_, i) => ({ title: `ok ${i}`, passed: true })),
      ...Array.from({ length: failing }, (_, i) => ({ title: `bad ${i}`, passed: false })),
    ],
    error,
  }) satisfies ExerciseResult;

describe('recording what the checks found', () => {
  it('writes each state with the time of the run and the count of passing checks', () => {
    const file = freshFile();
    const at = new Date('2025-12-01T10:00:00.000Z');
    recordProgress(
      [
        { result: result(e01, 4, 0), state: 'done' },
        { result: result(e02, 1, 3), state: 'failing' },
        { result: result(e03, 0, 0, 'SyntaxError: Unexpected token'), state: 'broken' },
        { result: result(e04, 0, 5), state: 'not started' },
      ],
      file,
      at,
    );
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toEqual({
      version: 1,
      exercises: {
        '01': {
          id: '01',
          chapter: '01',
          title: e01.title,
          state: 'done',
          passing: 4,
          total: 4,
          checkedAt: '2025-12-01T10:00:00.000Z',
        },
        '02': expect.objectContaining({ chapter: '02', state: 'failing', passing: 1, total: 4 }),
        '03': expect.objectContaining({ chapter: '03', state: 'broken', passing: 0, total: 0 }),
        '04': expect.objectContaining({ state: 'not started', passing: 0, total: 5 }),
      },
    });
    expect(readProgressFile(file)).toEqual(written);
  });

  it('keeps the last verdict of exercises a later run did not check', () => {
    const file = freshFile();
    recordProgress([{ result: result(e01, 1, 3), state: 'failing' }], file, new Date(1_000));
    recordProgress([{ result: result(e02, 4, 0), state: 'done' }], file, new Date(2_000));
    recordProgress([{ result: result(e01, 4, 0), state: 'done' }], file, new Date(3_000));
    const { exercises } = readProgressFile(file);
    expect(Object.keys(exercises).sort()).toEqual(['01', '02']);
    expect(exercises['01']).toMatchObject({
      state: 'done',
      passing: 4,
      checkedAt: '1970-01-01T00:00:03.000Z',
    });
    expect(exercises['02']).toMatchObject({ state: 'done', checkedAt: '1970-01-01T00:00:02.000Z' });
  });

  it('forgets the verdict of an exercise whose file is gone: "done" no more', () => {
    const file = freshFile();
    recordProgress([{ result: result(e01, 4, 0), state: 'done' }], file, new Date(1_000));
    recordProgress([{ result: result(e02, 4, 0), state: 'done' }], file, new Date(2_000), ['01']);
    expect(Object.keys(readProgressFile(file).exercises)).toEqual(['02']);
    // Deleted while its checks ran: this run's verdict is about a file that is gone.
    recordProgress([{ result: result(e02, 4, 0), state: 'done' }], file, new Date(3_000), ['02']);
    expect(readProgressFile(file).exercises).toEqual({});
  });
});

describe('a missing or damaged file', () => {
  it('reads as no progress: every exercise "not started", and no error', () => {
    const file = freshFile();
    expect(readProgressFile(file)).toBe(noExerciseProgress);
    for (const text of ['', '{"version":1,"exer', 'null', '[]', '{"version":2,"exercises":{}}']) {
      writeAtomically(file, text);
      expect(readProgressFile(file), text).toEqual(noExerciseProgress);
    }
  });

  it('drops only the entries it cannot trust', () => {
    const file = freshFile();
    const good = {
      id: '01',
      chapter: '01',
      title: 't',
      state: 'done',
      passing: 4,
      total: 4,
      checkedAt: '2025-12-01T10:00:00Z',
    };
    const entries = {
      '01': good,
      '02': { ...good, id: '02', state: 'finished' },
      '03': { ...good, id: '03', passing: 5 },
      '04': { ...good, id: '04', checkedAt: 'yesterday' },
      '05': { ...good, id: '06' },
    };
    writeAtomically(file, JSON.stringify({ version: 1, exercises: entries }));
    expect(readProgressFile(file).exercises).toEqual({ '01': good });
  });

  it('is replaced by a whole file at the next run, which says so once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const damaged of ['{"version":1,"exercises":{"01":', 'null', '"str"', '{"01":"x"}']) {
        const file = freshFile();
        writeAtomically(file, damaged);
        recordProgress([{ result: result(e02, 4, 0), state: 'done' }], file);
        expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).exercises)).toEqual(['02']);
        recordProgress([{ result: result(e03, 4, 0), state: 'done' }], file);
        expect(warn, damaged).toHaveBeenCalledOnce();
        expect(warn).toHaveBeenCalledWith(expect.stringMatching(/progress\.json was damaged/));
        warn.mockClear();
      }
    } finally {
      warn.mockRestore();
    }
  });

  it('that cannot be written costs the reader one line, not the check', () => {
    const blocker = join(dir, 'a-file-not-a-folder');
    writeFileSync(blocker, '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() =>
      saveProgress([{ result: result(e01, 4, 0), state: 'done' }], join(blocker, 'progress.json')),
    ).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/progress for the site not saved/));
    warn.mockRestore();
  });
});

describe('replacing the file in one step', () => {
  it('a write that fails half way leaves the previous file whole, and no temp file', () => {
    const file = freshFile();
    recordProgress([{ result: result(e01, 1, 3), state: 'failing' }], file);
    const before = readFileSync(file, 'utf8');
    crash.midWrite = true;
    try {
      expect(() => recordProgress([{ result: result(e01, 4, 0), state: 'done' }], file)).toThrow(
        /ENOSPC/,
      );
    } finally {
      crash.midWrite = false;
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(join(file, '..'))).toEqual(['progress.json']);
  });

  it('a reader in another process never sees half a file while it is rewritten', async () => {
    const file = freshFile();
    const ready = `${file}.reading`;
    const stop = `${file}.stop`;
    // Large enough that one write takes many system calls; a reader that catches a file being
    // truncated and filled (a plain writeFileSync) parses it as broken JSON.
    const big = (i: number) =>
      JSON.stringify({ version: 1, exercises: {}, run: i, padding: 'x'.repeat(512 * 1024) });
    writeAtomically(file, big(0));
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs');
         let reads = 0, torn = 0;
         fs.writeFileSync(process.argv[3], '');
         while (!fs.existsSync(process.argv[2]) && reads < 200000) {
           reads += 1;
           try { JSON.parse(fs.readFileSync(process.argv[1], 'utf8')); } catch { torn += 1; }
         }
         console.log(JSON.stringify({ reads, torn }));`,
        file,
        stop,
        ready,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    reader.stdout.on('data', (chunk) => (out += chunk));
    const ended = new Promise((resolve) => reader.once('close', resolve));
    // Wait (at most 30 s) until the reader is reading, then rewrite the file while it reads.
    for (let i = 0; i < 300 && !existsSync(ready); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(existsSync(ready), 'the reader process started').toBe(true);
    for (let i = 1; i <= 150; i += 1) writeAtomically(file, big(i));
    writeFileSync(stop, '');
    await ended;
    const { reads, torn } = JSON.parse(out) as { reads: number; torn: number };
    expect(reads).toBeGreaterThan(0);
    expect(torn).toBe(0);
    expect(existsSync(file)).toBe(true);
  }, 60_000);

  it('two runs that record at the same moment both keep their verdicts (nothing is last-wins)', async () => {
    const file = freshFile();
    const go = `${file}.go`;
    const RUNS = 6;
    const WRITES = 25;
    // Each process records its own exercise WRITES times, all starting together: without a lock,
    // one run's read-merge-write overwrites another's verdict that landed in between.
    const writer = (id: string) =>
      spawn(
        process.execPath,
        [
          '--require',
          'tsx/cjs',
          '-e',
          `const fs = require('node:fs');
           const { recordProgress } = require(${JSON.stringify(join(__dirname, 'progress.ts'))});
           const [file, go, id, writes] = process.argv.slice(1);
           while (!fs.existsSync(go)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
           for (let i = 1; i <= Number(writes); i += 1) {
             const exercise = { id, chapter: id, title: 'exercise ' + id };
             const checks = Array.from({ length: i }, (_, k) => ({ title: 'ok ' + k, passed: true }));
             recordProgress([{ result: { exercise, checks }, state: 'done' }], file);
           }`,
          file,
          go,
          id,
          String(WRITES),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
    const ids = Array.from({ length: RUNS }, (_, i) => `9${i}`);
    const ended = ids.map((id) => {
      const child = writer(id);
      return new Promise<number | null>((resolve) => child.once('close', resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // every writer is waiting on `go`
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(go, '');
    expect(await Promise.all(ended)).toEqual(ids.map(() => 0));
    const { exercises } = readProgressFile(file);
    expect(Object.keys(exercises).sort()).toEqual(ids);
    expect(Object.values(exercises).map((e) => e.passing)).toEqual(ids.map(() => WRITES));
    expect(
      readdirSync(join(file, '..')).filter((name) => name.startsWith('progress.json.')),
    ).toEqual([`progress.json.go`]);
  }, 60_000);

  it('breaks a lock whose run is gone, and waits for a live one, then gives up saying so', async () => {
    const file = freshFile();
    const lock = `${file}.lock`;
    // Left by a run that died between making the lock and naming itself, a minute ago.
    mkdirSync(lock, { recursive: true });
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    recordProgress([{ result: result(e01, 4, 0), state: 'done' }], file);
    expect(readProgressFile(file).exercises['01']?.state).toBe('done');
    expect(existsSync(lock)).toBe(false);

    // Left a moment ago by a run that was killed holding it: its process is gone, so no wait.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('close', resolve));
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), `${gone.pid} a-killed-run`);
    recordProgress([{ result: result(e02, 4, 0), state: 'done' }], file);
    expect(readProgressFile(file).exercises['02']?.state).toBe('done');
    expect(existsSync(lock)).toBe(false);

    // Held by a live run (this process, under another token) that never lets go.
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), `${process.pid} another-run`);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      saveProgress([{ result: result(e03, 4, 0), state: 'done' }], file);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/is held by another run/));
    } finally {
      warn.mockRestore();
    }
    expect(readProgressFile(file).exercises['03']).toBeUndefined();
    expect(readFileSync(join(lock, 'owner'), 'utf8')).toBe(`${process.pid} another-run`);
  }, 60_000);

  it('breaks only the lock it judged dead: a live run that took the lock in between keeps it', () => {
    const file = freshFile();
    const lock = `${file}.lock`;
    // Two runs judged a dead lock at once; the first broke it and took the lock for itself. The
    // second breaks the lock it judged, which is no longer the one there: it must give it back.
    mkdirSync(lock, { recursive: true });
    writeFileSync(join(lock, 'owner'), `${process.pid} the-first-breaker`);
    breakLock(lock, `${process.pid} the-second-breaker`, '999999999 the-dead-run');
    expect(readFileSync(join(lock, 'owner'), 'utf8')).toBe(`${process.pid} the-first-breaker`);
    expect(readdirSync(join(file, '..')).filter((name) => name.includes('.broken-'))).toEqual([]);
    // The lock it judged is still broken when it is the one there.
    writeFileSync(join(lock, 'owner'), '999999999 the-dead-run');
    breakLock(lock, `${process.pid} the-second-breaker`, '999999999 the-dead-run');
    expect(existsSync(lock)).toBe(false);
  });
});
