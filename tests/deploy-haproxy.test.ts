// The HAProxy configs of notebooks/deploy/haproxy/ run for real: Debian's HAProxy, started from
// the committed file (only its addresses changed), in front of three lab shop servers on
// 127.0.0.1. Stateful servers keep each session in the memory of the server that logged the user
// in, so "sticky" means: every request after the login reaches that server.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Catalog } from '../notebooks/lab/core/catalog';
import {
  checkHaproxyConfig,
  haproxyTestGate,
  startHaproxy,
  type RunningHaproxy,
} from '../notebooks/lab/node/haproxy-server';
import { startServer, type RunningServer } from '../notebooks/lab/node/server';
import { lastLogin, loginServer, strays, threeShopsBehind, type FrontSite } from './front-site';
import { createShop, type Handler } from '../notebooks/lab/node/shop';
import type { CartLine, Session } from '../notebooks/lab/core/shop-types';
import { memoryStore } from '../notebooks/lab/core/store';
import {
  answersPerServer,
  createUsers,
  runRounds,
  summarize,
} from '../notebooks/lab/node/workload';

const CONFIGS = ['shop.cfg', 'shop-sticky.cfg'];
const committed = (file: string) =>
  readFileSync(new URL(`../notebooks/deploy/haproxy/${file}`, import.meta.url), 'utf8');

const USERS = 30;

type Site = FrontSite<RunningHaproxy> & { haproxy: RunningHaproxy };

/** app-1, app-2, app-3 (stateful by default) behind HAProxy. */
async function behindHaproxy(
  config: string,
  app?: (name: string, catalog: Catalog) => Handler,
): Promise<Site> {
  const site = await threeShopsBehind((upstreams) => startHaproxy({ config, upstreams }), app);
  return { ...site, haproxy: site.front };
}

const ALL_UP = { 'app-1': 'UP', 'app-2': 'UP', 'app-3': 'UP' };

/** Waits (bounded: 20 s, far more than a busy machine needs) until HAProxy's checks say every
 *  server is UP: a test that counts who answered what starts with all three in rotation. */
async function allUp(haproxy: RunningHaproxy): Promise<Record<string, string>> {
  let status: Record<string, string> = {};
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    status = await haproxy.serverStatus();
    if (Object.values(status).every((s) => s === 'UP')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

/** Runs `rounds` of the seeded workload through `url` and returns the users. */
async function workload(url: string, seed: number, rounds: number) {
  const users = createUsers(USERS, url, seed);
  await runRounds(users, { rounds });
  return users;
}

const gate = haproxyTestGate();

// The one gate test for the HAProxy tests: it fails in CI when HAProxy is missing, and it is
// skipped only outside CI without HAProxy, so in CI these tests never skip silently.
it.skipIf(!gate.run && gate.failure === undefined)(
  'has HAProxy (CI runs the HAProxy tests)',
  () => {
    if (gate.failure) throw new Error(gate.failure);
  },
);

describe.runIf(gate.run)('haproxy -c: HAProxy checks each shipped config itself', () => {
  for (const file of CONFIGS) {
    it(`${file} is valid as committed (its only warnings: app-N resolves only in the cluster)`, async () => {
      const { code, output } = await checkHaproxyConfig(committed(file));
      expect(output).toContain('Configuration file is valid');
      expect(code).toBe(0);
      const warnings = output.split('\n').filter((line) => line.includes('[WARNING]'));
      expect(warnings.length).toBe(3);
      for (const warning of warnings) expect(warning).toMatch(/could not resolve address 'app-\d'/);
    });
  }

  it('fails a config HAProxy cannot run (so the check above can fail)', async () => {
    const broken = committed('shop-sticky.cfg').replace('balance roundrobin', 'balance sideways');
    const { code, output } = await checkHaproxyConfig(broken);
    expect(code).not.toBe(0);
    expect(output).toMatch(/ALERT.*balance only supports/);
  });
});

describe.runIf(gate.run)('HAProxy resends a request the server dropped only if it is a GET', () => {
  for (const file of CONFIGS) {
    it(`${file}: a dropped GET is retried on another server, a dropped POST is never sent twice`, async () => {
      // Three servers that answer /health, and drop every other request without a word (a crash
      // while processing it), counting what reaches them.
      const seen = { GET: 0, POST: 0 };
      const dropping = () => (req: IncomingMessage, res: ServerResponse) => {
        if (req.url === '/health') return void res.end('ok');
        seen[req.method as 'GET' | 'POST'] += 1;
        req.socket.destroy();
      };
      const servers: RunningServer[] = [];
      for (const name of ['app-1', 'app-2', 'app-3'])
        servers.push(await startServer({ name, app: dropping }));
      const upstreams = Object.fromEntries(
        servers.map((s) => [`${s.name}:3000`, `127.0.0.1:${s.port}`]),
      );
      const haproxy = await startHaproxy({ config: committed(file), upstreams });
      try {
        const get = await fetch(`${haproxy.url}/products`);
        const post = await fetch(`${haproxy.url}/cart`, { method: 'POST', body: '{}' });
        expect([get.status, post.status]).toEqual([502, 502]);
        // `retries 2` with `retry-on empty-response`: the GET was tried three times; the POST
        // once (`http-request disable-l7-retry unless METH_GET || METH_HEAD`).
        expect(seen).toEqual({ GET: 3, POST: 1 });
      } finally {
        await haproxy.stop();
        for (const s of servers) await s.stop();
      }
    });
  }
});

describe.runIf(gate.run)('HAProxy in front of three shop servers (real HAProxy)', () => {
  let site: Site | undefined;
  afterEach(async () => {
    await site?.stop();
    site = undefined;
  });

  it('shop-sticky.cfg: after login, every request reaches the server that holds the session', async () => {
    site = await behindHaproxy(committed('shop-sticky.cfg'));
    expect(await allUp(site.haproxy)).toEqual(ALL_UP);
    const users = await workload(site.haproxy.url, 1, 8);

    const summary = summarize(users);
    expect(users.map(strays), 'answers from a server without the session').toEqual(
      users.map(() => 0),
    );
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed, summary.unknown]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(new Set(users.map(loginServer))).toEqual(new Set(['app-1', 'app-2', 'app-3']));
    // HAProxy's own cookie names the server (indirect: the shop never sees it).
    for (const user of users) expect(user.client.jar.get('route')).toBe(loginServer(user));
  });

  it('shop.cfg (round robin, no affinity) fails that same test in front of stateful servers', async () => {
    site = await behindHaproxy(committed('shop.cfg'));
    expect(await allUp(site.haproxy)).toEqual(ALL_UP);
    const users = await workload(site.haproxy.url, 1, 8);
    // Each request after a login reaches the session's server one time in three: about 2 in 3
    // users are logged out; fewer than a quarter would happen about once in a million runs.
    expect(summarize(users).usersForcedToLogIn).toBeGreaterThanOrEqual(USERS / 4);
    expect(users.filter((u) => strays(u) > 0).length).toBeGreaterThanOrEqual(USERS / 4);
    for (const user of users) expect(user.client.jar.get('route')).toBeUndefined();
  });

  it('shop-sticky.cfg: when the pinned server dies, its users move, log in once more, and stick again', async () => {
    site = await behindHaproxy(committed('shop-sticky.cfg'));
    expect(await allUp(site.haproxy)).toEqual(ALL_UP);
    const users = await workload(site.haproxy.url, 2, 3); // log in, browse, add
    const pinned = users.filter((u) => loginServer(u) === 'app-1');
    expect(pinned.length).toBeGreaterThan(0);
    const logLength = new Map(users.map((u) => [u, u.log.length]));

    void site.server('app-1').kill(); // a crash: nothing waits for it
    await runRounds(users, { rounds: 8 });

    const summary = summarize(users);
    expect(summary.failed, 'HAProxy redispatches a refused connection to another server').toBe(0);
    expect(summary.unknown).toBe(0);
    expect(users.filter((u) => u.losses.forcedLogins > 0)).toEqual(pinned);
    expect(pinned.map((u) => u.losses.forcedLogins)).toEqual(pinned.map(() => 1));
    expect(summary.lostCartItems).toBe(pinned.length);
    for (const user of pinned) {
      const newHome = loginServer(user);
      expect(['app-2', 'app-3']).toContain(newHome);
      expect(user.client.jar.get('route')).toBe(newHome);
      expect(strays(user, lastLogin(user))).toBe(0);
    }
    for (const user of users.filter((u) => !pinned.includes(u))) {
      expect(strays(user), `${user.name} was not on app-1 and must not move`).toBe(0);
      expect(user.log.length).toBeGreaterThan(logLength.get(user)!);
    }
    // The active checks took the dead server out (bounded wait: 50 tries of 100 ms).
    let status: Record<string, string> = {};
    for (let i = 0; i < 50 && status['app-1'] !== 'DOWN'; i += 1) {
      status = await site.haproxy.serverStatus();
      if (status['app-1'] !== 'DOWN') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toEqual({ 'app-1': 'DOWN', 'app-2': 'UP', 'app-3': 'UP' });
  });

  it('shop.cfg: round robin over stateless servers spreads the requests and logs nobody out', async () => {
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    site = await behindHaproxy(committed('shop.cfg'), (name, catalog) =>
      createShop({ name, catalog, sessions, carts }),
    );
    expect(await allUp(site.haproxy)).toEqual(ALL_UP);
    const users = await workload(site.haproxy.url, 3, 8);

    const summary = summarize(users);
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed, summary.unknown]).toEqual([
      0, 0, 0, 0,
    ]);
    const answers = answersPerServer(users);
    expect(Object.keys(answers).sort()).toEqual(['app-1', 'app-2', 'app-3']);
    for (const count of Object.values(answers))
      expect(count).toBeGreaterThan(summary.operations / 6);
  });
});
