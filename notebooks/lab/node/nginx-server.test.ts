import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ShopClient } from './client';
import {
  findNginx,
  localConfig,
  nginxTestGate,
  startNginx,
  type RunningNginx,
} from './nginx-server';
import { startServer, type RunningServer } from './server';

const SITE = `upstream shop {
    server app-1:3000 max_fails=3 fail_timeout=10s;
    server app-2:3000 backup;
}

server {
    listen 80;
    location / { proxy_pass http://shop; }
}
`;

describe('localConfig', () => {
  const here = { 'app-1:3000': '127.0.0.1:4001', 'app-2:3000': '127.0.0.1:4002' };

  it('listens on 127.0.0.1 and points each upstream server at the lab server, nothing else changed', () => {
    expect(localConfig(SITE, here, 5000)).toBe(
      SITE.replace('listen 80', 'listen 127.0.0.1:5000')
        .replace('app-1:3000', '127.0.0.1:4001')
        .replace('app-2:3000', '127.0.0.1:4002'),
    );
  });

  it('refuses a config that names a server it was not told about, or lacks one it was', () => {
    expect(() => localConfig(SITE, { 'app-1:3000': '127.0.0.1:4001' }, 5000)).toThrow(
      /names upstream server app-2:3000, which was not given/,
    );
    expect(() => localConfig(SITE, { ...here, 'app-3:3000': '127.0.0.1:4003' }, 5000)).toThrow(
      /has no upstream server app-3:3000/,
    );
  });

  it('refuses a config without exactly one listen directive', () => {
    expect(() => localConfig(SITE.replace('listen 80;', ''), here, 5000)).toThrow(/one listen/);
    expect(() =>
      localConfig(SITE.replace('listen 80;', 'listen 80; listen 81;'), here, 5000),
    ).toThrow(/one listen directive, not 2/);
  });
});

describe('nginxTestGate', () => {
  const missing = { available: false, why: 'nginx was not found; `apt-get install nginx`' };

  it('runs the nginx tests when nginx exists', () => {
    expect(nginxTestGate({}, { available: true })).toEqual({ run: true });
  });

  it('skips them outside CI, with a printed line saying what to install', () => {
    const lines: string[] = [];
    expect(nginxTestGate({}, missing, (line) => lines.push(line))).toEqual({ run: false });
    expect(lines).toEqual([expect.stringMatching(/^skipped: .*apt-get install nginx/)]);
  });

  it('fails them in CI, where every real part is mandatory', () => {
    const gate = nginxTestGate({ CI: 'true' }, missing, () => undefined);
    expect(gate.run).toBe(false);
    expect(gate.failure).toMatch(/nginx was not found.*CI must run them/);
  });
});

const gate = nginxTestGate();

// The one gate test for every nginx test file: it fails in CI when nginx is missing, and it is
// skipped only outside CI without nginx, so in CI the nginx tests never skip silently.
it.skipIf(!gate.run && gate.failure === undefined)('has nginx (CI runs the nginx tests)', () => {
  if (gate.failure) throw new Error(gate.failure);
  expect(findNginx()).toBeDefined();
});

describe.runIf(gate.run)('startNginx', () => {
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const part of started.reverse()) await part.stop();
  });

  const hello = (name: string) =>
    startServer({
      name,
      app: () => (_req, res) => res.writeHead(200, { 'x-served-by': name }).end('hello'),
    });

  it('proxies on 127.0.0.1 to the lab servers, fails over to a backup, and stops cleanly', async () => {
    const servers: RunningServer[] = [await hello('app-1'), await hello('app-2')];
    started.push(...servers);
    const nginx: RunningNginx = await startNginx({
      config: SITE,
      upstreams: {
        'app-1:3000': `127.0.0.1:${servers[0].port}`,
        'app-2:3000': `127.0.0.1:${servers[1].port}`,
      },
    });
    started.push(nginx);
    expect(nginx.url).toBe(`http://127.0.0.1:${nginx.port}`);
    const client = new ShopClient(nginx.url);
    expect((await client.get('/')).servedBy).toBe('app-1');
    void servers[0].kill();
    expect((await client.get('/')).servedBy).toBe('app-2');
    expect(nginx.errorLog()).toMatch(/connect\(\) failed \(111: Connection refused\)/);

    await nginx.stop();
    expect(existsSync(nginx.dir)).toBe(false);
    expect(() => process.kill(nginx.pid, 0)).toThrow(); // the master is gone
    expect((await new ShopClient(nginx.url).get('/')).error).toBe('ECONNREFUSED');
  });

  it('rejects with nginx’s own message when the config is wrong', async () => {
    await expect(
      startNginx({
        config: 'server {\n    listen 80;\n    no_such_directive on;\n}\n',
        upstreams: {},
      }),
    ).rejects.toThrow(/unknown directive "no_such_directive"/);
  });
});
