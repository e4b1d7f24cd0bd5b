// Starts a real Redis (Debian's redis-server) as a child process on 127.0.0.1, for experiments
// and tests. Its state lives in that process's memory, and on disk in its own temp dir only when
// you turn on the append-only file: kill() (SIGKILL) is a crash, restart() starts it again.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tempFolder } from './exit-cleanup';
import { holdPort, type PortHold } from './port-hold';
import { onFreePort, realPart, spawnPart, waitUntilReady } from './real-part';

export interface RedisOptions {
  /** Log every write to an append-only file in `dir`, so a restart can load it. Default false. */
  appendonly?: boolean;
  /** When the AOF is fsynced: every write, once a second (Redis's default), or when the OS likes. */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Where Redis keeps its files. Default: a fresh temp dir. */
  dir?: string;
  /** Start as a replica of the Redis on 127.0.0.1:port. */
  replicaof?: { port: number };
}

export interface RunningRedis {
  /** e.g. redis://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** The process id of the current redis-server (changes on restart). */
  readonly pid: number;
  /** Its data folder: a fresh temp folder unless `options.dir` named one. */
  readonly dir: string;
  /** A crash: SIGKILL. Whatever was only in this process's memory is gone. */
  kill(): void;
  /**
   * SIGSTOP: the process is frozen, neither reading nor answering, until resume(); a stand-in for a
   * replica behind a slow link or too busy to keep up. Its connections stay open.
   */
  pause(): void;
  /** SIGCONT: a paused process runs again (and reads what waited for it in its sockets). */
  resume(): void;
  /** A clean stop (SIGTERM: Redis finishes writing its AOF), then waits until the process has exited
   *  and removes the data folder if startRedis made it (one given as `options.dir` is kept). */
  stop(): Promise<void>;
  /** Starts redis-server again on the same port with the same dir (stops it first if running). */
  restart(): Promise<void>;
}

const redisServer = realPart({
  program: 'redis-server',
  alsoIn: ['/usr/bin'],
  aptPackage: 'redis-server',
  runs: 'the Redis parts',
  tests: 'Redis tests need a real Redis',
});
/** The redis-server binary: the first one on PATH, else /usr/bin/redis-server, else undefined. */
export const findRedisServer = redisServer.find;
export const redisAvailability = redisServer.availability;
/**
 * The one rule for tests that need Redis (DESIGN.md, "Real parts"): run them when redis-server
 * exists; without it, skip them with a printed line outside CI, and fail them in CI.
 * Use: `describe.runIf(gate.run)(...)` plus `it.runIf(gate.failure !== undefined)` that throws it.
 */
export const redisTestGate = redisServer.testGate;

export async function startRedis(options: RedisOptions = {}): Promise<RunningRedis> {
  const binary = findRedisServer();
  if (!binary) throw new Error(`cannot start Redis: ${redisAvailability().why}`);
  // A folder this call made is removed when the server is stopped (or this process exits); one the
  // caller gave is the caller's to keep.
  const dir = options.dir ?? tempFolder('statelab-redis-');
  const argsFor = (port: number) => [
    ...['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', ''],
    ...['--appendonly', options.appendonly ? 'yes' : 'no', '--daemonize', 'no'],
    ...(options.appendfsync ? ['--appendfsync', options.appendfsync] : []),
    // Redis waits 5 s by default before a diskless full sync, to batch replicas; one is enough here.
    ...['--repl-diskless-sync-delay', '0'],
    ...(options.replicaof ? ['--replicaof', '127.0.0.1', String(options.replicaof.port)] : []),
  ];
  // Another program may take the free port before Redis binds it: then Redis says so, and exits.
  const first = await onFreePort(async (port) => {
    const args = argsFor(port);
    return { port, args, child: await launch(binary, args, port) };
  }, /Address already in use/);
  const { port, args } = first;
  let child = first.child;
  // Once it has died, its port is held for restart() (port-hold.ts): nobody else can take it.
  let hold: PortHold | undefined;
  const holdWhenDead = (redis: ChildProcess) =>
    redis.once('exit', () => {
      if (redis === child) hold = holdPort(port);
    });
  holdWhenDead(child);

  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT'); // a paused process would hold SIGTERM until it runs again
    child.kill('SIGTERM');
    await exited;
  };
  const stop = async () => {
    await halt();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child.pid ?? -1;
    },
    kill: () => void child.kill('SIGKILL'),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop,
    async restart() {
      await halt(); // its folder stays: a restart reads what it wrote there
      // The port stays held until the new Redis listens: it may listen on a held port (a hold is a
      // connection, and both set SO_REUSEADDR), and the OS gives it to nobody else meanwhile.
      child = await launch(binary, args, port);
      hold?.release();
      hold = undefined;
      holdWhenDead(child);
    },
  };
}

/**
 * How long a started redis-server may take to answer PING. It answers in milliseconds when idle; a
 * replica first loads its primary's data (and answers LOADING meanwhile), and on a busy machine that
 * took more than 5 s. A server that cannot start exits at once, so only a hung one waits this long.
 */
const READY_WITHIN_MS = 30_000;

/** Spawns redis-server and resolves once it answers PING; rejects with its output if it exits. */
async function launch(binary: string, args: string[], port: number): Promise<ChildProcess> {
  const redis = spawnPart(binary, args, 'SIGKILL');
  const started = await waitUntilReady(redis, () => ping(port), READY_WITHIN_MS);
  if (started === 'exited') {
    const { exitCode, signalCode } = redis.child;
    throw new Error(
      `redis-server exited (${signalCode ?? exitCode}) before answering PING:\n${redis.output()}`,
    );
  }
  if (started === 'timed out') {
    redis.child.kill('SIGKILL');
    throw new Error(
      `redis-server did not answer PING on port ${port} within ${READY_WITHIN_MS / 1000} s:\n${redis.output()}`,
    );
  }
  return redis.child;
}

/** True when a Redis on 127.0.0.1:port answers PING with PONG. */
export function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
