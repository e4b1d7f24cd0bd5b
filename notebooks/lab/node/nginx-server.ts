// Starts a real nginx (Debian's) as a child process on 127.0.0.1, in front of the lab's servers,
// with a committed site config such as notebooks/deploy/nginx/shop-sticky.conf. Only its ports
// change: the file under test is the file the course shows. nginx keeps no user state of its
// own here; what it keeps (which servers failed lately) lives in its worker's memory.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configLines, onFreePort, realPart, spawnPart, waitUntilReady } from './real-part';
import { tempFolder } from './exit-cleanup';

const nginx = realPart({
  program: 'nginx',
  alsoIn: ['/usr/sbin', '/usr/bin'],
  aptPackage: 'nginx',
  runs: 'the nginx parts',
  tests: 'nginx tests need a real nginx',
});
export const findNginx = nginx.find;
export const nginxAvailability = nginx.availability;
/** The gate for tests that need nginx: skipped with a line outside CI, failed in CI. */
export const nginxTestGate = nginx.testGate;

/**
 * A site config (what goes in nginx's http {} block) made to run here: its one `listen` becomes
 * 127.0.0.1:`port`, and each upstream address in `upstreams` (e.g. `app-1:3000`) becomes the
 * lab server's address. Throws when the config names an address it was not given, or lacks one
 * it was given: the config and the test must not drift apart silently.
 */
export function localConfig(
  config: string,
  upstreams: Record<string, string>,
  port: number,
): string {
  const lines = configLines(config); // directives only, never comments
  // Replaces each directive `pattern` matches (after its separator, group 1) by `directive`.
  const edit = (pattern: RegExp, directive: string) => {
    let count = 0;
    for (const line of lines)
      line.code = line.code.replace(pattern, (_, separator: string) => {
        count += 1;
        return separator + directive;
      });
    return count;
  };

  const listens = edit(/(^|[\s;{])listen\s+[^;]+;/g, `listen 127.0.0.1:${port};`);
  if (listens !== 1) throw new Error(`the config must have one listen directive, not ${listens}`);
  for (const [address, here] of Object.entries(upstreams)) {
    const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!edit(new RegExp(`(^|[\\s;{])server\\s+${escaped}(?=[\\s;])`, 'g'), `server ${here}`))
      throw new Error(`the config has no upstream server ${address}`);
  }
  for (const { code } of lines) {
    for (const [, address] of code.matchAll(/(?:^|[\s;{])server\s+([^\s{;]+)/g)) {
      if (!address.startsWith('127.0.0.1:'))
        throw new Error(`the config names upstream server ${address}, which was not given`);
    }
  }
  return lines.text();
}

export interface NginxOptions {
  /** The site config's text, e.g. readFileSync('notebooks/deploy/nginx/shop-sticky.conf'). */
  config: string;
  /** Where each upstream address of the config is here: { 'app-1:3000': '127.0.0.1:41234' }. */
  upstreams: Record<string, string>;
}

export interface RunningNginx {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** The master process's id. */
  readonly pid: number;
  /** The temp folder with nginx.conf, site.conf, error.log and nginx's temp files. */
  readonly dir: string;
  /** What nginx has written to its error log so far. */
  errorLog(): string;
  /** Fast shutdown (SIGTERM to the master, which stops its worker); waits, then removes `dir`. */
  stop(): Promise<void>;
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const binary = findNginx();
  if (!binary) throw new Error(`cannot start nginx: ${nginxAvailability().why}`);
  return onFreePort((port) => launch(binary, options, port), /Address already in use/);
}

/** Starts nginx on `port`; resolves once its master has bound the port and started its worker. */
async function launch(binary: string, options: NginxOptions, port: number): Promise<RunningNginx> {
  const dir = tempFolder('statelab-nginx-');
  chmodSync(dir, 0o755); // run as root, nginx's worker is `nobody`: it needs to reach its temp dirs
  writeFileSync(join(dir, 'site.conf'), localConfig(options.config, options.upstreams, port));
  writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir));
  const errorLog = join(dir, 'error.log');
  const readLog = () => {
    try {
      return readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  // -p: every relative path is under dir; -e: even the first lines go to our log, not /var/log.
  const args = ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', errorLog];
  // SIGTERM, not SIGKILL, if this process exits first: a killed master would leave its worker
  // running, still listening.
  const master = spawnPart(binary, args, 'SIGTERM');
  const { child, exited } = master;

  // Ready when nginx itself says so (a connection could reach whoever else took the port).
  const started = await waitUntilReady(
    master,
    () => /start worker process/.test(readLog()),
    30_000, // at once when idle; seconds on a machine busy with other work
  );
  if (started !== 'ready') {
    child.kill('SIGTERM');
    await exited;
    const log = readLog();
    rmSync(dir, { recursive: true, force: true });
    const why =
      started === 'exited' ? 'nginx exited before it listened' : 'nginx did not start within 30 s';
    throw new Error(`${why}:\n${master.output()}${log}`);
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    dir,
    errorLog: readLog,
    async stop() {
      if (!master.hasExited()) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `nginx -t`: nginx's own check of a site config, made to run here (localConfig: nginx resolves
 * every upstream name when it loads a config, and app-1 resolves only inside the cluster).
 * Resolves its exit code and what it printed.
 */
export async function checkNginxConfig(
  options: NginxOptions,
): Promise<{ code: number; output: string }> {
  const binary = findNginx();
  if (!binary) throw new Error(`cannot check the config: ${nginxAvailability().why}`);
  const dir = tempFolder('statelab-nginx-check-');
  try {
    writeFileSync(join(dir, 'site.conf'), localConfig(options.config, options.upstreams, 80));
    writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir));
    const args = [
      '-t',
      '-p',
      `${dir}/`,
      '-c',
      join(dir, 'nginx.conf'),
      '-e',
      join(dir, 'error.log'),
    ];
    const part = spawnPart(binary, args, 'SIGKILL');
    await part.exited;
    return { code: part.child.exitCode ?? -1, output: part.output() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** nginx.conf: one worker in the foreground, everything it writes inside `dir`. Each path is
 *  quoted: the temp folder's path may hold spaces (TMPDIR is the user's). */
function mainConfig(dir: string): string {
  const at = (file: string) => JSON.stringify(`${dir}/${file}`);
  return `daemon off;
worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} notice;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path ${at('client_body')};
    proxy_temp_path ${at('proxy')};
    fastcgi_temp_path ${at('fastcgi')};
    uwsgi_temp_path ${at('uwsgi')};
    scgi_temp_path ${at('scgi')};
    include ${at('site.conf')};
}
`;
}
