// How an exercise server process tells the check that the reader's code is stuck, in a way a busy
// machine cannot fake. Three kinds of stuck, and none is measured with a clock on the wall:
//
// - A loop that never lets go of the thread burns CPU. The watchdog thread (watchdog-worker.mjs)
//   counts the CPU time the process spends while its event loop stands still; at
//   LOOP_CPU_BUDGET_MS it reports where the loop is and kills the process. A process starved of
//   CPU by other programs spends no CPU time while it waits, so it is never blamed.
// - A promise that never settles burns nothing: the event loop stays free and the answer never
//   comes. The main thread's heartbeat counts turns of a free event loop; the check gives up on a
//   request only after IDLE_BEATS of them (about 10 s on a quiet machine, longer on a busy one,
//   where the heartbeat itself comes late). (A file cannot hang this way while it loads: the
//   exercises compile to CommonJS, where a top-level await is a syntax error.)
// - A synchronous wait (execSync of a command that never ends, Atomics.wait) burns nothing and
//   holds the thread: no heartbeat, no CPU. The kernel tells it apart from a thread a busy machine
//   has not run yet: the thread is asleep (S), not runnable (R). After ASLEEP_POLLS of the
//   watchdog's polls in that state, it is stopped like a loop.
//
// The same thread keeps the server contained. Memory: past MEMORY_CAP_MB of resident memory (heap,
// buffers, everything) it reports where the code was and kills the process; a busy machine does
// not make a process bigger, so this is no clock either. And the check itself: should the check's
// process be gone (killed before it could stop its servers), the server and every process it
// started end (leftovers.mjs), instead of running on with nobody to stop them.
//
// The server scripts beside the checks load the reader's file with importExercise(), which starts
// the watchdog first: the lab and the server around the reader's code are not watched while they
// load, the reader's code is, from its first line.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import { endServerProcesses, SERVER_MARK_ENV } from './leftovers.mjs';

/** The heartbeat: one tick of a free event loop. */
export const HEARTBEAT_MS = 20;
/** CPU time a stuck event loop may burn before it is called a loop that never ends. */
export const LOOP_CPU_BUDGET_MS = 500;
/** Watchdog polls (each at least 50 ms apart) for which the event loop may stand still while its
 *  thread sleeps in a synchronous wait (execSync of a command that does not end, Atomics.wait)
 *  before it is stopped: at least 20 s, far beyond SQLite's 5 s wait for a locked database. */
export const ASLEEP_POLLS = 400;
/** Memory the reader's server may use (its resident set: heap, buffers, code), in MB. A server
 *  running a reference solution peaks near 140 MB (tests/check-containment.test.ts logs it). */
export const MEMORY_CAP_MB = 384;
/** Heartbeats while one request waits for its answer. */
export const IDLE_BEATS = 500;
/** Set by the check (harness.ts) to the server's own working and temp folder (server-env.cjs). */
export const SERVER_HOME_ENV = 'STATELAB_SERVER_HOME';
/** Set by the check (harness.ts) to the file descriptor it reads the watchdog's reports on. */
export const WATCHDOG_FD_ENV = 'STATELAB_WATCHDOG_FD';
/** Set by the check to its own pid: a server whose parent is no longer that process ends. */
export const CHECK_PID_ENV = 'STATELAB_CHECK_PID';

/** What the watchdog tells the check, one JSON object a line. */
export type WatchdogReport =
  | { beats: number }
  | { stuck: { cpuMs: number; asleepMs?: number; stack?: string } }
  | { memory: { rssMb: number; stack?: string } };

let watching: Promise<void> | undefined;

/** Starts the heartbeat and the watchdog thread, once; without a check listening, does nothing.
 *  `readerFile`, the reader's file, is where the watchdog looks for the line to blame. Resolves
 *  once the watchdog's thread is watching. */
export function watchReaderCode(readerFile?: string): Promise<void> {
  const fd = Number(process.env[WATCHDOG_FD_ENV]);
  if (!Number.isInteger(fd)) return Promise.resolve();
  if (watching) return watching;
  // A server that ends by itself (an error nobody caught, process.exit(), a pipe to a check that
  // is gone) takes what it started with it: its check may not be there to do it.
  process.on('exit', () =>
    endServerProcesses(process.pid, process.env[SERVER_MARK_ENV], process.env[SERVER_HOME_ENV]),
  );
  const heartbeat = new Int32Array(new SharedArrayBuffer(4));
  setInterval(() => Atomics.add(heartbeat, 0, 1), HEARTBEAT_MS).unref();
  const worker = new Worker(new URL('./watchdog-worker.mjs', pathToFileURL(__filename)), {
    workerData: {
      heartbeat,
      budgetMs: LOOP_CPU_BUDGET_MS,
      asleepPolls: ASLEEP_POLLS,
      memoryCapMb: MEMORY_CAP_MB,
      pollMs: 50,
      fd,
      checkPid: Number(process.env[CHECK_PID_ENV]),
      mark: process.env[SERVER_MARK_ENV],
      home: process.env[SERVER_HOME_ENV],
      readerScripts: readerFile ? [readerFile, pathToFileURL(readerFile).href] : [],
    },
    execArgv: [], // plain JavaScript: no tsx to load in the watchdog's thread
  });
  worker.unref();
  // The thread says when it watches. Until then it may still need this thread's event loop to
  // start: reader code that blocked the thread at once (Atomics.wait, a synchronous sleep) would
  // then never be watched, and its server would outlive its check (tests/check-containment).
  watching = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the watchdog thread exited (code ${code})`)));
  });
  return watching;
}

/** Loads the reader's exercise file, its top level watched like the rest of its code. It is
 *  CommonJS, as tslab compiles it, loaded with tsx's require hook (harness.ts).
 *  The server keeps its voice: whatever the file does to the console or to stdout and stderr as it
 *  loads is undone once it has loaded, and the server's `{"listening":PORT}` line goes out whatever
 *  the reader's code does to console.log later (keepVoice). */
export async function importExercise(file: string): Promise<Record<string, unknown>> {
  await watchReaderCode(file);
  const restore = keepVoice(file);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx's hook loads the CommonJS file
    return require(file) as Record<string, unknown>;
  } catch (thrown) {
    if (thrown instanceof Error) throw thrown;
    throw notAnError(thrown, file);
  } finally {
    restore();
  }
}

/**
 * An Error that stands for a value the reader's file threw as it loaded (`throw 'not ready'`). A
 * value that is not an Error carries no stack, so where it came from is not known: the message
 * names the file's `throw` lines, and the line itself when there is only one (the check points
 * there, harness.ts).
 */
export function notAnError(thrown: unknown, file: string): Error {
  let lines: number[] = [];
  try {
    lines = readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, at) => (/\bthrow\b/.test(text.replace(/\/\/.*$/, '')) ? [at + 1] : []));
  } catch {
    // unreadable now: the message says what was thrown, without the lines
  }
  const where =
    lines.length === 1
      ? ` It has one throw, at ${file}:${lines[0]}.`
      : lines.length > 1
        ? ` Its throw statements are on lines ${lines.join(', ')}.`
        : '';
  return new Error(
    `your file threw ${inspect(thrown)} as it loaded: a value, not an Error, so it carries no stack that says where.${where} Throw an Error (throw new Error('…')) and the check can point at the line.`,
  );
}

/** The line a server script prints once it is up: the check waits for it (harness.ts). */
const ANNOUNCEMENT = /^\{"listening":\d+\}$/;
const CONSOLE_METHODS = ['log', 'error', 'warn', 'info', 'debug'] as const;

/**
 * What the server needs to be heard, kept from the reader's code. Returns what to call once the
 * reader's file has loaded: it puts back whatever its top level replaced (console methods, the
 * write of stdout and stderr: `console.log = () => {}` would silence the server's announcement, and
 * the check would wait for it in vain), and then routes the announcement past whatever console.log
 * becomes later, straight to stdout. The reader's own logging works as they set it up.
 * It also has process.exit() and process.kill() of the server itself say, on stderr, where in the
 * reader's file they were called: the check shows that line when the server ends or stops.
 */
function keepVoice(file: string): () => void {
  const consoleBefore = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  const { stdout, stderr } = process;
  const stdoutWrite = stdout.write;
  const stderrWrite = stderr.write;
  // Pipes are written synchronously on Linux: the line is out before the process ends or stops.
  const tell = (text: string) => void stderrWrite.call(stderr, text);
  traceSelfEnding(file, tell);
  return () => {
    const put = (restore: () => void) => {
      try {
        restore();
      } catch {
        // made read-only by the reader's code: the announcement below still gets out, or the
        // check says that the server never announced itself (harness.ts)
      }
    };
    for (const [name, method] of consoleBefore) put(() => (console[name] = method));
    put(() => (stdout.write = stdoutWrite));
    put(() => (stderr.write = stderrWrite));
    const original = console.log;
    let log = original;
    // A console.log of the reader's own that calls the one it replaced (`const before =
    // console.log; console.log = (...a) => before('>', ...a)`) calls this one: inside it, that
    // means the console's own, not the reader's again (which would call itself without end).
    let inside = false;
    const logOrAnnounce = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === 'string' && ANNOUNCEMENT.test(args[0])) {
        stdoutWrite.call(stdout, `${args[0]}\n`);
        return;
      }
      if (inside) return original(...args);
      inside = true;
      try {
        log(...args);
      } finally {
        inside = false;
      }
    };
    put(() =>
      Object.defineProperty(console, 'log', {
        configurable: true,
        enumerable: true,
        get: () => logOrAnnounce,
        set: (value: typeof console.log) => void (log = value),
      }),
    );
  };
}

/** Has process.exit() and process.kill() of this process say where the reader's code called them
 *  (only calls from `file`: the server script's own exit on a failure says nothing). */
function traceSelfEnding(file: string, tell: (text: string) => void) {
  const fromReader = (call: string) => {
    const stack = new Error(`your code called ${call}`).stack ?? '';
    if (!stack.includes(file)) return;
    // The frames from the reader's file on: not this function's own.
    const lines = stack.split('\n');
    const first = lines.findIndex((line) => line.includes(file));
    tell(`${[lines[0], ...lines.slice(first)].join('\n')}\n`);
  };
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    fromReader(`process.exit(${code ?? ''})`);
    return exit(code);
  }) as typeof process.exit;
  const kill = process.kill.bind(process);
  process.kill = (pid: number, signal?: string | number) => {
    if ((pid === process.pid || pid === 0 || pid === -process.pid) && signal !== 0) {
      fromReader(
        `process.kill(${pid === process.pid ? 'process.pid' : pid}${signal === undefined ? '' : `, ${JSON.stringify(signal)}`})`,
      );
    }
    return kill(pid, signal);
  };
}
