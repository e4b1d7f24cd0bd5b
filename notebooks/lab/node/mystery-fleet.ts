// A fleet of mystery-shop servers for the notebook: each server an OS process of its own
// (mystery-process.ts) on 127.0.0.1, each start a fresh machine (a new process, an empty working
// folder), all given one shared folder of homes. kill() is a real SIGKILL. It is the Fleet the
// nemesis drives (nemesis.ts); the exercise check has its own, whose servers are watched.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openMailbox } from './mystery-server';
import type { Fleet } from './nemesis';
import { openCatalog } from './sqlite-catalog';
import { tempFolder } from './exit-cleanup';

const ENTRY = resolve(__dirname, 'mystery-process.ts');
/** tsx's require hook, by its path: a server's working folder is its own, not the project's. */
const TSX = resolve(__dirname, '../../../node_modules/tsx/dist/cjs/index.cjs');
/** How long one server may take to start. */
const START_TIMEOUT_MS = 20_000;

export interface MysteryFleet extends Fleet {
  /** Kills every server and removes the folders. */
  stop(): Promise<void>;
}

/** A fleet running the `mysteryShop` that `shopFile` exports, over fresh shared homes. */
export function mysteryFleet(shopFile: string): MysteryFleet {
  const root = tempFolder('statelab-fleet-');
  const shared = join(root, 'shared');
  mkdirSync(shared);
  openCatalog(join(shared, 'shop.sqlite')).close(); // the sample products
  const mailbox = openMailbox(shared);
  const servers = new Map<string, { child: ChildProcess; port: number }>();

  /** SIGKILL, and wait until the process is gone. */
  const kill = async (name: string) => {
    const server = servers.get(name);
    servers.delete(name);
    if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
    const gone = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await gone;
  };
  return {
    start: (name) =>
      new Promise((ready, fail) => {
        const disk = mkdtempSync(join(root, `${name}-`));
        const child = spawn(
          process.execPath,
          ['--require', TSX, ENTRY, resolve(shopFile), shared, name],
          {
            cwd: disk,
            stdio: ['pipe', 'pipe', 'pipe'],
            env: { ...process.env, NODE_OPTIONS: '' },
          },
        );
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          fail(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
        }, START_TIMEOUT_MS);
        child.stdout!.on('data', (chunk: Buffer) => {
          const listening = /\{"listening":(\d+)\}/.exec(chunk.toString());
          if (!listening) return;
          clearTimeout(timer);
          servers.set(name, { child, port: Number(listening[1]) });
          ready();
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          fail(new Error(`${name} exited (${code}) before it listened: ${stderr}`));
        });
      }),
    kill,
    async request(name, { method, path, body, sid, hopMs, hold, lastAnswer, late }) {
      const server = servers.get(name);
      if (!server) throw new Error(`${name} is not running`);
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(sid === undefined ? {} : { cookie: `sid=${sid}` }),
          ...(hopMs === undefined ? {} : { 'x-test-hop-ms': String(hopMs) }),
          ...(hold === undefined
            ? {}
            : { 'x-test-hold': hold.token, 'x-test-hold-table': hold.table }),
          ...(lastAnswer ? { 'x-test-last-answer': '1' } : {}),
          ...(late === undefined ? {} : { 'x-test-late': late }),
        },
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? (JSON.parse(text) as unknown) : undefined,
        sid: /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1],
        servedBy: res.headers.get('x-served-by') ?? undefined,
      };
    },
    mails: () => mailbox.recipients(),
    async stop() {
      await Promise.all([...servers.keys()].map(kill));
      mailbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
