// The check runner, driven as a reader drives it: a real `npm run check` process against
// fixture files that break in each way a reader's code can break.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { exercisePath, findExercise, loadExercises, ROOT, sha256OfText } from './manifest';
import { runChecks, startCheckHost } from './run-checks';
import { runCheckCommand } from './check-process';

const FIXTURES = join(ROOT, 'tests/fixtures/exercises');
const state = mkdtempSync(join(tmpdir(), 'statelab-state-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

/** Runs the runner on an exercises folder; `until` ends a watch run early. */
const check = (dir: string, args: string[], until?: (output: string) => boolean) =>
  runCheckCommand(dir, state, args, until);

/** Something to block this thread on (Atomics.wait), as a busy process is held. */
const HOLD = new Int32Array(new SharedArrayBuffer(4));

const fingerprint = (dir: string) =>
  readdirSync(dir).map((name) => `${name}:${sha256OfText(join(dir, name))}`);

describe('npm run check with broken reader code', () => {
  // The promise to the reader: whatever their code does, a verdict, and soon. The verdict itself
  // never reads a clock (harness.ts, watchdog.ts): this limit only stops a runner that hangs, and
  // is far beyond what a busy machine takes: a whole cold `npm run check` (tsx, vitest, the
  // server) took up to 54 s on a 2-core machine with a load average of 30 (never-settles: 500
  // turns of a starved event loop), 10 to 30 s with less.
  const VERDICT_WITHIN_MS = 180_000;

  it.each([
    ['syntax-error', /Expected "\)" but found ";"/, /syntax-error\/01-request-path\.ts:6/],
    ['throws', /TypeError: Cannot read properties of undefined/, /throws\/01-request-path\.ts:6/],
    [
      'infinite-loop',
      /ran for 0\.\d s of CPU time without returning[\s\S]*loop that never ends\?[\s\S]*It was running line 8/,
      /look at: +tests\/fixtures\/exercises\/infinite-loop\/01-request-path\.ts:8/,
    ],
    [
      'loop-at-load',
      /still starting after 0\.\d s of CPU time[\s\S]*loop that never ends\?[\s\S]*It was running line 6/,
      /look at: +tests\/fixtures\/exercises\/loop-at-load\/01-request-path\.ts:6/,
    ],
    [
      // A value, not an Error: no stack, so the line comes from the file's only throw. Before, the
      // check pointed at productById, a function that never ran.
      'throws-value',
      /your file threw 'not ready' as it loaded: a value, not an Error/,
      /look at: +tests\/fixtures\/exercises\/throws-value\/01-request-path\.ts:7\n/,
    ],
    [
      // A reply written and never ended: the check watched the server only until the headers came,
      // and waited on the body until this test's limit.
      'never-ends-reply',
      /then a body that did not finish, although the server sat idle[\s\S]*is a Content-Length set larger than the body sent/,
      /look at: +tests\/fixtures\/exercises\/never-ends-reply\/01-request-path\.ts:\d+/,
    ],
    ['no-export', /does not export a function named productById/, /no-export\/01-request-path\.ts/],
    [
      // console.log taken away for good just after the file loads: the server's "listening" line
      // never comes. Before, the run waited for it until vitest's hook timeout (300 s).
      'silenced-for-good',
      /the server never said that it was listening, although its event loop sat idle for 500 turns/,
      /look at: +tests\/fixtures\/exercises\/silenced-for-good\/01-request-path\.ts/,
    ],
    [
      'exits-at-load',
      /it exited \(exit code 0\) while it was loading[\s\S]*your code called process\.exit\(0\)/,
      /look at: +tests\/fixtures\/exercises\/exits-at-load\/01-request-path\.ts:6/,
    ],
    // A server that ends while it answers: its last words on stderr, and how it ended, not only
    // "fetch failed".
    [
      'crashes-later',
      /the server's process exited \(exit code 1\) before it answered\. Its last words:[\s\S]*Error: boom/,
      /look at: +tests\/fixtures\/exercises\/crashes-later\/01-request-path\.ts:8/,
    ],
    [
      'exits-in-route',
      /the server's process exited \(exit code 3\) before it answered[\s\S]*your code called process\.exit\(3\)/,
      /look at: +tests\/fixtures\/exercises\/exits-in-route\/01-request-path\.ts:6/,
    ],
    [
      'kills-itself',
      /the server's process was ended by SIGTERM before it answered[\s\S]*your code called process\.kill\(process\.pid\)/,
      /look at: +tests\/fixtures\/exercises\/kills-itself\/01-request-path\.ts:8/,
    ],
  ])(
    '%s: a clear verdict naming the file, a normal exit, and the file untouched',
    async (name, verdict, where) => {
      const dir = join(FIXTURES, name);
      const before = fingerprint(dir);
      const run = await check(dir, ['01']).done;
      expect(run.output).toMatch(verdict);
      expect(run.output).toMatch(where);
      expect(run.output).not.toMatch(/fetch failed/);
      expect(run.code).toBe(1); // the exercise failed; 3 would mean the runner itself broke
      expect(fingerprint(dir)).toEqual(before);
    },
    VERDICT_WITHIN_MS,
  );

  // A thread held in a synchronous wait is stopped after ASLEEP_POLLS of the watchdog's polls, at
  // least 20 s (far beyond SQLite's 5 s wait for a lock): this test's limit allows for that.
  it.each([
    [
      'sleeps-at-load',
      /still starting after at least 20\.\d s with its thread blocked in a wait[\s\S]*synchronous wait that never ends/,
      /look at: +tests\/fixtures\/exercises\/sleeps-at-load\/01-request-path\.ts/,
    ],
    [
      // Another thread burns CPU meanwhile: the main thread's CPU is what counts, and it is none.
      'sleeps-while-busy',
      /still starting after at least 20\.\d s with its thread blocked in a wait[\s\S]*synchronous wait that never ends/,
      /look at: +tests\/fixtures\/exercises\/sleeps-while-busy\/01-request-path\.ts/,
    ],
    [
      'sleeps-in-route',
      /productById blocked its thread in a synchronous wait for at least 20\.\d s[\s\S]*It was running line 8/,
      /look at: +tests\/fixtures\/exercises\/sleeps-in-route\/01-request-path\.ts:8/,
    ],
  ])(
    '%s: a thread blocked in a wait that never ends, and no CPU burnt: stopped, and said so',
    async (name, verdict, where) => {
      const run = await check(join(FIXTURES, name), ['01']).done;
      expect(run.output).toMatch(verdict);
      expect(run.output).toMatch(where);
      expect(run.code).toBe(1);
    },
    VERDICT_WITHIN_MS + 60_000, // the wait is counted in polls, each at least 50 ms apart
  );

  it(
    'never-settles: an answer that never comes from an idle server is given up on, and said so',
    async () => {
      const dir = join(FIXTURES, 'never-settles');
      const run = await check(dir, ['04']).done;
      expect(run.output).toMatch(/no answer, although the server sat idle for 500 turns/);
      expect(run.output).toMatch(
        /the answer from createCarts never came: does it await a promise that never settles/,
      );
      expect(run.output).toMatch(/never-settles\/04-stateless-servers\.ts:\d+/);
      expect(run.code).toBe(1);
    },
    VERDICT_WITHIN_MS,
  );

  it(
    'hangs-then-slow: after a request that never got its answer, a slow one is cut short, not called stuck',
    async () => {
      const run = await check(join(FIXTURES, 'hangs-then-slow'), ['04']).done;
      expect(run.output).toMatch(/no answer, although the server sat idle for 500 turns/);
      expect(run.output).toMatch(/This one may be slow rather than stuck/);
      expect(
        run.output.match(/never came: does it await a promise that never settles/g),
      ).toHaveLength(1);
      expect(run.code).toBe(1);
    },
    VERDICT_WITHIN_MS,
  );

  it(
    'silences-console: a file that silences console.log and stdout as it loads is still checked',
    async () => {
      // Before, the server's "listening" line was silenced with them: the run waited 300 s.
      const run = await check(join(FIXTURES, 'silences-console'), ['01']).done;
      expect(run.output).toMatch(/All 4 checks pass: exercise 01 is done/);
      expect(run.code).toBe(0);
    },
    VERDICT_WITHIN_MS,
  );

  it(
    'starved: a right answer in a process held without CPU for seconds is done, not blamed',
    async () => {
      const run = await check(join(FIXTURES, 'starved'), ['01']).done;
      expect(run.output).toMatch(/All \d+ checks pass: exercise 01 is done/);
      expect(run.code).toBe(0);
    },
    VERDICT_WITHIN_MS,
  );

  it(
    'lists every exercise and exits normally even when one of them is broken',
    async () => {
      const run = await check(join(FIXTURES, 'infinite-loop'), []).done;
      expect(run.output).toMatch(/01 {2}Serve one product from the database\s+failing/);
      expect(run.output).toMatch(/0 of \d+ done/);
      expect(run.code).toBe(0);
      // Every title, the longest too, stands apart from its state.
      const rows = run.output.split('\n').filter((line) => /^ {2}\d\d {2}/.test(line));
      expect(rows).toHaveLength(loadExercises().length);
      for (const row of rows) expect(row).toMatch(/\S {3,}\S/);
    },
    VERDICT_WITHIN_MS,
  );

  it(
    'a file that does not load: no hint offered, since no hint can help with that',
    async () => {
      const run = await check(join(FIXTURES, 'syntax-error'), ['01']).done;
      expect(run.output).toMatch(/No check could run: fix what the message above points at/);
      expect(run.output).not.toMatch(/--hint/);
    },
    VERDICT_WITHIN_MS,
  );
});

describe('npm run check on the real trees', () => {
  // Starter 01 as shipped, or the reader's own version of it: theirs cannot say "not started", and
  // no edit of theirs may fail a test (CI, a fresh clone, always has the starter as shipped).
  const [first] = loadExercises();
  const starter01 = exercisePath(join(ROOT, 'notebooks/exercises'), first);
  const starterShipped = existsSync(starter01) && sha256OfText(starter01) === first.starterSha256;
  if (!starterShipped && !process.env.CI) {
    console.warn(`${starter01} has edits (yours); its "not started" test runs in CI.`);
  }

  it.skipIf(!starterShipped && !process.env.CI)(
    'says "not started" for an untouched starter',
    async () => {
      const starter = await check(join(ROOT, 'notebooks/exercises'), []).done;
      expect(starter.output).toMatch(/01 .*not started/);
    },
    240_000, // every exercise's checks: slow on a busy machine, never failed by it
  );

  it('says "done" for a solution', async () => {
    const solved = await check(join(ROOT, 'notebooks/solutions'), ['01']).done;
    expect(solved.output).toMatch(/All 4 checks pass: exercise 01 is done/);
    expect(solved.code).toBe(0);
  }, 120_000);

  it('gives the hints one by one, then keeps showing the last', async () => {
    const dir = join(ROOT, 'notebooks/exercises');
    const seen: string[] = [];
    for (let i = 0; i < 4; i += 1) seen.push((await check(dir, ['01', '--hint']).done).output);
    expect(seen.map((o) => /hint (\d) of (\d)/.exec(o)?.slice(1).join('/'))).toEqual([
      '1/3',
      '2/3',
      '3/3',
      '3/3',
    ]);
  }, 120_000); // four runner processes, one after another

  it('a damaged hints file reads as empty, and says so once', async () => {
    const dir = join(ROOT, 'notebooks/exercises');
    for (const damaged of ['{"01":"x"}', 'null', '"str"', '[3]', '{"01":-1}', '{"01":']) {
      const own = mkdtempSync(join(tmpdir(), 'statelab-hints-'));
      onTestFinished(() => rmSync(own, { recursive: true, force: true }));
      writeFileSync(join(own, 'hints.json'), damaged);
      const first = await runCheckCommand(dir, own, ['01', '--hint']).done;
      expect(first.output, damaged).toMatch(/Exercise 01 · hint 1 of 3\n/);
      expect(first.output, damaged).toMatch(/hints\.json was damaged/);
      expect(first.code, damaged).toBe(0);
      const second = await runCheckCommand(dir, own, ['01', '--hint']).done;
      expect(second.output, damaged).toMatch(/Exercise 01 · hint 2 of 3\n/);
      expect(second.output, damaged).not.toMatch(/damaged/);
    }
  }, 120_000);

  it('--watch checks again when the file is saved', async () => {
    // A folder beside notebooks/exercises, so the file's `../lab` imports resolve.
    const dir = mkdtempSync(join(ROOT, 'notebooks/.tmp-watch-'));
    // An answer not written yet, like the starter's; not the reader's file, which may be done.
    writeFileSync(
      join(dir, '01-request-path.ts'),
      "import type { Catalog } from '../lab/catalog';\n" +
        "import type { Reply } from '../lab/reply';\n" +
        'export function productById(_catalog: Catalog, _id: string): Reply {\n' +
        "  throw new Error('TODO: not written yet');\n" +
        '}\n',
    );
    let saved = false;
    const run = check(dir, ['01', '--watch'], (output) => {
      if (!saved && /0 of 4 checks pass/.test(output)) {
        saved = true;
        copyFileSync(
          join(ROOT, 'notebooks/solutions/01-request-path.ts'),
          join(dir, '01-request-path.ts'),
        );
      }
      return /exercise 01 is done/.test(output);
    });
    onTestFinished(() => {
      run.child.kill(); // a watch never ends by itself, even on a timeout
      rmSync(dir, { recursive: true, force: true });
    });
    const { output } = await run.done;
    expect(output).toMatch(/0 of 4 checks pass[\s\S]*Watching[\s\S]*exercise 01 is done/);
  }, 120_000); // a cold vitest and two runs: 8 to 30 s on a busy 2-core machine; only a hung watch hits this
});

describe('a warm check host, as watch mode keeps one', () => {
  it.each([
    ['syntax-error', '01'],
    ['02-wrong/first-healthy', '02'],
    ['02-wrong/any-when-none-healthy', '02'],
  ])(
    '%s: every warm run reports exactly what a cold run reports',
    async (fixture, id) => {
      const exercise = findExercise(loadExercises(), id)!;
      const dir = join(FIXTURES, fixture);
      const [cold] = await runChecks([exercise], dir);
      expect(cold.error ?? cold.checks.length).toBeTruthy(); // something to compare
      const host = startCheckHost(dir);
      try {
        for (let run = 1; run <= 3; run += 1) {
          expect(await host.run([exercise]), `warm run ${run}`).toEqual([cold]);
        }
      } finally {
        await host.close();
      }
    },
    120_000,
  );

  it('replaces a host that died: the run after it gives a verdict again', async () => {
    const exercise = findExercise(loadExercises(), '01')!;
    const host = startCheckHost(join(ROOT, 'notebooks/solutions'));
    try {
      const [first] = await host.run([exercise]);
      expect(first.error).toBeUndefined();
      const firstPid = host.pid!;
      process.kill(firstPid, 'SIGKILL'); // as the run deadline, or a crash, would end it
      // Until this process has reaped it: it has then heard that the host exited.
      await vi.waitFor(() => expect(() => process.kill(firstPid, 0)).toThrow(), {
        timeout: 60_000,
        interval: 20,
      });
      const [second] = await host.run([exercise]);
      expect(second).toEqual(first);
      expect(host.pid).not.toBe(firstPid);
    } finally {
      await host.close();
    }
  }, 120_000);

  // A save right after the host died, before this process heard of it: the run is not lost, and
  // the runner does not crash (it did, under load: "Channel closed" or EPIPE, thrown from its
  // send to the dead host).
  it.runIf(process.platform === 'linux')(
    'gives a run to a fresh host when the one it had is dead but not yet heard of',
    async () => {
      const exercise = findExercise(loadExercises(), '01')!;
      const host = startCheckHost(join(ROOT, 'notebooks/solutions'));
      try {
        const [first] = await host.run([exercise]);
        const firstPid = host.pid!;
        process.kill(firstPid, 'SIGKILL');
        // This thread is held until the host is dead (a zombie): this process, whose thread it
        // is, has not heard of it yet when it asks for the run.
        const zombie = () => /\) Z /.test(readFileSync(`/proc/${firstPid}/stat`, 'latin1'));
        for (let i = 0; i < 60_000 && !zombie(); i += 1) Atomics.wait(HOLD, 0, 0, 1);
        expect(zombie(), 'the killed host is a zombie').toBe(true);
        expect(await host.run([exercise])).toEqual([first]);
        expect(host.pid).not.toBe(firstPid);
      } finally {
        await host.close();
      }
    },
    120_000,
  );

  it("runs the reader's code in processes of its own: not the runner's, not the host's", async () => {
    const exercise = findExercise(loadExercises(), '01')!;
    // A solution that writes down the process it runs in, as its file loads.
    const dir = mkdtempSync(join(ROOT, 'notebooks/.tmp-pid-'));
    const log = join(dir, 'pids.txt');
    writeFileSync(
      join(dir, '01-request-path.ts'),
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, process.pid + '\\n');\n` +
        readFileSync(join(ROOT, 'notebooks/solutions/01-request-path.ts'), 'utf8'),
    );
    const host = startCheckHost(dir);
    try {
      const [result] = await host.run([exercise]);
      expect(result.checks.every((c) => c.passed)).toBe(true);
      const pids = readFileSync(log, 'utf8').trim().split('\n').map(Number);
      expect(pids.length).toBeGreaterThan(0);
      expect(pids).not.toContain(process.pid);
      expect(pids).not.toContain(host.pid);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
