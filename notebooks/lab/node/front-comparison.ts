// One experiment, three front ends: the lab's balancer, a real nginx and a real HAProxy, each with
// affinity (the lab's stickyCookie(), notebooks/deploy/nginx/shop-sticky.conf,
// notebooks/deploy/haproxy/shop-sticky.cfg) in front of three stateful shop servers that are OS
// processes of their own (startProcessCluster). The same seeded users shop; one server is
// SIGKILLed mid-run; the run counts the requests that failed, the users who lost their session,
// and measures when each front end stopped counting on the dead server.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stickyCookie } from '../core/policies';
import { startHaproxy } from './haproxy-server';
import { startNginx } from './nginx-server';
import { startProcessCluster, type ProcessCluster } from './process-cluster';
import { createUsers, runRounds, summarize } from './workload';
import { tempFolder } from './exit-cleanup';

export type Front = 'lab balancer' | 'nginx' | 'HAProxy';

export interface FrontOptions {
  /** The committed configs' text. */
  nginxConfig: string;
  haproxyConfig: string;
  users: number;
  seed: number;
  /** Rounds before the kill. After it, at least `minRoundsAfter` and until the front end has
   *  taken the dead server out, at most `maxRoundsAfter`; `paceMs` between rounds. */
  roundsBefore: number;
  minRoundsAfter: number;
  maxRoundsAfter: number;
  paceMs: number;
}

export interface FrontRun {
  front: Front;
  /** Rounds the users shopped after the kill. */
  roundsAfter: number;
  /** Every operation the users made, and those that failed (an error answer or none) or whose
   *  outcome the user could not know (a POST cut off). */
  operations: number;
  failed: number;
  unknown: number;
  /** Users whose session was on the killed server when it died. */
  pinned: number;
  /** Users who had to log in again, and cart items they found gone. */
  forcedToLogIn: number;
  /** Whether the users forced to log in again were exactly those pinned to app-1 (the same users, not only as many). */
  exactlyPinned: boolean;
  lostCartItems: number;
  /**
   * From the kill until the front end took the server out: the lab's and HAProxy's active checks
   * marked it down; nginx logged "upstream server temporarily disabled" (its passive count of
   * failed requests reached max_fails). Undefined: not within the run.
   */
  detectMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server holding each user's session: the one that answered their last successful login. */
const loginServer = (log: readonly { op: string; status: number; servedBy?: string }[]) =>
  log.filter((r) => r.op === 'login' && r.status === 200).at(-1)?.servedBy;

// #region front-run
/**
 * Runs the experiment once per front end, in this order, on one cluster: its stateful servers
 * (no store: each keeps sessions and carts in its own memory) are started once, and the killed
 * server is started again, empty, between runs. Each run's users have their own names and the
 * same seeded steps. The lab's balancer checks /health every second and takes a server out after
 * 3 failures in a row, as the HAProxy config does (`check inter 1s fall 3`).
 */
export async function compareFronts(
  fronts: readonly Front[],
  options: FrontOptions,
): Promise<FrontRun[]> {
  const dir = tempFolder('statelab-fronts-');
  const cluster = await startProcessCluster({
    size: 3,
    policy: stickyCookie(),
    catalogFile: join(dir, 'catalog.sqlite'),
    retry: true,
    healthIntervalMs: 1000,
  });
  const runs: FrontRun[] = [];
  try {
    for (const [i, front] of fronts.entries()) {
      if (i > 0) await cluster.server('app-1').restart(); // same port, fresh memory
      runs.push(await killBehind(front, cluster, options));
    }
    return runs;
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function killBehind(
  front: Front,
  cluster: ProcessCluster,
  options: FrontOptions,
): Promise<FrontRun> {
  const upstreams = Object.fromEntries(
    cluster.servers.map((s) => [`${s.name}:3000`, `127.0.0.1:${s.port}`]),
  );
  const victim = cluster.server('app-1');
  if (front === 'lab balancer') await cluster.lb.waitFor('app-1', true, 10_000);
  const nginx =
    front === 'nginx' ? await startNginx({ config: options.nginxConfig, upstreams }) : undefined;
  const haproxy =
    front === 'HAProxy'
      ? await startHaproxy({ config: options.haproxyConfig, upstreams })
      : undefined;
  try {
    const url = nginx?.url ?? haproxy?.url ?? cluster.lb.url;
    const detected = async (): Promise<boolean> => {
      if (haproxy) return ((await haproxy.serverStatus())['app-1'] ?? '').startsWith('DOWN');
      if (nginx) {
        const line = new RegExp(`temporarily disabled.*127\\.0\\.0\\.1:${victim.port}`);
        return line.test(nginx.errorLog());
      }
      return !cluster.lb.backends.find((b) => b.name === 'app-1')!.healthy;
    };
    const prefix = front.replace(/\W+/g, '-').toLowerCase();
    const users = createUsers(options.users, url, options.seed, { prefix });
    let pinned = new Set<(typeof users)[number]>();
    let killedAt: number | undefined;
    let detectMs: number | undefined;
    let watching = true;
    // Polls every 20 ms from the kill until the end of the rounds: bounded by them.
    const watch = (async () => {
      while (watching && detectMs === undefined) {
        if (killedAt !== undefined && (await detected()))
          detectMs = Math.round(performance.now() - killedAt);
        await sleep(20);
      }
    })();
    let rounds = 0;
    await runRounds(users, {
      rounds: options.roundsBefore + options.maxRoundsAfter,
      deadlineMs: 60_000,
      until: () =>
        rounds >= options.roundsBefore + options.minRoundsAfter && detectMs !== undefined,
      beforeRound: async (round) => {
        rounds = round + 1;
        if (round === options.roundsBefore) {
          pinned = new Set(users.filter((u) => loginServer(u.log) === 'app-1'));
          void victim.kill(); // SIGKILL: a crash; nothing waits for the front end to notice
          killedAt = performance.now();
        }
        if (round > 0) await sleep(options.paceMs);
      },
    });
    watching = false;
    await watch;
    const summary = summarize(users);
    return {
      front,
      roundsAfter: rounds - options.roundsBefore,
      operations: summary.operations,
      failed: summary.failed,
      unknown: summary.unknown,
      pinned: pinned.size,
      forcedToLogIn: summary.usersForcedToLogIn,
      exactlyPinned: users.every((u) => u.losses.forcedLogins > 0 === pinned.has(u)),
      lostCartItems: summary.lostCartItems,
      detectMs,
    };
  } finally {
    await nginx?.stop();
    await haproxy?.stop();
  }
}
// #endregion front-run
