// The shop cluster of cluster.ts, with every server an OS process of its own (process-server.ts):
// kill(name) is a real SIGKILL. Where user state lives is the storeUrl every process gets: none
// (each process's own memory: stateful), `sqlite:/absolute/file` or `redis://host:port` (one
// store every process shares: stateless). The catalogue (products, orders) is one SQLite file.
import { openCatalog } from './sqlite-catalog';
import { startClusterWith, type Cluster } from './cluster';
import type { Policy } from '../core/policies';
import {
  startProcessServer,
  type ProcessServer,
  type ProcessServerOptions,
} from './process-server';

export interface ProcessClusterOptions {
  size: number;
  policy: Policy;
  /** The SQLite catalogue every server process opens (created and filled if new). */
  catalogFile: string;
  /** Where sessions, carts and idempotency records live; none: each process's own memory. */
  storeUrl?: string;
  /** The LB's `retry` option: resend a request that is safe to repeat after a backend failed. */
  retry?: boolean;
  /** How each process changes a cart: 'update' (atomic, the default) or 'get-then-set'. */
  cartWrites?: ProcessServerOptions['cartWrites'];
  /** How often the LB checks each server's /health. Default 50 ms. */
  healthIntervalMs?: number;
}

export type ProcessCluster = Cluster<ProcessServer>;

// #region start-process-cluster
export async function startProcessCluster(options: ProcessClusterOptions): Promise<ProcessCluster> {
  openCatalog(options.catalogFile).close(); // create and fill it once, before any process opens it
  const { catalogFile, storeUrl, cartWrites } = options;
  return startClusterWith(
    (name) => startProcessServer({ name, catalogFile, storeUrl, cartWrites }),
    options,
  );
}
// #endregion start-process-cluster
