// Starts a real HAProxy (Debian's) as a child process on 127.0.0.1, in front of the lab's servers,
// with a committed config such as notebooks/deploy/haproxy/shop-sticky.cfg. Only its addresses
// change: the file under test is the file the course shows. The launcher adds a `global` section
// of its own (a stats socket in the temp folder), so the run can ask HAProxy what its active
// health checks currently think of each server.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { configLines, onFreePort, realPart, spawnPart, waitUntilReady } from './real-part';
import { tempFolder } from './exit-cleanup';

const haproxy = realPart({
  program: 'haproxy',
  alsoIn: ['/usr/sbin', '/usr/bin'],
  aptPackage: 'haproxy',
  runs: 'the HAProxy parts',
  tests: 'HAProxy tests need a real HAProxy',
});
export const findHaproxy = haproxy.find;
export const haproxyAvailability = haproxy.availability;
/** The gate for tests that need HAProxy: skipped with a line outside CI, failed in CI. */
export const haproxyTestGate = haproxy.testGate;

/**
 * A config made to run here: its one `bind` becomes 127.0.0.1:`port`, and the address of each
 * `server <name> <address>` line named in `upstreams` (e.g. `app-1:3000`) becomes the lab
 * server's. Throws when the config names an address it was not given, or lacks one it was given.
 */
export function localHaproxyConfig(
  config: string,
  upstreams: Record<string, string>,
  port: number,
): string {
  const lines = configLines(config); // directives only, never comments
  let binds = 0;
  const used = new Set<string>();
  for (const line of lines) {
    line.code = line.code.replace(/^(\s*bind\s+)\S+/, (_, head: string) => {
      binds += 1;
      return `${head}127.0.0.1:${port}`;
    });
    const server = /^(\s*server\s+\S+\s+)(\S+)/.exec(line.code);
    if (!server) continue;
    const [, head, address] = server;
    const here = upstreams[address];
    if (!here) throw new Error(`the config names server address ${address}, which was not given`);
    used.add(address);
    line.code = head + here + line.code.slice(head.length + address.length);
  }
  if (binds !== 1) throw new Error(`the config must have one bind line, not ${binds}`);
  for (const address of Object.keys(upstreams))
    if (!used.has(address)) throw new Error(`the config has no server at ${address}`);
  return lines.text();
}

export interface HaproxyOptions {
  /** The config's text, e.g. readFileSync('notebooks/deploy/haproxy/shop-sticky.cfg'). */
  config: string;
  /** Where each server address of the config is here: { 'app-1:3000': '127.0.0.1:41234' }. */
  upstreams: Record<string, string>;
}

export interface RunningHaproxy {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The temp folder with global.cfg, site.cfg and the stats socket. */
  readonly dir: string;
  /** What each server's health checks say right now, from the stats socket: { 'app-1': 'UP' }. */
  serverStatus(): Promise<Record<string, string>>;
  /** What HAProxy has printed so far (its warnings and alerts). */
  output(): string;
  /** SIGTERM (HAProxy stops at once), waits until it has exited, removes `dir`. */
  stop(): Promise<void>;
}

/** `haproxy -c`: HAProxy's own check of a config. Resolves its exit code and what it printed. */
export async function checkHaproxyConfig(
  config: string,
): Promise<{ code: number; output: string }> {
  const binary = findHaproxy();
  if (!binary) throw new Error(`cannot check the config: ${haproxyAvailability().why}`);
  const dir = tempFolder('statelab-haproxy-check-');
  try {
    writeFileSync(join(dir, 'site.cfg'), config);
    const part = spawnPart(binary, ['-c', '-f', join(dir, 'site.cfg')], 'SIGKILL');
    await part.exited;
    return { code: part.child.exitCode ?? -1, output: part.output() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startHaproxy(options: HaproxyOptions): Promise<RunningHaproxy> {
  const binary = findHaproxy();
  if (!binary) throw new Error(`cannot start HAProxy: ${haproxyAvailability().why}`);
  return onFreePort((port) => launch(binary, options, port), /cannot bind|Address already in use/);
}

const READY_MS = 30_000;

async function launch(binary: string, options: HaproxyOptions, port: number) {
  const dir = tempFolder('statelab-haproxy-');
  const socket = join(dir, 'admin.sock');
  writeFileSync(
    join(dir, 'global.cfg'),
    // Quoted: the temp folder's path may hold spaces (TMPDIR is the user's).
    `global\n    stats socket ${JSON.stringify(socket)} mode 600 level admin\n`,
  );
  writeFileSync(join(dir, 'site.cfg'), localHaproxyConfig(options.config, options.upstreams, port));
  // -db: in the foreground, one process, no daemon; its pid is the child's.
  const args = ['-db', '-f', join(dir, 'global.cfg'), '-f', join(dir, 'site.cfg')];
  const part = spawnPart(binary, args, 'SIGTERM');
  const { child, exited } = part;

  // Ready when the HAProxy we started answers on its own socket with its own pid (a connection
  // to the port could reach whoever else took it).
  let lastAnswer = '';
  const ready = async () => {
    lastAnswer = await ask(socket, 'show info');
    return lastAnswer.includes(`\nPid: ${child.pid}\n`);
  };
  // Up to 30 s: at once when idle, but a machine busy with other work can take seconds (as for
  // Redis, redis-server.ts); the wait ends as soon as HAProxy answers.
  const started = await waitUntilReady(part, ready, READY_MS);
  if (started !== 'ready') {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    const why =
      started === 'exited'
        ? 'HAProxy exited before it was ready'
        : `HAProxy not ready within ${READY_MS / 1000} s (stats socket ${existsSync(socket) ? 'present' : 'absent'}, last answer ${JSON.stringify(lastAnswer.slice(0, 200))})`;
    throw new Error(`${why}:\n${part.output()}`);
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    dir,
    output: part.output,
    async serverStatus() {
      // `show stat` is CSV: # pxname,svname,...,status,... ; one row per frontend, server, backend.
      const [header, ...rows] = (await ask(socket, 'show stat')).trim().split('\n');
      const columns = header.replace(/^# /, '').split(',');
      const [name, status] = [columns.indexOf('svname'), columns.indexOf('status')];
      const result: Record<string, string> = {};
      for (const row of rows) {
        const cells = row.split(',');
        if (!['FRONTEND', 'BACKEND'].includes(cells[name])) result[cells[name]] = cells[status];
      }
      return result;
    },
    async stop() {
      if (!part.hasExited()) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  } satisfies RunningHaproxy;
}

/** Sends one command to HAProxy's stats socket; resolves its whole answer ('' on any error). */
function ask(socket: string, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const connection = connect(socket);
    let answer = '';
    const done = () => {
      connection.destroy();
      resolve(answer);
    };
    connection.setTimeout(timeoutMs, () => {
      answer = '';
      done();
    });
    connection.once('error', () => {
      answer = '';
      done();
    });
    connection.once('connect', () => connection.write(`${command}\n`));
    connection.on('data', (chunk) => void (answer += chunk.toString()));
    connection.once('end', done);
  });
}
