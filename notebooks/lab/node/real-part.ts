// Finding a real part (a program Debian ships, such as nginx or redis-server) and the one rule for
// the tests that need it (DESIGN.md, "Real parts"), a free port on 127.0.0.1 to start it on, and
// starting it: its output kept, a bounded wait until it is ready. The parts this process started
// and has not seen exit are stopped when it exits (exit-cleanup.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, isAbsolute, join } from 'node:path';
import { atExit } from './exit-cleanup';

export interface Availability {
  available: boolean;
  /** Why not, and what to install. */
  why?: string;
}

/** The program: the first one on PATH, else in one of `alsoIn` (Debian puts nginx in /usr/sbin). */
export function findProgram(name: string, alsoIn: readonly string[] = []): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, ...alsoIn]) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here: try the next place
    }
  }
  return undefined;
}

/**
 * Run the tests when the part exists; without it, skip them with a printed line outside CI, and
 * fail them in CI. Use: `describe.runIf(gate.run)(...)` plus one `it` that throws `gate.failure`.
 */
export function realPartGate(
  tests: string,
  availability: Availability,
  env: Record<string, string | undefined> = process.env,
  warn: (line: string) => void = console.warn,
): { run: boolean; failure?: string } {
  if (availability.available) return { run: true };
  const message = `${tests}: ${availability.why}`;
  if (env.CI) return { run: false, failure: `${message}. CI must run them, so this fails.` };
  warn(`skipped: ${message}`);
  return { run: false };
}

/** How to find one real part, and what to say when it is missing. */
export interface PartSpec {
  /** The program's name, e.g. 'nginx'. */
  program: string;
  /** Where else it may be, after PATH (Debian puts nginx in /usr/sbin). */
  alsoIn: readonly string[];
  /** The package that brings it, e.g. 'redis-server'. */
  aptPackage: string;
  /** What the lab runs with it, for the hint: 'the nginx parts'. */
  runs: string;
  /** What its tests need, the first words of their skip or failure line. */
  tests: string;
}

/** Finding a part, whether it is here (and what to install when not), and its tests' gate. */
export function realPart(spec: PartSpec) {
  const find = () => findProgram(spec.program, spec.alsoIn);
  const hint = `install it to run ${spec.runs}: \`apt-get install ${spec.aptPackage}\` (Debian)`;
  const availability = (): Availability =>
    find()
      ? { available: true }
      : {
          available: false,
          why: `${spec.program} was not found on PATH nor in ${spec.alsoIn[0]}; ${hint}`,
        };
  /** Skipped with a printed line outside CI, failed in CI (realPartGate). */
  const testGate = (
    env: Record<string, string | undefined> = process.env,
    given = availability(),
    warn?: (line: string) => void,
  ) => realPartGate(spec.tests, given, env, warn);
  return { find, availability, testGate };
}

/** A port the OS says is free right now (the OS picks it; 127.0.0.1 only). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a part on a free port with `launch`. The port may be taken by someone else between the
 * OS naming it and the part binding it (a busy machine): when the error says so (`taken`), tries
 * again on another, three times at the most.
 */
export async function onFreePort<T>(
  launch: (port: number) => Promise<T>,
  taken: RegExp,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(port);
    } catch (error) {
      if (attempt === 3 || !taken.test(String(error))) throw error;
    }
  }
}

/** A config file's lines, each split into its code and its comment (from `#` on), so that an
 *  edit can change directives and never a comment; lines.text() puts them back together. */
export function configLines(config: string) {
  const lines = config.split('\n').map((line) => {
    const hash = line.indexOf('#');
    return hash === -1
      ? { code: line, comment: '' }
      : { code: line.slice(0, hash), comment: line.slice(hash) };
  });
  return Object.assign(lines, {
    text: () => lines.map(({ code, comment }) => code + comment).join('\n'),
  });
}

/** A real part's process, as the lab started it: its recent output, and whether it has exited. */
export interface PartProcess {
  readonly child: ChildProcess;
  /** The last 4000 characters it wrote to stdout and stderr. */
  output(): string;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<void>;
  hasExited(): boolean;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * On Linux, runs `binary` through util-linux's setpriv, which asks the kernel to SIGKILL it when
 * this process dies: a kernel that is itself SIGKILLed runs no exit handler (atExit), and would
 * leave its Redis running for good. setpriv then execs `binary` (same pid). Elsewhere, as it is.
 */
export function withParentDeathSignal(binary: string, args: string[]): [string, string[]] {
  const linux = process.platform === 'linux' && existsSync(SETPRIV);
  // A missing binary keeps Node's own ENOENT; a bare name is not looked up on PATH here.
  if (!linux || !isAbsolute(binary) || !existsSync(binary)) return [binary, args];
  return [SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...args]];
}

/**
 * Starts `binary` with `args`, keeping what it writes. `onExit`: the signal it gets if this
 * process exits while it still runs (SIGTERM for nginx, whose master then stops its worker).
 */
export function spawnPart(binary: string, args: string[], onExit: NodeJS.Signals): PartProcess {
  // A process group of its own: Jupyter interrupts a cell with SIGINT to the kernel's whole group,
  // and an interrupted cell must not take the notebook's Redis or nginx down with it.
  const [command, commandArgs] = withParentDeathSignal(binary, args);
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Until it has exited: no nginx or redis-server outlives the notebook or test that started it.
  const forget = atExit(() => child.kill(onExit));
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('error', (error) => keep(Buffer.from(`${error.message}\n`))); // e.g. not executable
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => {
      if (child.pid === undefined) resolve(); // it never started, so no 'exit' will come
    });
  }).then(forget);
  return { child, output: () => output, exited, hasExited };
}

/**
 * Polls `ready` every 20 ms until it says yes (resolves 'ready'), the process exits first
 * ('exited') or `withinMs` passes ('timed out'). Bounded in time; kills nothing itself.
 */
export async function waitUntilReady(
  part: PartProcess,
  ready: () => boolean | Promise<boolean>,
  withinMs: number,
): Promise<'ready' | 'exited' | 'timed out'> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await ready()) return 'ready';
    if (part.hasExited() || part.child.pid === undefined) return 'exited';
    if (performance.now() > deadline) return 'timed out';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
