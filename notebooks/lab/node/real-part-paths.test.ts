// The launchers write their configs into a temp folder under TMPDIR, which is the user's and may
// hold spaces ("/Users/Ada Lovelace/tmp"). Each path they write into a config is quoted; before
// it was, HAProxy ("'stats socket' : unknown keyword"), nginx ("invalid number of arguments in
// \"pid\"") and redis-sentinel ("wrong number of arguments") refused to start there.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHaproxyConfig, haproxyTestGate, startHaproxy } from './haproxy-server';
import { checkNginxConfig, nginxTestGate, startNginx } from './nginx-server';
import { redisTestGate, startRedis } from './redis-server';
import { sentinelTestGate, startSentinels } from './sentinel-server';

const upstreams = { 'app-1:3000': '127.0.0.1:1' };
const HAPROXY = `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    default-server init-addr last,libc,none
frontend web
    bind :80
    default_backend shop
backend shop
    server app-1 app-1:3000
`;
const NGINX = `upstream shop { server app-1:3000; }
server { listen 80; location / { proxy_pass http://shop; } }
`;

let spaced: string;
let before: string | undefined;
beforeAll(() => {
  spaced = mkdtempSync(join(tmpdir(), 'statelab paths with spaces '));
  before = process.env.TMPDIR;
  process.env.TMPDIR = spaced; // os.tmpdir() reads it at each call
});
afterAll(() => {
  if (before === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
  rmSync(spaced, { recursive: true, force: true });
});

describe('with a temp folder whose path holds spaces', () => {
  it.runIf(haproxyTestGate(undefined, undefined, () => undefined).run)(
    'HAProxy checks a config, starts, and stops, leaving nothing behind',
    async () => {
      expect(tmpdir()).toContain(' ');
      expect((await checkHaproxyConfig(HAPROXY)).code).toBe(0);
      const haproxy = await startHaproxy({ config: HAPROXY, upstreams });
      await haproxy.stop();
      expect(readdirSync(spaced)).toEqual([]);
    },
  );

  it.runIf(nginxTestGate(undefined, undefined, () => undefined).run)(
    'nginx checks a config, starts, and stops, leaving nothing behind',
    async () => {
      expect(tmpdir()).toContain(' ');
      const check = await checkNginxConfig({ config: NGINX, upstreams });
      expect(check.output).toMatch(/test is successful/);
      expect(check.code).toBe(0);
      const nginx = await startNginx({ config: NGINX, upstreams });
      await nginx.stop();
      expect(readdirSync(spaced)).toEqual([]);
    },
  );

  it.runIf(
    sentinelTestGate(undefined, undefined, () => undefined).run &&
      redisTestGate(undefined, undefined, () => undefined).run,
  )('redis-sentinel starts, and stops, leaving nothing behind', async () => {
    expect(tmpdir()).toContain(' ');
    const primary = await startRedis();
    try {
      const sentinels = await startSentinels({ primaryPort: primary.port, count: 1, quorum: 1 });
      await sentinels.stop();
    } finally {
      await primary.stop();
      rmSync(primary.dir, { recursive: true, force: true });
    }
    expect(readdirSync(spaced)).toEqual([]);
  });
});
