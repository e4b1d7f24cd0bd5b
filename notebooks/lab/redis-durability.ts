// Measures what a Redis keeps when it crashes: write a bounded number of keys as fast as Redis
// acknowledges them, crash it, and count what is still there (after a restart or on a replica).
// The state under test lives in redis-server processes; this module only talks to them.
import Redis from 'ioredis';
import { startRedis, type RunningRedis } from './redis-server';

export interface WriteOptions {
  /** How many keys to write: `key:0` … `key:<count-1>`. */
  count: number;
  /** Keys sent per round trip (a pipeline). Default 500. */
  batch?: number;
  /** Bytes of each value. Default 100. */
  valueBytes?: number;
  /** After each batch, WAIT until this many replicas have it (or timeoutMs passes). */
  waitForReplicas?: { replicas: number; timeoutMs: number };
}

export interface Written {
  /** Writes Redis answered OK (with waitForReplicas: and that the replicas confirmed). */
  acknowledged: number;
  ms: number;
}

/** One short-lived client that fails fast: a crashed Redis is the point, not an error to retry. */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
}

// #region write-acknowledged
export async function writeAcknowledged(url: string, options: WriteOptions): Promise<Written> {
  const { count, batch = 500, valueBytes = 100, waitForReplicas } = options;
  const client = connectRedis(url);
  const value = 'x'.repeat(valueBytes);
  const started = performance.now();
  let acknowledged = 0;
  try {
    for (let from = 0; from < count; from += batch) {
      const pipeline = client.pipeline();
      const to = Math.min(from + batch, count);
      for (let i = from; i < to; i++) pipeline.set(`key:${i}`, value);
      if (waitForReplicas) pipeline.wait(waitForReplicas.replicas, waitForReplicas.timeoutMs);
      const replies = (await pipeline.exec()) ?? [];
      const ok = replies.filter(([error, reply]) => !error && reply === 'OK').length;
      // With WAIT, a batch counts only when the replicas confirmed it: that is the promise made.
      const confirmed = waitForReplicas
        ? Number(replies[replies.length - 1]?.[1] ?? 0) >= waitForReplicas.replicas
        : true;
      if (confirmed) acknowledged += ok;
    }
  } finally {
    client.disconnect();
  }
  return { acknowledged, ms: performance.now() - started };
}
// #endregion write-acknowledged

/** How many keys the Redis at `url` holds. */
export async function countKeys(url: string): Promise<number> {
  const client = connectRedis(url);
  try {
    return await client.dbsize();
  } finally {
    client.disconnect();
  }
}

// #region replica
/** A primary and an asynchronous replica of it: two redis-server processes, link up. */
export async function startPrimaryAndReplica(): Promise<{
  primary: RunningRedis;
  replica: RunningRedis;
}> {
  const primary = await startRedis();
  const admin = connectRedis(primary.url);
  // Redis waits 5 s by default before a diskless full sync, to batch replicas; one is enough here.
  await admin.config('SET', 'repl-diskless-sync-delay', '0').finally(() => admin.disconnect());
  const replica = await startRedis({ replicaof: { port: primary.port } });
  await waitForReplicaLink(replica.url);
  return { primary, replica };
}
// #endregion replica

/** Waits until the replica at `url` reports its link to the primary is up (≤ timeoutMs). */
export async function waitForReplicaLink(url: string, timeoutMs = 5000): Promise<void> {
  const client = connectRedis(url);
  try {
    const deadline = performance.now() + timeoutMs;
    while (!(await client.info('replication')).includes('master_link_status:up')) {
      if (performance.now() > deadline) throw new Error(`replica ${url}: link to primary not up`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    client.disconnect();
  }
}

// #region promote
/** Failover by hand: the replica stops replicating and becomes a primary (REPLICAOF NO ONE). */
export async function promote(url: string): Promise<void> {
  const client = connectRedis(url);
  try {
    await client.replicaof('NO', 'ONE');
  } finally {
    client.disconnect();
  }
}
// #endregion promote
