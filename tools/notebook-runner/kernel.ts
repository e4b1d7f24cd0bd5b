// A tslab kernel in its own process, driven over the Jupyter messaging protocol with ZeroMQ (no Python).
// State: the notebook's variables live in the kernel process; this side holds only sockets and waiters.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zmq from 'zeromq';
import { decode, encode, newMessage, type JupyterMessage } from './wire';

export type ExecuteOutcome =
  | { kind: 'replied'; reply: Record<string, unknown>; iopub: JupyterMessage[] }
  | { kind: 'timed-out'; iopub: JupyterMessage[] }
  | { kind: 'kernel-died'; iopub: JupyterMessage[] };

export interface Kernel {
  /** Runs one cell; on timeout interrupts it (SIGINT, as Jupyter does) and gives up after a grace period. */
  execute(code: string, timeoutMs: number): Promise<ExecuteOutcome>;
  /** Asks the kernel to stop, then kills its whole process group, children of the notebook included. */
  shutdown(): Promise<void>;
  /** What the kernel process wrote outside any cell (its own crashes and warnings), and how it ended. */
  log(): string;
  /** The first line of every error the runner's hooks (index.ts, STRAY_HOOKS) wrote to the kernel's
   *  stderr so far: an exception thrown in a timer or a callback, a promise rejected that nothing
   *  awaited. The cell that started it was answered ok, and tslab prints such errors nowhere. */
  strayErrors(): readonly string[];
}

/** How the runner's hooks begin each error they write (index.ts, STRAY_HOOKS). */
export const STRAY_MARK = 'STATELAB_STRAY ';

/** A request in flight: done when its reply (shell) and its `idle` status (iopub) have both arrived. */
interface Waiter {
  reply?: Record<string, unknown>;
  idle: boolean;
  iopub: JupyterMessage[];
  done: () => void;
}

const KERNEL_PROCESS = fileURLToPath(new URL('./kernel-process.cjs', import.meta.url));
const INTERRUPT_GRACE_MS = 2_000;
const SHUTDOWN_GRACE_MS = 1_000;
const LOG_LIMIT = 20_000;

// Kernels run in their own process group so a kill reaches the servers a notebook started, too.
// Windows has no process groups; there the kernel process alone is killed.
const groups = process.platform !== 'win32';
const liveKernels = new Set<number>();
let exitHookInstalled = false;

function killKernel(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(groups ? -pid : pid, signal);
  } catch {
    // Already gone: nothing to kill.
  }
}

/** A kernel that exited while starting because a port picked for it was taken meanwhile. */
class PortTaken extends Error {}

/** How many times a kernel is started on new ports when another process took one of its ports. */
const PORT_ATTEMPTS = 3;

/**
 * A tslab kernel in `cwd`, ready to execute. Its ports are free when picked and bound by the
 * kernel a moment later (as jupyter_client does it), so another process can take one in between:
 * then it starts again on new ones, up to PORT_ATTEMPTS times. `pickPorts` is for tests.
 */
export async function startKernel(
  cwd: string,
  readyTimeoutMs = 60_000,
  pickPorts: (count: number) => Promise<number[]> = freePorts,
): Promise<Kernel> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(cwd, readyTimeoutMs, await pickPorts(5));
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(cwd: string, readyTimeoutMs: number, ports: number[]): Promise<Kernel> {
  const key = randomBytes(32).toString('hex');
  const session = randomUUID();
  const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = ports;
  // Random name, created only if absent, readable by this user only: the key in it runs code.
  const connectionFile = join(tmpdir(), `statelab-kernel-${session}.json`);
  const connection = {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: shellPort,
    iopub_port: iopubPort,
    stdin_port: stdinPort,
    control_port: controlPort,
    hb_port: hbPort,
    key,
    signature_scheme: 'hmac-sha256',
    kernel_name: 'tslab',
  };
  writeFileSync(connectionFile, JSON.stringify(connection), { mode: 0o600, flag: 'wx' });

  // cwd is the notebook's folder, as Jupyter does it: tslab type-checks cells with rootDir = cwd.
  // kernel-process.cjs is tslab plus a watchdog that stops everything if this process dies.
  const child = spawn(
    process.execPath,
    [KERNEL_PROCESS, 'kernel', '--config-path', connectionFile],
    {
      cwd,
      detached: groups,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the tslab kernel (${KERNEL_PROCESS})`);
  liveKernels.add(pid);
  if (!exitHookInstalled) {
    // When the runner exits normally (a test timeout, an error), stop its kernels at once rather
    // than leave it to their watchdogs.
    process.once('exit', () => liveKernels.forEach((p) => killKernel(p, 'SIGKILL')));
    exitHookInstalled = true;
  }

  let log = '';
  const keepLog = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-LOG_LIMIT));
  child.stdout.on('data', keepLog);
  child.stderr.on('data', keepLog);
  // Read line by line as it comes, not from the log, which keeps only its last LOG_LIMIT characters.
  const strays: string[] = [];
  let partialLine = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partialLine + chunk.toString()).split('\n');
    partialLine = lines.pop() ?? '';
    strays.push(...lines.filter((line) => line.startsWith(STRAY_MARK)));
  });
  const exited = new Promise<'exited'>((resolve) =>
    child.once('exit', (code, signal) => {
      liveKernels.delete(pid);
      log += `\n[kernel exited: ${signal ?? `code ${code}`}]`;
      resolve('exited');
    }),
  );
  let alive = true;
  void exited.then(() => (alive = false));

  const shell = new zmq.Dealer({ linger: 0 });
  const control = new zmq.Dealer({ linger: 0 });
  const iopub = new zmq.Subscriber({ linger: 0 });
  iopub.subscribe();
  const address = (port: number) => `tcp://127.0.0.1:${port}`;
  shell.connect(address(shellPort));
  control.connect(address(controlPort));
  iopub.connect(address(iopubPort));

  const waiters = new Map<string, Waiter>();
  const settleIfDone = (w: Waiter) => w.reply && w.idle && w.done();
  void readEach(shell, key, (msg) => {
    const w = waiters.get(msg.parent_header.msg_id ?? '');
    if (!w) return;
    w.reply = msg.content;
    settleIfDone(w);
  });
  void readEach(iopub, key, (msg) => {
    const w = waiters.get(msg.parent_header.msg_id ?? '');
    if (!w) return;
    if (msg.header.msg_type !== 'status') w.iopub.push(msg);
    else if (msg.content.execution_state === 'idle') w.idle = true;
    settleIfDone(w);
  });

  // A socket allows one send in flight; requests queue behind each other.
  const sending = new Map<zmq.Dealer, Promise<unknown>>();
  function request(socket: zmq.Dealer, msgType: string, content: Record<string, unknown>) {
    const msg = newMessage(session, msgType, content);
    const waiter: Waiter = { idle: false, iopub: [], done: () => {} };
    const done = new Promise<'done'>((resolve) => (waiter.done = () => resolve('done')));
    waiters.set(msg.header.msg_id, waiter);
    const sent = (sending.get(socket) ?? Promise.resolve())
      .then(() => socket.send(encode(key, msg)))
      .catch(() => {});
    sending.set(socket, sent);
    return { waiter, done, forget: () => waiters.delete(msg.header.msg_id) };
  }

  const shutdown = async (): Promise<void> => {
    if (alive) {
      const { done, forget } = request(control, 'shutdown_request', { restart: false });
      await within(SHUTDOWN_GRACE_MS, done, exited);
      forget();
    }
    killKernel(pid, 'SIGKILL');
    await within(SHUTDOWN_GRACE_MS, exited);
    for (const socket of [shell, control, iopub]) socket.close();
    child.stdout.destroy();
    child.stderr.destroy();
    rmSync(connectionFile, { force: true });
  };

  // Ready means both directions work: a kernel_info_reply on shell and its `idle` on iopub.
  // Asking again covers the iopub subscription that joined after the first status was published.
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const { done, forget } = request(shell, 'kernel_info_request', {});
    const answer = await within(500, done, exited);
    forget();
    if (answer === 'done') break;
    // tslab reports a port it cannot bind and goes on without it, never ready.
    const portTaken = /address already in use|EADDRINUSE/i.test(log);
    if (answer === 'exited' || portTaken || Date.now() > deadline) {
      await shutdown();
      const why = portTaken
        ? 'could not bind a port another process had taken'
        : answer === 'exited'
          ? 'exited while starting'
          : `was not ready after ${readyTimeoutMs} ms`;
      const message = `the tslab kernel ${why} (cwd ${cwd}, ports ${ports.join(', ')})\n${log}`;
      if (portTaken) throw new PortTaken(message);
      throw new Error(message);
    }
  }

  return {
    async execute(code, timeoutMs) {
      const { waiter, done, forget } = request(shell, 'execute_request', {
        code,
        silent: false,
        store_history: true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: true,
      });
      try {
        const answer = await within(timeoutMs, done, exited);
        if (answer === 'timeout') {
          // tslab runs cells with breakOnSigint, so SIGINT stops even `while (true) {}`.
          child.kill('SIGINT');
          await within(INTERRUPT_GRACE_MS, done, exited);
          return { kind: 'timed-out', iopub: waiter.iopub };
        }
        if (answer === 'exited') return { kind: 'kernel-died', iopub: waiter.iopub };
        return { kind: 'replied', reply: waiter.reply!, iopub: waiter.iopub };
      } finally {
        forget();
      }
    },
    shutdown,
    log: () => log,
    strayErrors: () => strays,
  };
}

/** Delivers each signed message from a socket until the socket is closed. */
async function readEach(
  socket: zmq.Dealer | zmq.Subscriber,
  key: string,
  deliver: (msg: JupyterMessage) => void,
): Promise<void> {
  try {
    for await (const frames of socket) {
      try {
        deliver(decode(key, frames));
      } catch {
        // A frame that is not a valid signed message is not ours to act on.
      }
    }
  } catch {
    // Closing the socket ends the loop.
  }
}

/** Ports the OS says are free right now; the kernel binds them a moment later (as jupyter_client does). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** The first of the promises to settle, or 'timeout'; the timer is cleared so it cannot hold the process. */
async function within<T>(ms: number, ...promises: Promise<T>[]): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, ms, 'timeout')));
  try {
    return await Promise.race([...promises, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
