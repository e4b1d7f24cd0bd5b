// What every exercise check uses: find the reader's file, run it in a server process of its own,
// ask it questions over HTTP, and fail with a message that teaches.
// The reader's code never runs inside the check's process, so a loop that never ends, a syntax
// error or a crash in it can only fail a check, never hang or kill the runner. And no verdict
// here reads a clock on the wall: a busy machine makes a check slower, never failed. A loop is
// stopped by the CPU time it burns, an answer that never comes by the idle turns of the server's
// event loop it wasted (watchdog.ts).
// Nor can it outlive the check or swamp it: the server leads a process group of its own, and it
// ends with every process it started whenever the check stops it, sees it end, or ends itself
// (leftovers.mjs); it may use MEMORY_CAP_MB of memory; of what it prints, only a bounded part is
// kept; and its files live in a folder of its own, inside the run's one temp folder.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { BoundedOutput } from '../../tools/checks/bounded-output';
import { endServerProcesses, SERVER_MARK_ENV } from './leftovers.mjs';
import {
  CHECK_PID_ENV,
  HEARTBEAT_MS,
  IDLE_BEATS,
  MEMORY_CAP_MB,
  SERVER_HOME_ENV,
  WATCHDOG_FD_ENV,
  type WatchdogReport,
} from './watchdog';

export const ROOT = resolve(__dirname, '../..');
/** Which tree to check: the reader's starters by default; CI also checks the solutions. */
export const EXERCISES_DIR = resolve(ROOT, process.env.STATELAB_EXERCISES ?? 'notebooks/exercises');

export const exerciseFile = (slug: string) => join(EXERCISES_DIR, `${slug}.ts`);
const shown = (file: string) => relative(process.cwd(), file) || file;

/** A check failure that says what was expected, what happened and where to look. */
export class Lesson extends Error {
  constructor(parts: { expected: string; got: string; where: string; why?: string }) {
    const lines = [`expected: ${parts.expected}`, `got:      ${parts.got}`];
    if (parts.why) lines.push(`why:      ${parts.why}`);
    lines.push(`look at:  ${parts.where}`);
    super(lines.join('\n'));
    this.name = 'Lesson';
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "file:line" of the reader's code: the line an error points to, else the function itself. */
export function pointer(file: string, functionName?: string, errorText = ''): string {
  const fromError = new RegExp(`${escape(file)}:(\\d+)`).exec(errorText);
  if (fromError) return `${shown(file)}:${fromError[1]}`;
  if (!functionName) return shown(file);
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    // Moved, deleted or made a folder while it ran: still a place to look, and the lesson is told.
    return `${shown(file)} (it could not be read: is it still there, and a file?)`;
  }
  const at = lines.findIndex((l) =>
    new RegExp(`\\b(function|const|let)\\s+${functionName}\\b`).test(l),
  );
  return at < 0
    ? `${shown(file)} (it has no function named ${functionName})`
    : `${shown(file)}:${at + 1} (${functionName})`;
}

export interface ExerciseServer {
  url: string;
  /** The reader's file it runs, and the function the check asks about. */
  file: string;
  fn: string;
  /** Set once the server was stopped because it stopped answering. */
  stuck: boolean;
  /** How its process ended (its exit code, or the signal that ended it), once it has. */
  exit(): ProcessEnd | undefined;
  /** Set once its process was found stopped (SIGSTOP: it runs nothing, so it answers nobody) and
   *  was ended for it. */
  suspended(): boolean;
  /** What the server wrote to stderr: the reader's errors and their stack traces (the first and
   *  the last part of it, should it print without end). */
  errors(): string;
  /** How much the server has written to stderr so far: a mark for errorsSince(). */
  errorsWritten(): number;
  /** What the server wrote to stderr after `mark`. */
  errorsSince(mark: number): string;
  /** Turns of the server's free event loop so far (watchdog.ts): time the server had to work. */
  beats(): number;
  /** Calls `listener` on every heartbeat report; returns how to stop listening. */
  onBeat(listener: () => void): () => void;
  /** Resolves when the process has ended, with what its watchdog said if it stopped a loop. */
  ended: Promise<Stuck | undefined>;
  /** Set if the server was stopped because it used more than MEMORY_CAP_MB of memory. */
  overMemory(): OverMemory | undefined;
  stop(): void;
}

export interface ServerOptions {
  /** The server's working and temp folder, kept across its restarts (default: a fresh one,
   *  removed when it ends). */
  home?: string;
}

/** tsx's require hook, by its path (the server's working folder is not the project's). The
 *  reader's file is CommonJS, as tslab compiles it; tsx's ESM loader would add a thread that
 *  costs every server process a few tenths of a second of CPU to start. */
const TSX = join(ROOT, 'node_modules/tsx/dist/cjs/index.cjs');
/** Gives the reader's code its own temp folder once tsx is loaded (server-env.cjs). */
const SERVER_ENV = join(__dirname, 'server-env.cjs');
/** Where tsx in the servers keeps what it compiled: one place for every server of every run,
 *  so the lab is compiled once, not again by each server in a temp folder of its own. */
const TSX_CACHE_PARENT = join(ROOT, 'node_modules/.cache/statelab-servers');

/** A loop the watchdog stopped: how much CPU it burned, and where it was. */
export interface Stuck {
  cpuMs: number;
  /** Set when the thread was held in a synchronous wait, not a loop: at least this long. */
  asleepMs?: number;
  stack?: string;
}

/** How a server's process ended. */
export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Polls (each at least SUSPENDED_POLL_MS apart) for which a server's process may be seen stopped
 *  (SIGSTOP, SIGTSTP: state T) before it is taken for stopped for good and ended: at least 1 s.
 *  A stopped process burns no CPU and turns no event loop, so the watchdog, whose thread is
 *  stopped too, cannot tell; the check reads the process's state from /proc (Linux) instead. */
const SUSPENDED_POLLS = 10;
const SUSPENDED_POLL_MS = 100;

/** A server stopped for its memory: how much it used, and where its code was, when known. */
export interface OverMemory {
  rssMb: number;
  stack?: string;
}

/** What V8 prints when the heap reaches --max-old-space-size, before the process aborts. */
const HEAP_LIMIT = /Reached heap limit|JavaScript heap out of memory/;

/**
 * The servers still running, each with how to end it: ended when the check's process ends, if
 * it ends before it could stop them. vitest ends a check's process with SIGTERM (no 'exit' event
 * without a listener), Ctrl-C with SIGINT. (Killed outright, it cannot: then each server's
 * watchdog sees its check gone and ends the server itself, watchdog.ts.)
 */
const running = new Set<() => void>();
let endsWithCheck = false;
function endWithCheck(end: () => void) {
  running.add(end);
  if (endsWithCheck) return;
  endsWithCheck = true;
  const endAll = () => [...running].forEach((end) => end());
  process.on('exit', endAll);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      endAll();
      process.kill(process.pid, signal); // as if this listener were not there: the process ends
    });
  }
  // vitest talks to the process that runs a check over IPC. Should vitest be gone (killed, or
  // stopped by the runner), the check would run on with nobody to report to: it ends instead.
  process.once('disconnect', () => process.exit(1));
}

/**
 * Starts `entry` (a small .ts script beside the check) in its own Node process with `args`.
 * The script loads the reader's file with importExercise() (watchdog.ts) and prints
 * `{"listening":PORT}` once its server is up, or fails and says why on stderr.
 * No deadline here is a clock on the wall: a loop at the top level of the reader's file is
 * stopped by the CPU time it burns (see watchdog.ts), and then the process ends.
 */
export function startExerciseServer(
  entry: string,
  args: string[],
  file: string,
  fn: string,
  options: ServerOptions = {},
) {
  // Its own working and temp folder, as a server on a machine of its own has: a file the
  // reader's code writes there is not another server's (and not the store every server shares).
  // (Under `npm run check`, the temp dir is the run's one folder: tools/checks/run-folder.ts.)
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'statelab-server-'));
  mkdirSync(home, { recursive: true });
  // Inherited by every process the server starts, however it starts them: leftovers.mjs.
  const mark = randomUUID();
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${MEMORY_CAP_MB}`,
      '--require',
      TSX,
      '--require',
      SERVER_ENV,
      entry,
      ...args,
    ],
    {
      cwd: home,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true, // the leader of a process group of its own
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        // tsx reads TMPDIR as it loads; server-env.cjs then sets it (and TMP, TEMP) to `home`.
        TMPDIR: TSX_CACHE_PARENT,
        [SERVER_HOME_ENV]: home,
        [WATCHDOG_FD_ENV]: '3',
        [CHECK_PID_ENV]: String(process.pid),
        [SERVER_MARK_ENV]: mark,
      },
    },
  );
  // Ends the server and every process it started. Its pid is its own until the check hears that
  // it exited; after that only the mark finds what is left.
  let exited = false;
  const end = () => {
    running.delete(end);
    if (child.pid !== undefined) endServerProcesses(exited ? undefined : child.pid, mark, home);
  };
  endWithCheck(end);
  // It may have ended by itself (a crash, its watchdog): what it started goes with it.
  let ending: ProcessEnd | undefined;
  child.once('exit', (code, signal) => {
    ending = { code, signal };
    end();
    exited = true;
  });
  // A process stopped by a signal (SIGSTOP from the reader's own code) answers nobody, and SIGTERM
  // would wait until it is resumed: it is ended with SIGKILL (end(), leftovers.mjs).
  let suspended = false;
  let seenStopped = 0;
  const watchState = setInterval(() => {
    if (exited || child.pid === undefined) return void clearInterval(watchState);
    seenStopped = processState(child.pid) === 'T' ? seenStopped + 1 : 0;
    if (seenStopped < SUSPENDED_POLLS) return;
    clearInterval(watchState);
    suspended = true;
    end();
  }, SUSPENDED_POLL_MS);
  watchState.unref();
  child.once('exit', () => clearInterval(watchState));
  // A folder of its own is removed when the server ends, or is stopped (the check's process may
  // exit before it hears that a stopped server has ended).
  const removeHome = () => {
    if (!options.home) rmSync(home, { recursive: true, force: true, maxRetries: 3 });
  };
  child.once('close', removeHome);
  const stderr = new BoundedOutput();
  child.stderr!.on('data', (chunk) => stderr.write(chunk));
  let beats = 0;
  let stuck: Stuck | undefined;
  let overMemory: OverMemory | undefined;
  const beatListeners = new Set<() => void>();
  readLines(child.stdio[3] as Readable, (line) => {
    let report: WatchdogReport;
    try {
      report = JSON.parse(line) as WatchdogReport;
    } catch {
      return;
    }
    if ('beats' in report) {
      beats = report.beats;
      for (const listener of beatListeners) listener();
    } else if ('stuck' in report) stuck = report.stuck;
    else if ('memory' in report) overMemory = report.memory;
  });
  const ended = new Promise<Stuck | undefined>((resolve) =>
    child.once('close', () => {
      // The heap reached its limit before the watchdog saw the memory grow: V8 said so, and quit.
      if (!stuck && !overMemory && HEAP_LIMIT.test(stderr.text())) {
        overMemory = { rssMb: MEMORY_CAP_MB };
      }
      resolve(stuck);
    }),
  );

  return new Promise<ExerciseServer>((resolveServer, reject) => {
    let settled = false;
    const fail = (lesson: Lesson) => {
      if (settled) return;
      settled = true;
      end();
      reject(lesson);
    };
    const loadLesson = (got: string, why: string, where: string) =>
      new Lesson({ expected: `${shown(file)} to load`, got, why, where });
    void ended.then((loop) => {
      if (overMemory) {
        fail(memoryLesson(overMemory, 'while it was starting', file, fn));
      } else if (suspended) {
        fail(
          loadLesson(
            'its process stopped itself while it was starting (a stopped process runs nothing, so its server never came up), and was ended',
            `code that runs as the server starts stops the process: ${SUSPENDED_WHY}`,
            pointer(file, undefined, stderr.text()),
          ),
        );
      } else if (loop) {
        fail(
          loadLesson(
            `it was still starting after ${stuckFor(loop)}, and was stopped`,
            `code that runs as the server starts (at the top level of the file, outside any function, or in ${fn}() itself) did not finish in that time: ${stuckWhy(loop)}${stuckAt(loop, file)}`,
            pointer(file, undefined, loop.stack ?? ''),
          ),
        );
      } else {
        const said = lastWords(stderr.text(), file, Infinity);
        const exitCalled = /^Error: your code called process\.(exit|kill)\(/m.test(said);
        fail(
          loadLesson(
            `it ${endedHow(ending)} while it was loading, before its server started${said ? `:\n${indent(said)}` : ', and printed nothing'}`,
            exitCalled
              ? 'code at the top level of the file (outside any function) ends the process as it loads: the server never starts'
              : said
                ? 'see the error above'
                : 'the process ended without an error: does the code call process.exit() (or process.kill(process.pid)) as the file loads, at the top level?',
            // A thrown value that is not an Error names its line only when the file has one throw.
            pointer(
              file,
              exitCalled || !said || /carries no stack/.test(said) ? undefined : fn,
              stderr.text(),
            ),
          ),
        );
      }
    });
    // The server says it is listening once it is up. One that never does, while its event loop
    // turns freely, never will: its announcement was silenced (console.log taken away for good), or
    // its start waits for a promise that never settles. Given up on after IDLE_BEATS turns.
    const announced = onBeats(() => {
      if (settled || beats < IDLE_BEATS) return;
      fail(
        loadLesson(
          `the server never said that it was listening, although its event loop sat idle for ${IDLE_BEATS} turns (about ${(IDLE_BEATS * HEARTBEAT_MS) / 1000} s on a quiet machine). It was stopped.`,
          `the server announces itself on stdout with console.log, once your file has loaded: does the code take console.log or process.stdout away (Object.defineProperty, or closing stdout), or make the server's start wait for a promise that never settles?`,
          pointer(file, undefined, stderr.text()),
        ),
      );
    });
    void ended.then(announced);
    function onBeats(listener: () => void) {
      // Decided a moment later, not in the middle of reading the report: when this process was
      // the slow one, the server's answer may be waiting in the same batch of input.
      const deferred = () => setImmediate(() => setImmediate(listener));
      beatListeners.add(deferred);
      return () => beatListeners.delete(deferred);
    }
    // Only stdout's last few characters are kept: enough to find the line that says it is up
    // (split across two chunks, perhaps), however much the reader's code prints before it.
    let stdoutEnd = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (settled) return;
      const seen = stdoutEnd + chunk;
      stdoutEnd = seen.slice(-64);
      const ready = /\{"listening":(\d+)\}/.exec(seen);
      if (!ready) return;
      settled = true;
      announced();
      resolveServer({
        url: `http://127.0.0.1:${ready[1]}`,
        file,
        fn,
        stuck: false,
        exit: () => ending,
        suspended: () => suspended,
        errors: () => stderr.text(),
        errorsWritten: () => stderr.written,
        errorsSince: (at) => stderr.since(at),
        beats: () => beats,
        onBeat: onBeats,
        ended,
        overMemory: () => overMemory,
        stop: () => {
          end();
          removeHome();
        },
      });
    });
  });
}

/** Calls `onLine` for each complete line the stream delivers (a line that never ends, past a
 *  megabyte, is dropped: the watchdog's reports are short). */
function readLines(stream: Readable, onLine: (line: string) => void) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    if (buffered.length > 2 ** 20) buffered = '';
    lines.forEach(onLine);
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** How long a stopped server had been stuck: CPU time for a loop, waiting for a blocked thread. */
const stuckFor = (loop: Stuck) =>
  loop.asleepMs
    ? `at least ${seconds(loop.asleepMs)} with its thread blocked in a wait`
    : `${seconds(loop.cpuMs)} of CPU time`;
/** What the code did, said of a function: "pick() <got>". */
export const stuckGot = (loop: Stuck) =>
  loop.asleepMs
    ? `blocked its thread in a synchronous wait for at least ${seconds(loop.asleepMs)} without returning`
    : `ran for ${seconds(loop.cpuMs)} of CPU time without returning`;
/** The question to ask of stuck code. */
export const stuckWhy = (loop: Stuck) =>
  loop.asleepMs
    ? 'is there a synchronous wait that never ends (execSync or spawnSync of a command that keeps running, Atomics.wait, a synchronous read of a pipe)? While it waits, the server answers nobody.'
    : 'is there a loop that never ends? (Or far more work than the check asks for: no answer here needs that much CPU.)';

/** The verdict on a server stopped for its memory, `when` it was stopped ("while it was
 *  starting", "while it answered GET /"). */
export function memoryLesson(use: OverMemory, when: string, file: string, fn: string) {
  return new Lesson({
    expected: `the server to stay within ${MEMORY_CAP_MB} MB of memory`,
    got: `your server used more than ${MEMORY_CAP_MB} MB of memory ${when} (${use.rssMb} MB when it was stopped), and was stopped`,
    why: `something in it keeps everything it makes: a list, a map or a string that only grows, or a timer that allocates on every tick and never lets go.${stuckAt(use, file)}`,
    where: pointer(file, fn, use.stack ?? ''),
  });
}

/** The reader's line the code was running when it was stopped, for the "why". */
export function stuckAt(loop: { stack?: string }, file: string): string {
  const at = new RegExp(`${escape(file)}:(\\d+)`).exec(loop.stack ?? '');
  return at ? ` It was running line ${at[1]} of ${shown(file)} when it was stopped.` : '';
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** What the server wrote to stderr while it answered: the reader's error, if it threw. */
  logged: string;
}

export interface AskOptions {
  /** Default GET. */
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The first request of this check that was given up on (it never got its answer), if any. */
let firstUnanswered: string | undefined;

/** Asks the reader's server; a stuck server is stopped and explained, not waited on. */
export async function ask(
  server: ExerciseServer,
  path: string,
  file: string,
  fn: string,
  options: AskOptions = {},
): Promise<Answer> {
  const method = options.method ?? 'GET';
  if (server.stuck) {
    throw new Lesson({
      expected: `an answer to ${method} ${path}`,
      got: server.overMemory()
        ? `nothing: the server was stopped for its memory (see the first failure)`
        : 'nothing: the server was stopped after it got stuck (see the first failure)',
      where: pointer(file, fn),
    });
  }
  const before = server.errorsWritten();
  const json = options.body !== undefined;
  // No timer: a loop in the reader's code is stopped by the server's watchdog (it ends the
  // process, and the request fails); an answer that never comes while the server sits idle is
  // given up on after IDLE_BEATS turns of its free event loop. Once one request of this check was
  // given up on, the check has failed: later ones, on any of the check's servers, are given a
  // fifth of that, so the verdict comes in seconds, not minutes (and are told why, if cut short).
  const abandon = new AbortController();
  const since = server.beats();
  const patience = firstUnanswered ? IDLE_BEATS / 5 : IDLE_BEATS;
  const stopWaiting = server.onBeat(() => {
    if (server.beats() - since >= patience) abandon.abort();
  });
  let headersCame = false;
  try {
    const res = await fetch(server.url + path, {
      method,
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: json ? JSON.stringify(options.body) : undefined,
      signal: abandon.signal,
    });
    headersCame = true;
    // Still watched while the body comes: a body shorter than its Content-Length, or a reply
    // that is never ended, would otherwise hold the check until the connection times out.
    const text = await res.text();
    stopWaiting();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text, the check will say what it expected
    }
    // The server logs an error before it answers, but its stderr pipe may deliver a moment later.
    if (res.status === 500) await settle(server, () => server.errorsWritten() > before);
    return {
      status: res.status,
      body,
      headers: headersOf(res),
      logged: server.errorsSince(before),
    };
  } catch (error) {
    stopWaiting();
    // A server that ended on its own has said why by the time its pipes close: wait for that.
    // (One stopped for its memory is explained by endedSoon().)
    const loop = abandon.signal.aborted
      ? undefined
      : await endedSoon(server, `${method} ${path}`).catch((lesson: unknown) => {
          server.stuck = true; // later questions fail fast, pointing to this first failure
          throw lesson;
        });
    // Given up on sooner because an earlier request never got its answer: this one may be slow,
    // not stuck, so its server is not stopped, and the verdict says only what is known.
    const cutShort = abandon.signal.aborted && patience < IDLE_BEATS;
    if ((abandon.signal.aborted && !cutShort) || loop) {
      server.stuck = true;
      server.stop(); // a stuck server would stay stuck: later checks fail fast instead
    }
    if (loop) {
      throw new Lesson({
        expected: `an answer to ${method} ${path}`,
        got: `no answer: ${fn} ${stuckGot(loop)}, and the server was stopped`,
        why: `${stuckWhy(loop)}${stuckAt(loop, file)}`,
        where: pointer(file, fn, loop.stack ?? server.errors()),
      });
    }
    const idle = `the server sat idle for ${patience} turns of its event loop (about ${(patience * HEARTBEAT_MS) / 1000} s on a quiet machine) while it waited`;
    if (cutShort) {
      throw new Lesson({
        expected: `${headersCame ? 'a whole answer' : 'an answer'} to ${method} ${path}`,
        got: `${headersCame ? 'its status and headers, and not all of its body' : 'no answer'} after ${idle}, and it was not waited on longer: an earlier request of this check (${firstUnanswered}) never got its answer, and the requests after it are given a fifth of the time, so the verdict comes sooner. This one may be slow rather than stuck.`,
        why: 'fix the first request that never got its answer (its failure above), then check again',
        where: pointer(file, fn, server.errors()),
      });
    }
    if (abandon.signal.aborted) firstUnanswered ??= `${method} ${path}`;
    if (abandon.signal.aborted && headersCame) {
      throw new Lesson({
        expected: `a whole answer to ${method} ${path}`,
        got: `its status and headers, then a body that did not finish, although ${idle}. The server was stopped.`,
        why: `the reply was not ended: is a Content-Length set larger than the body sent, or a reply written to and never ended (res.end())?`,
        where: pointer(file, fn, server.errors()),
      });
    }
    if (abandon.signal.aborted) {
      throw new Lesson({
        expected: `an answer to ${method} ${path}`,
        got: `no answer, although ${idle}. The server was stopped.`,
        why: `the answer from ${fn} never came: does it await a promise that never settles, or loop on await?`,
        where: pointer(file, fn, server.errors()),
      });
    }
    if (server.suspended()) {
      server.stuck = true;
      throw new Lesson({
        expected: `an answer to ${method} ${path}`,
        got: `no answer: the server's process was stopped (a stopped process runs nothing, so it answers nobody), and was ended`,
        why: `${fn} stops the process it runs in: ${SUSPENDED_WHY}`,
        where: pointer(file, fn, server.errors()),
      });
    }
    const ending = server.exit();
    if (ending) {
      // It ended by itself: its last words on stderr say why, and where.
      const during = server.errorsSince(before);
      const said = lastWords(during.trim() ? during : server.errors(), file);
      throw new Lesson({
        expected: `an answer to ${method} ${path}`,
        got: `no answer: the server's process ${endedHow(ending)} before it answered${said ? `. Its last words:\n${indent(said)}` : ', and printed nothing'}`,
        why: /^Error: your code called process\.exit\(/m.test(said)
          ? 'process.exit() ends the whole server, with every request it is answering: a request is answered with a status instead'
          : /^Error: your code called process\.kill\(/m.test(said)
            ? 'process.kill(process.pid) ends the whole server, with every request it is answering'
            : said
              ? `an error nobody caught ends a Node server: one thrown in a timer or a callback, a promise rejected with no catch, or a reply the server cannot send (the error above says which, and where)`
              : 'something ended the process without a word: process.exit(), a signal, or the machine (out of memory?)',
        where: pointer(file, fn, said),
      });
    }
    // Still running, and it closed the connection: say so, not that it is not running.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET') {
      throw new Lesson({
        expected: `an answer to ${method} ${path}`,
        got: `no answer: the server closed the connection (${cause.code}: ${cause.message ?? ''}), and is still running`,
        why: `the server ended the connection without answering: did ${fn} destroy the request or its socket (req.destroy(), res.socket.end())?`,
        where: pointer(file, fn, server.errors()),
      });
    }
    throw new Lesson({
      expected: `an answer to ${method} ${path}`,
      got: `no answer: ${String(error)}${cause?.message ? ` (${cause.message})` : ''}`,
      why: 'the server is not running (it crashed, or was stopped after it got stuck)',
      where: pointer(file, fn, server.errors()),
    });
  }
}

/** Why a process stops itself, said to the reader. */
const SUSPENDED_WHY =
  "process.kill(process.pid, 'SIGSTOP') (or SIGTSTP) pauses the whole server until another process resumes it, and none will";

/** "exited (exit code 3)", "was ended by SIGTERM". */
const endedHow = (ending: ProcessEnd | undefined) =>
  ending?.signal
    ? `was ended by ${ending.signal}`
    : `exited (exit code ${ending?.code ?? 'unknown'})`;

/**
 * What a server said last on stderr, for a reader: the last lines of `text` without the frames of
 * the lab, of node_modules and of Node itself (only the reader's own are kept), without Node's
 * version line, and at most `most` of them.
 */
function lastWords(text: string, file: string, most = LAST_WORDS_LINES): string {
  const lines = readerFrames(text, file)
    .split('\n')
    .filter((line) => line.trim() && !/^Node\.js v\d/.test(line));
  return lines.slice(-most).join('\n');
}
const LAST_WORDS_LINES = 12;

/** A process's state letter (R running, S asleep, T stopped…), from /proc; '' where it cannot be
 *  read (gone, or no /proc). */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

/**
 * What the server's watchdog reported, if the process has ended or ends within a few of its
 * heartbeats: a request that failed because the watchdog killed the server is told apart from one
 * that failed for another reason. A server that keeps running is not waited on for long.
 * A server stopped for its memory is a verdict of its own, whatever the check was asking
 * (`asking`, if said): it rejects with that.
 */
export function endedSoon(server: ExerciseServer, asking?: string): Promise<Stuck | undefined> {
  return new Promise((resolve, reject) => {
    const since = server.beats();
    const stop = server.onBeat(() => {
      if (server.beats() - since < 5) return;
      stop();
      resolve(undefined);
    });
    void server.ended.then((loop) => {
      stop();
      const memory = server.overMemory();
      if (!memory) return resolve(loop);
      const when = asking ? `while it answered ${asking}` : 'while the check ran';
      reject(memoryLesson(memory, when, server.file, server.fn));
    });
  });
}

function headersOf(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return headers;
}

/** Explains a reply that was not what the check expected, including what the server logged. */
export function unexpected(answer: Answer, expected: string, file: string, fn: string) {
  const threw = answer.logged ? `\n${indent(readerFrames(answer.logged, file))}` : '';
  return new Lesson({
    expected,
    got: `${answer.status} ${JSON.stringify(answer.body)}${threw}`,
    why: !threw
      ? undefined
      : /Error: TODO/.test(answer.logged)
        ? `${fn} is not written yet: the starter's TODO is still there`
        : /SqliteError: (near ".*": syntax error|unrecognized token)/.test(answer.logged)
          ? `${fn} threw an error (the server logged it, above): SQLite could not read a statement: a typo in the SQL, or a value written into its text? A quote in a value (a name like O'Neil, a key like "it's-…") ends the string early, and a value written as SQL changes what the statement does. Pass values as parameters: a ? in the SQL, the value after it`
          : `${fn} threw an error (the server logged it, above)`,
    where: pointer(file, fn, answer.logged),
  });
}

/** An error without the stack frames of the lab and of node_modules: only the reader's own. */
export const readerFrames = (stack: string, file: string) =>
  stack
    .trim()
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) || line.includes(file))
    .join('\n');

/** Waits until `done()`, or until the server's event loop has turned a few times more. */
function settle(server: ExerciseServer, done: () => boolean, beats = 10) {
  const since = server.beats();
  return new Promise<void>((resolve) => {
    if (done()) return resolve();
    const stop = server.onBeat(() => {
      if (!done() && server.beats() - since < beats) return;
      stop();
      resolve();
    });
    void server.ended.then(() => (stop(), resolve()));
  });
}

export const indent = (text: string) => text.replace(/^/gm, '          ');
