// A shop cluster for experiments: N shop servers on 127.0.0.1 behind one load balancer.
// Where user state lives is the `app` you pass: the default app is the stateful shop, whose
// sessions and carts live in each server's own memory.
import { startBalancer, type RunningBalancer } from './balancer';
import type { Catalog } from './catalog';
import type { ChaosTarget } from './chaos';
import type { Policy } from './policies';
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
  /** The LB's `retry` option: resend a request that is safe to repeat after a backend failed. */
  retry?: boolean;
}

export interface Cluster<S extends RunningServer = RunningServer> extends ChaosTarget {
  readonly lb: RunningBalancer;
  /** Every server started so far, up or down, in start order. */
  readonly servers: readonly S[];
  server(name: string): S;
  /** Crashes a server, then waits until the LB has noticed (its health check failed). */
  kill(name: string): Promise<void>;
  /** Starts a crashed server again with fresh memory, and waits until the LB uses it again. */
  restart(name: string): Promise<void>;
  /** Starts one more server (app-N) and puts it into rotation. */
  add(): Promise<S>;
  /** Takes a server out of rotation, then stops it gracefully. */
  remove(name: string): Promise<void>;
  /** Restarts every server, one at a time, waiting for each to be healthy again. */
  rollingRestart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const app = options.app ?? ((name: string) => createShop({ name, catalog: options.catalog }));
  return startClusterWith((name) => startServer({ name, app: () => app(name) }), options);
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
    healthCheck: { intervalMs: options.healthIntervalMs ?? 50, timeoutMs: options.healthTimeoutMs },
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
      server(name).kill();
      await lb.waitFor(name, false);
    },
    async restart(name) {
      await server(name).restart();
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
      lb.remove(name);
      await server(name).stop();
    },
    async rollingRestart() {
      for (const s of servers.filter((s) => s.alive)) {
        await cluster.kill(s.name);
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
