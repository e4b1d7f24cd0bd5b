import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ShopClient } from './client';
import { haproxyTestGate, localHaproxyConfig, startHaproxy } from './haproxy-server';
import { startServer } from './server';

const CONFIG = `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

frontend web
    bind :80   # the one bind
    default_backend shop

backend shop
    server app-1 app-1:3000 check inter 1s
    server app-2 app-2:3000 backup
`;

describe('localHaproxyConfig', () => {
  const here = { 'app-1:3000': '127.0.0.1:4001', 'app-2:3000': '127.0.0.1:4002' };

  it('binds 127.0.0.1 and points each server at the lab server, nothing else changed', () => {
    expect(localHaproxyConfig(CONFIG, here, 5000)).toBe(
      CONFIG.replace('bind :80', 'bind 127.0.0.1:5000')
        .replace('app-1 app-1:3000', 'app-1 127.0.0.1:4001')
        .replace('app-2 app-2:3000', 'app-2 127.0.0.1:4002'),
    );
  });

  it('refuses a config that names a server it was not told about, or lacks one it was', () => {
    expect(() => localHaproxyConfig(CONFIG, { 'app-1:3000': '127.0.0.1:4001' }, 5000)).toThrow(
      /names server address app-2:3000, which was not given/,
    );
    expect(() =>
      localHaproxyConfig(CONFIG, { ...here, 'app-3:3000': '127.0.0.1:4003' }, 5000),
    ).toThrow(/has no server at app-3:3000/);
  });

  it('refuses a config without exactly one bind line', () => {
    expect(() => localHaproxyConfig(CONFIG.replace('    bind :80', ''), here, 5000)).toThrow(
      /one bind line, not 0/,
    );
  });
});

describe('haproxyTestGate', () => {
  const missing = { available: false, why: 'haproxy was not found; `apt-get install haproxy`' };

  it('skips outside CI with a printed line saying what to install, fails in CI', () => {
    const lines: string[] = [];
    expect(haproxyTestGate({}, missing, (line) => lines.push(line))).toEqual({ run: false });
    expect(lines).toEqual([expect.stringMatching(/^skipped: .*apt-get install haproxy/)]);
    const ci = haproxyTestGate({ CI: 'true' }, missing, () => undefined);
    expect(ci.failure).toMatch(/haproxy was not found.*CI must run them/);
    expect(haproxyTestGate({}, { available: true })).toEqual({ run: true });
  });
});

const gate = haproxyTestGate();

describe.runIf(gate.run)('startHaproxy (real HAProxy)', () => {
  it('proxies to the lab server on 127.0.0.1, reports its checks, and stop() ends its process', async () => {
    // Each answers every request with its name, as the shop does.
    const named = (name: string) => () => (_req: unknown, res: ServerResponse) => {
      res.setHeader('x-served-by', name);
      res.end('ok');
    };
    const app1 = await startServer({ name: 'app-1', app: named('app-1') });
    const app2 = await startServer({ name: 'app-2', app: named('app-2') });
    const haproxy = await startHaproxy({
      config: CONFIG,
      upstreams: { 'app-1:3000': `127.0.0.1:${app1.port}`, 'app-2:3000': `127.0.0.1:${app2.port}` },
    });
    try {
      expect(haproxy.url).toBe(`http://127.0.0.1:${haproxy.port}`);
      const reply = await new ShopClient(haproxy.url).request('GET', '/health');
      expect(reply.servedBy).toBe('app-1'); // app-2 is a backup
      // app-2 has no `check`: HAProxy reports it as "no check".
      expect(await haproxy.serverStatus()).toEqual({ 'app-1': 'UP', 'app-2': 'no check' });
    } finally {
      await haproxy.stop();
      await app1.stop();
      await app2.stop();
    }
    expect(() => process.kill(haproxy.pid, 0)).toThrow(); // no such process any more
    expect(existsSync(haproxy.dir)).toBe(false);
  });
});
