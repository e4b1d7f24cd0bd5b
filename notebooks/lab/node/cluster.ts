// A shop cluster for experiments: N shop servers on 127.0.0.1 behind one load balancer.
// Where user state lives is the `app` you pass: the default app is the stateful shop, whose
// sessions and carts live in each server's own memory.
import { startBalancer, type RunningBalancer } from './balancer';
import type { Catalog } from '../core/catalog';
import type { ChaosTarget } from '../core/chaos';
import type { Policy } from '../core/policies';
import { startServer, type RunningServer } from './server';
import { createShop, type Handler } from './shop';

export interface ClusterOptions {
  size: number;
  policy: Policy;
  catalog: Catalog;
  /** Builds one server's app; called again on restart, so nothing in its memory survives a kill. */
  app?: (name: string) => Handler;
  /** How often the LB checks each server's /health. Default 50 ms. */
  healthIntervalMs?: number;
  /** How long the LB waits for one check before it counts as failed. Default: the balancer's. */
  healthTimeoutMs?: number;
  /** Failed checks in a row that take a server out, and passed ones that bring it back. Default: the balancer's. */
  healthFall?: number;
  healthRise?: number;
  /** The LB's `retry` option: resend a request that is safe to repeat after a backend failed. */
  retry?: boolean;
}

export interface Cluster<S extends RunningServer = RunningServer> extends ChaosTarget {
  readonly lb: RunningBalancer;
  /** Every server started so far, up or down, in start order. */
  readonly servers: readonly S[];
  server(name: string): S;
  /** Crashes a server, then waits until the LB has noticed (its health checks failed). Requests
   *  it was handling are cut; requests the LB sends it before noticing are refused. */
  kill(name: string): Promise<void>;
  /** Starts a crashed or stopped server again with fresh memory (back in the LB's rotation if
   *  it was taken out), and waits until the LB uses it again. */
  restart(name: string): Promise<void>;
  /** Starts one more server (app-N) and puts it into rotation. */
  add(): Promise<S>;
  /** Takes a server out of rotation, then stops it gracefully (as drain does). */
  remove(name: string): Promise<void>;
  /**
   * A graceful stop: out of the LB's rotation first, so no new request arrives; then the
   * requests in flight finish, for at most `graceMs` (default 5 s); then the server stops. A
   * server still busy when the grace period ends is killed. Resolves true if it stopped in time.
   */
  drain(name: string, graceMs?: number): Promise<boolean>;
  /** Restarts every server, one at a time, waiting for each to be healthy again. Each is
   *  killed, or with `drain: true` drained first. */
  rollingRestart(options?: { drain?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface InProcessCluster extends Cluster {
  /** Requests this server has received and not yet answered, health checks aside: counted by
   *  the server itself, so a kill now certainly cuts them (an answer not written reaches no one). */
  unanswered(name: string): number;
}

export async function startCluster(options: ClusterOptions): Promise<InProcessCluster> {
  const app = options.app ?? ((name: string) => createShop({ name, catalog: options.catalog }));
  const unanswered = new Map<string, number>();
  const counted =
    (name: string, handler: Handler): Handler =>
    (req, res) => {
      if (req.url !== '/health') {
        unanswered.set(name, (unanswered.get(name) ?? 0) + 1);
        let open = true;
        const answered = () => {
          if (open) unanswered.set(name, (unanswered.get(name) ?? 1) - 1);
          open = false;
        };
        res.once('finish', answered); // written
        res.once('close', answered); // or cut
      }
      handler(req, res);
    };
  const cluster = await startClusterWith(
    (name) => startServer({ name, app: () => counted(name, app(name)) }),
    options,
  );
  return Object.assign(cluster, { unanswered: (name: string) => unanswered.get(name) ?? 0 });
}

/**
 * The same cluster with servers from any launcher: `launch(name)` starts one server (in this
 * process, or as an OS process of its own: see process-cluster.ts) and resolves once it listens.
 */
export async function startClusterWith<S extends RunningServer>(
  launch: (name: string) => Promise<S>,
  options: {
    size: number;
    policy: Policy;
    healthIntervalMs?: number;
    healthTimeoutMs?: number;
    healthFall?: number;
    healthRise?: number;
    retry?: boolean;
  },
): Promise<Cluster<S>> {
  const servers: S[] = [];
  try {
    for (let i = 1; i <= options.size; i += 1) servers.push(await launch(`app-${i}`));
  } catch (error) {
    for (const s of servers) await s.stop(); // no server outlives a cluster that failed to start
    throw error;
  }

  const lb = await startBalancer({
    backends: servers.map((s) => ({ name: s.name, url: s.url })),
    policy: options.policy,
    healthCheck: {
      intervalMs: options.healthIntervalMs ?? 50,
      timeoutMs: options.healthTimeoutMs,
      fall: options.healthFall,
      rise: options.healthRise,
    },
    retry: options.retry,
  });

  const server = (name: string) => {
    const found = servers.find((s) => s.name === name);
    if (!found)
      throw new Error(
        `no server named ${name}; there are ${servers.map((s) => s.name).join(', ')}`,
      );
    return found;
  };

  const cluster: Cluster<S> = {
    lb,
    servers,
    server,
    async kill(name) {
      await server(name).kill();
      await lb.waitFor(name, false);
    },
    async restart(name) {
      const restarted = server(name);
      await restarted.restart();
      if (!lb.backends.some((b) => b.name === name)) lb.add({ name, url: restarted.url }); // drained or removed: back into rotation
      await lb.waitFor(name, true);
    },
    async add() {
      const added = await launch(`app-${servers.length + 1}`);
      servers.push(added);
      lb.add({ name: added.name, url: added.url });
      await lb.waitFor(added.name, true);
      return added;
    },
    async remove(name) {
      await cluster.drain(name);
    },
    // #region drain
    async drain(name, graceMs = 5_000) {
      const draining = server(name);
      // 1. Out of rotation: the LB sends it nothing new. 2. Its requests in flight are answered
      // (lb.remove resolves then). 3. It stops: the listener and its idle connections close.
      const stopped = lb.remove(name).then(() => draining.stop());
      // Like Kubernetes' terminationGracePeriodSeconds: a server still busy after it is killed.
      const inTime = await within(graceMs, stopped);
      if (!inTime) await draining.kill();
      return inTime;
    },
    // #endregion drain
    async rollingRestart(options = {}) {
      for (const s of servers.filter((s) => s.alive)) {
        if (options.drain) await cluster.drain(s.name);
        else await cluster.kill(s.name);
        await cluster.restart(s.name);
      }
    },
    async stop() {
      await lb.stop();
      for (const s of servers) await s.stop();
    },
  };
  return cluster;
}

/** Resolves true when `work` settles within `ms`, false when the time runs out first. */
function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true), timeUp]).finally(() => clearTimeout(timer));
}
