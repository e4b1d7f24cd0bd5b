// What every exercise check uses: find the reader's file, run it in a server process of its own,
// ask it questions over HTTP with a deadline, and fail with a message that teaches.
// The reader's code never runs inside the check's process, so a loop that never ends, a syntax
// error or a crash in it can only fail a check, never hang or kill the runner.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
/** Which tree to check: the reader's starters by default; CI also checks the solutions. */
export const EXERCISES_DIR = resolve(ROOT, process.env.STATELAB_EXERCISES ?? 'notebooks/exercises');

/** How long the reader's server may take to start, and to answer one request. */
export const START_TIMEOUT_MS = 4_000;
export const ANSWER_TIMEOUT_MS = 2_000;

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

/** "file:line" of the reader's code: the line an error points to, else the function itself. */
export function pointer(file: string, functionName?: string, errorText = ''): string {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const fromError = new RegExp(`${escaped}:(\\d+)`).exec(errorText);
  if (fromError) return `${shown(file)}:${fromError[1]}`;
  if (!functionName) return shown(file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) =>
    new RegExp(`\\b(function|const|let)\\s+${functionName}\\b`).test(l),
  );
  return at < 0
    ? `${shown(file)} (it has no function named ${functionName})`
    : `${shown(file)}:${at + 1} (${functionName})`;
}

export interface ExerciseServer {
  url: string;
  /** Set once the server was stopped because it stopped answering. */
  stuck: boolean;
  /** Everything the server wrote to stderr: the reader's errors and their stack traces. */
  errors(): string;
  stop(): void;
}

/**
 * Starts `entry` (a small .ts script beside the check) in its own Node process with `args`.
 * The script prints `{"listening":PORT}` once its server is up, or fails and says why on stderr.
 */
export function startExerciseServer(entry: string, args: string[], file: string, fn: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));

  return new Promise<ExerciseServer>((resolveServer, reject) => {
    const fail = (got: string, why: string, where = pointer(file, fn, stderr)) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Lesson({ expected: `${shown(file)} to load`, got, why, where }));
    };
    const timer = setTimeout(
      () =>
        fail(
          `it was still loading after ${START_TIMEOUT_MS / 1000} s`,
          'code at the top level of the file (outside any function) never finished: is there a loop that never ends?',
          shown(file),
        ),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code) =>
      fail(
        `it stopped (exit code ${code}):\n${indent(readerFrames(stderr, file))}`,
        'see the error above',
      ),
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const ready = /\{"listening":(\d+)\}/.exec(stdout);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveServer({
        url: `http://127.0.0.1:${ready[1]}`,
        stuck: false,
        errors: () => stderr,
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess) {
  if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Answer {
  status: number;
  body: unknown;
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
      got: 'nothing: the server was stopped after it got stuck (see the first failure)',
      where: pointer(file, fn),
    });
  }
  const before = server.errors().length;
  const json = options.body !== undefined;
  try {
    const res = await fetch(server.url + path, {
      method,
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: json ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text, the check will say what it expected
    }
    // The server logs an error before it answers, but its stderr pipe may deliver a moment later.
    if (res.status === 500) await settle(() => server.errors().length > before);
    return { status: res.status, body, logged: server.errors().slice(before) };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    if (timedOut) {
      server.stuck = true;
      server.stop(); // a server stuck in a loop would stay stuck: later checks fail fast instead
    }
    throw new Lesson({
      expected: `an answer to ${method} ${path}`,
      got: timedOut
        ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s`
        : `no answer: ${String(error)}`,
      why: timedOut
        ? `${fn} never returned: is there a loop that never ends? The server was stopped.`
        : 'the server is not running (it crashed, or was stopped after it got stuck)',
      where: pointer(file, fn, server.errors()),
    });
  }
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
        : `${fn} threw an error (the server logged it, above)`,
    where: pointer(file, fn, answer.logged),
  });
}

/** An error without the stack frames of the lab and of node_modules: only the reader's own. */
const readerFrames = (stack: string, file: string) =>
  stack
    .trim()
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) || line.includes(file))
    .join('\n');

async function settle(done: () => boolean, ms = 500) {
  for (const until = Date.now() + ms; !done() && Date.now() < until;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const indent = (text: string) => text.replace(/^/gm, '          ');
