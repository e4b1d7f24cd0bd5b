// A crashed server's port must stay refused and must not be handed to another program while the
// balancer may still send it customers (port-hold.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './server';

const refusedOrAnswered = (port: number) =>
  new Promise<string>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('error', (error: Error & { code?: string }) => done(error.code ?? error.message));
  });

describe('a killed server keeps its port', () => {
  it('refuses connections while down, and restart() listens on the same port again', async () => {
    const server = await startServer({ name: 'app-1', app: () => (_req, res) => res.end('hi') });
    const port = server.port;
    for (let round = 0; round < 3; round++) {
      await server.kill();
      expect(await refusedOrAnswered(port)).toBe('ECONNREFUSED');
      await server.restart();
      expect(server.port).toBe(port);
      expect(await (await fetch(server.url)).text()).toBe('hi');
    }
    await server.stop();
    expect(await refusedOrAnswered(port)).toBe('ECONNREFUSED');
  });

  it('lets a process that killed servers end by itself (a hold keeps nothing running)', () => {
    const script = [
      "const { startServer } = require('./server');",
      '(async () => {',
      "  const s = await startServer({ name: 'a', app: () => (_q, r) => r.end() });",
      '  s.kill();',
      "  const t = await startServer({ name: 'b', app: () => (_q, r) => r.end() });",
      "  await t.stop(); console.log('done');",
      '})();',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: __dirname,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('done');
    expect(run.signal, 'still running after 30 s: a hold kept it alive').toBeNull();
    expect(run.status).toBe(0);
  });
});

// The property itself needs an OS that hands out few ports, so that a free port is handed out
// again at once: a network namespace of our own (unshare, as root or with user namespaces).
const NETNS = ['-rn', 'sh', '-c'];
const SETUP = 'ip link set lo up && echo "40000 40005" > /proc/sys/net/ipv4/ip_local_port_range';
const canUnshare = spawnSync('unshare', [...NETNS, SETUP], { encoding: 'utf8' }).status === 0;
if (!canUnshare && !process.env.CI) {
  console.warn('port-hold: skipped the port-reuse test: `unshare -rn` with `ip` is not available');
}

describe.skipIf(!canUnshare && !process.env.CI)('on an OS that hands out six ports', () => {
  it('gives a killed server’s port to nobody else until it restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-port-hold-'));
    try {
      const script = resolve(__dirname, 'port-hold.netns.ts');
      const node = `"${process.execPath}" --import tsx "${script}" "${join(dir, 'shop.sqlite')}"`;
      const run = spawnSync('unshare', [...NETNS, `${SETUP} && ${node}`], {
        cwd: resolve(__dirname, '../..'),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const seen = JSON.parse(run.stdout.trim().split('\n').pop()!);
      // Without a hold the OS hands the freed port out again: the test can see reuse.
      expect(seen.unheld, 'the narrow range did not make the OS reuse a port').toBeGreaterThan(0);
      expect(seen).toMatchObject({
        killed: 0,
        refused: 'ECONNREFUSED',
        restarted: 'app-1',
        stopped: 0,
        processKilled: 0,
        processRestarted: 200,
        whileRestarting: { work: 'done', given: 0 },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
