// One shop server as an OS process of its own: `node --import tsx process-shop.ts`, with its own
// memory, its own event loop and a pid. kill() is a real SIGKILL: the process ends at once, with
// no chance to finish a request, flush or say goodbye; what it kept in memory is gone.
// Where its sessions and carts live is the storeUrl: none (its own memory: stateful), a SQLite
// file or a Redis that every process shares (stateless). The catalogue is a SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { holdPort, startKeeper, type PortHold } from './port-hold';
import type { RunningServer } from './server';

export interface ProcessServerOptions {
  name: string;
  /** `sqlite:/absolute/file` or `redis://host:port`; none: the process's own memory (stateful). */
  storeUrl?: string;
  /** The SQLite catalogue (products, orders) every server process opens. */
  catalogFile: string;
  /** How the process changes a cart: 'update' (atomic, the default) or 'get-then-set' (the
   *  naive read-modify-write that loses concurrent adds: race-stores.ts). */
  cartWrites?: 'update' | 'get-then-set';
  /** 0 (the default) lets the OS choose; restart() reuses the port the server had. */
  port?: number;
  /** How long the process may take to print {"listening":PORT}. Default 15 s. */
  startTimeoutMs?: number;
}

export interface ProcessServer extends RunningServer {
  /** The OS process id of the current run (a restart gets a new one). */
  readonly pid: number;
  /** What the process wrote to stderr (its errors), the last 64 KiB. */
  stderr(): string;
}

const ROOT = resolve(__dirname, '../..');
const ENTRY = resolve(__dirname, 'process-shop.ts');

export async function startProcessServer(options: ProcessServerOptions): Promise<ProcessServer> {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let port = options.port ?? 0;
  let pid = 0;
  let stderr = '';
  // While no process listens, the port stays refused and is not given to anyone else; a restart
  // keeps it held until the new process listens. (A hold is a connection, not a listener: a server
  // that asks for that very port may listen on it, and only the OS's "any free port" passes it by.)
  let hold: PortHold | undefined;
  const holdTheDeadPort = () => {
    hold = holdPort(port);
  };

  const launch = () =>
    new Promise<void>((ready, fail) => {
      // #region spawn-shop-process
      const proc = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          ENTRY,
          options.name,
          options.catalogFile,
          options.storeUrl || '-',
          String(port),
          options.cartWrites ?? 'update',
        ],
        { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
      );
      // #endregion spawn-shop-process
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        fail(new Error(`${options.name} did not start within ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      exited = new Promise((done) => proc.once('exit', () => done()));
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (child === proc) child = undefined;
        fail(
          new Error(
            `${options.name} exited (${signal ?? `code ${code}`}) before it listened\n${stderr}`,
          ),
        );
      });
      proc.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk).slice(-65536)));
      let out = '';
      proc.stdout!.on('data', (chunk: Buffer) => {
        if (child === proc) return; // already listening: the rest is the shop's own output
        out += chunk;
        const listening = /\{"listening":(\d+)\}/.exec(out);
        if (!listening) return;
        clearTimeout(timer);
        port = Number(listening[1]);
        pid = proc.pid!;
        child = proc;
        hold?.release(); // it listens: the port is its own again
        hold = undefined;
        ready();
      });
    });
  const timeoutMs = options.startTimeoutMs ?? 15_000;

  const kill = async () => {
    const proc = child;
    child = undefined;
    proc?.kill('SIGKILL');
    await exited; // reaped: no zombie with this pid is left
    if (proc) holdTheDeadPort();
  };

  await Promise.all([launch(), startKeeper().catch(() => {})]);
  return {
    name: options.name,
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return pid;
    },
    get alive() {
      return child !== undefined;
    },
    stderr: () => stderr,
    /** Graceful: SIGTERM; the process finishes its in-flight requests, then exits. */
    async stop() {
      const proc = child;
      child = undefined;
      if (proc) {
        proc.kill('SIGTERM');
        const forced = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(forced);
        holdTheDeadPort();
      }
      await exited;
    },
    kill,
    /** A new process on the same port: fresh memory, a new pid. */
    async restart() {
      await kill(); // the old process has released the port
      await launch();
    },
  };
}
