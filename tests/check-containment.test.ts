// A check run leaves nothing behind: no process and no temp folder, whatever the reader's code
// starts, however much it allocates or prints, and however the run ends. Each case runs the real
// runner (`npm run check`, tools/check.ts) with a temp dir of its own (TMPDIR) and an environment
// mark every process of the run inherits, then counts what is left: processes that carry the
// mark (or the fixtures' name for their children) and statelab-* entries in that temp dir.
// Linux only: processes are found in /proc, which is where CI runs.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { ROOT } from '../tools/checks/manifest';
import { MEMORY_CAP_MB } from './exercises/watchdog';

const FIXTURES = join(ROOT, 'tests/fixtures/exercises');
/** Far above the peak of a check's vitest process (about 150 MB), far below one that kept all the
 *  output of a server that prints without end (670 MB, measured with unbounded buffers). */
const CHECK_PEAK_MB = 350;
const SOLUTIONS = join(ROOT, 'notebooks/solutions');
const base = mkdtempSync(join(tmpdir(), 'statelab-containment-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  /** Pids the fixture's children logged: proof that they were there during the run. */
  children: number[];
  /** Processes of this run still there after it ended (after a short wait for a dying one). */
  left: string[];
  /** statelab-* entries left in the run's temp dir. */
  temp: string[];
  /** Every name created in the run's temp dir while it ran. */
  created: string[];
  /** The highest peak memory (VmHWM, MB) a vitest process of the run reached, when sampled. */
  checkPeakMb?: number;
  /** The same for the reader's servers. */
  serverPeakMb?: number;
}

/** What is done to the runner once the fixture has started its children: Ctrl-C (SIGINT to its
 *  whole process group), `kill PID` (SIGTERM to the runner alone), or SIGKILL to the group. */
type Interrupt = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

interface Options {
  interrupt?: Interrupt;
  /** The run's temp dir (default: a fresh one). */
  tmp?: string;
  /** Samples the peak memory of the run's vitest processes while it runs. */
  sampleMemory?: boolean;
}

/** Runs the runner as a reader does, with its own temp dir `tmp`, and counts what it left. */
async function runCheck(dir: string, args: string[], options: Options = {}) {
  const { interrupt, tmp = newTempDir() } = options;
  const id = randomUUID();
  const mark = `statelab-contain-${id}`;
  const log = join(base, `${id}.pids`);
  const created = new Set<string>();
  const watcher = watch(tmp, (_event, name) => name && created.add(String(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/check.ts', ...args], {
    cwd: ROOT,
    detached: true, // a process group of its own, as a terminal gives a command: Ctrl-C reaches all
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TMPDIR: tmp,
      STATELAB_EXERCISES: dir,
      STATELAB_STATE: join(base, 'state'),
      NO_COLOR: '1',
      STATELAB_CONTAIN_PROBE: id,
      STATELAB_CONTAIN_MARK: mark,
      STATELAB_CONTAIN_LOG: log,
      // The fixture waits, its children started, until the run is stopped (detached-child).
      ...(interrupt ? { STATELAB_CONTAIN_HOLD: '1' } : {}),
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let running = true;
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (code, signal) => {
      running = false;
      resolve([code, signal]);
    }),
  );
  let checkPeakMb: number | undefined;
  let serverPeakMb: number | undefined;
  let sampling = options.sampleMemory;
  // A test that timed out or failed midway leaves nothing running for the files after it: not the
  // run (its whole process group), nor the sampling, nor the watcher.
  onTestFinished(() => {
    sampling = false;
    watcher.close();
    if (running) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });
  const sampler = (async () => {
    // Every 100 ms while the run lasts (bounded by the test's own timeout).
    while (sampling) {
      for (const pid of ours(id, mark, 'vitest'))
        checkPeakMb = Math.max(checkPeakMb ?? 0, Math.round(peakMb(pid)));
      for (const pid of ours(id, mark, '.server.ts'))
        serverPeakMb = Math.max(serverPeakMb ?? 0, Math.round(peakMb(pid)));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  if (interrupt) {
    // Once the reader's children are up (bounded: 60 s of polling).
    await until(() => logged(log).length >= 3, 1200);
    if (logged(log).length < 3)
      throw new Error(`the fixture's children were not all up after 60 s:\n${output}`);
    process.kill(interrupt === 'SIGTERM' ? child.pid! : -child.pid!, interrupt);
  }
  const [code, signal] = await closed;
  sampling = false;
  await sampler;
  // A process sent SIGKILL a moment ago, or one that notices its check is gone, may take a few
  // turns of the scheduler to vanish from /proc: waited on, bounded, then counted.
  await until(() => ours(id, mark).length === 0, 200);
  watcher.close();
  const result: Run = {
    code,
    signal,
    output,
    children: logged(log),
    left: ours(id, mark),
    temp: readdirSync(tmp).filter((name) => name.startsWith('statelab')),
    created: [...created],
    checkPeakMb,
    serverPeakMb,
  };
  return result;
}

function newTempDir() {
  const dir = join(base, `tmp-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir);
  return dir;
}

const logged = (log: string) =>
  existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : [];

/** Live processes of the run with `id`: its environment mark, or the fixture's name in argv
 *  (only those whose command line contains `only`, if given). */
function ours(id: string, mark: string, only = ''): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      const marked = cmdline.includes(mark) || environ.includes(`STATELAB_CONTAIN_PROBE=${id}`);
      if (marked && cmdline.includes(only)) {
        found.push(`${pid} [${state(pid)}] ${cmdline.replace(/\0/g, ' ').trim()}`);
      }
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}

/** A process's state letter from /proc (S sleeping, T stopped, Z a zombie…), or ? if gone. */
function state(pid: string): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return '?';
  }
}

/** The peak resident memory of process `entry` ("pid command") so far, in MB (0 if gone). */
function peakMb(entry: string): number {
  try {
    const status = readFileSync(`/proc/${entry.split(' ')[0]}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Waits for `done()`, polling every 50 ms, at most `polls` times. */
async function until(done: () => boolean, polls: number) {
  for (let i = 0; i < polls && !done(); i += 1) await new Promise((r) => setTimeout(r, 50));
}

/** What the run's temp dir held while it ran: one folder for the run, and tsx's cache. */
const expectOneFolder = (run: Run) =>
  expect(run.created.filter((name) => !/^tsx-\d+$/.test(name))).toEqual([
    expect.stringMatching(/^statelab-check-\d+-\w+$/),
  ]);

// Every case waits for a whole `npm run check` (cold tsx and vitest): slow on a busy machine,
// never failed by it. The verdicts themselves never read a clock (harness.ts, watchdog.ts).
const RUN_MS = 240_000;

describe.runIf(process.platform === 'linux')('a check run leaves nothing behind', () => {
  it(
    'a detached child (a session of its own), one with an empty environment, and one whose parent exited are ended',
    async () => {
      const run = await runCheck(join(FIXTURES, 'detached-child'), ['01']);
      expect(run.output).toMatch(/All 4 checks pass: exercise 01 is done/);
      expect(run.children).toHaveLength(3);
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
      expectOneFolder(run);
    },
    RUN_MS,
  );

  it(
    '50 children of the server are ended',
    async () => {
      const run = await runCheck(join(FIXTURES, 'many-children'), ['01']);
      expect(run.output).toMatch(/All 4 checks pass: exercise 01 is done/);
      expect(run.children).toHaveLength(50);
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
    },
    RUN_MS,
  );

  it(
    `memory that grows without end is stopped at ${MEMORY_CAP_MB} MB, with a verdict that says so and where`,
    async () => {
      const run = await runCheck(join(FIXTURES, 'endless-memory'), ['01']);
      expect(run.output).toMatch(new RegExp(`used more than ${MEMORY_CAP_MB} MB of memory`));
      expect(run.output).toMatch(
        /look at: +tests\/fixtures\/exercises\/endless-memory\/01-request-path\.ts:12/,
      );
      expect(run.code).toBe(1);
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
    },
    RUN_MS,
  );

  it(
    'output without end is kept bounded, and the verdict is still the watchdog’s',
    async () => {
      const run = await runCheck(join(FIXTURES, 'endless-output'), ['01'], { sampleMemory: true });
      console.log(`endless output: the check's processes peaked at ${run.checkPeakMb} MB`);
      expect(run.output).toMatch(
        /ran for 0\.\d s of CPU time without returning[\s\S]*It was running line 9/,
      );
      expect(run.output).toMatch(
        /look at: +tests\/fixtures\/exercises\/endless-output\/01-request-path\.ts:9/,
      );
      expect(run.code).toBe(1);
      expect(run.output.length).toBeLessThan(200_000); // the runner printed a bounded verdict
      // The check keeps 128 kB of the server's stderr, and a few bytes of its stdout: its memory
      // stays near what any check uses (about 150 MB), while the server prints gigabytes at it.
      expect(run.checkPeakMb).toBeGreaterThan(0);
      expect(run.checkPeakMb).toBeLessThan(CHECK_PEAK_MB);
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
    },
    RUN_MS,
  );

  it(
    'a server that stops its own process (SIGSTOP) is reported as not answering, and ended',
    async () => {
      // A stopped process runs nothing, its watchdog included, and SIGTERM waits until it is
      // resumed. Before, the run waited 10 minutes, blamed StateLab, and left the stopped server.
      const run = await runCheck(join(FIXTURES, 'stops-itself'), ['01']);
      expect(run.output).toMatch(
        /no answer: the server's process was stopped \(a stopped process runs nothing, so it answers nobody\), and was ended/,
      );
      expect(run.output).toMatch(
        /look at: +tests\/fixtures\/exercises\/stops-itself\/01-request-path\.ts:7/,
      );
      expect(run.output).not.toMatch(/a bug in StateLab/);
      expect(run.code).toBe(1);
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
    },
    RUN_MS,
  );

  it(
    'every reference solution: all done, and every temp file of every check in one folder, removed',
    async () => {
      const run = await runCheck(SOLUTIONS, [], { sampleMemory: true });
      // Measured, not asserted: what a right answer costs, beside the cap.
      console.log(
        `reference solutions: checks peaked at ${run.checkPeakMb} MB, servers at ${run.serverPeakMb} MB (cap ${MEMORY_CAP_MB} MB)`,
      );
      expect(run.output).toMatch(/(\d+) of \1 done/);
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
      expectOneFolder(run);
    },
    RUN_MS,
  );

  it(
    'Ctrl-C in the middle of a run: processes ended and the folder removed',
    async () => {
      const run = await runCheck(join(FIXTURES, 'detached-child'), ['01'], { interrupt: 'SIGINT' });
      expect(run.children).toHaveLength(3);
      expect(run.output).not.toMatch(/exercise 01 is done/); // it was cut short
      expect(run.signal, run.output).toBe('SIGINT'); // and ended as Ctrl-C ends a program
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
    },
    RUN_MS,
  );

  it(
    '`kill` of the runner alone (SIGTERM) in the middle of a run: the same',
    async () => {
      const run = await runCheck(join(FIXTURES, 'detached-child'), ['01'], {
        interrupt: 'SIGTERM',
      });
      expect(run.children).toHaveLength(3);
      expect(run.output).not.toMatch(/exercise 01 is done/);
      expect(run.signal, run.output).toBe('SIGTERM');
      expect(run.left).toEqual([]);
      expect(run.temp).toEqual([]);
    },
    RUN_MS,
  );

  it(
    'a run killed outright (SIGKILL): its servers end themselves, the next run removes its folder',
    async () => {
      const tmp = newTempDir();
      const killed = await runCheck(join(FIXTURES, 'detached-child'), ['01'], {
        interrupt: 'SIGKILL',
        tmp,
      });
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.children).toHaveLength(3);
      expect(killed.left).toEqual([]);
      expect(killed.temp).toEqual([expect.stringMatching(/^statelab-check-/)]);
      const next = await runCheck(SOLUTIONS, ['01'], { tmp });
      expect(next.output).toMatch(/All 4 checks pass/);
      expect(next.temp).toEqual([]);
    },
    RUN_MS,
  );
});
