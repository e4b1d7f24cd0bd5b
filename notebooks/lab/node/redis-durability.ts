// Measures what a Redis keeps when it crashes: write a bounded number of keys as fast as Redis
// answers them, crash it, and count what is still there (after a restart or on a replica).
// The state under test lives in redis-server processes (and in the OS's page cache and socket
// buffers between them); this module only talks to them.
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { startRedis, type RunningRedis } from './redis-server';

export interface WriteOptions {
  /** How many keys to write: `key:<from>` … `key:<from + count - 1>`. */
  count: number;
  /** The first key's number. Default 0. */
  from?: number;
  /** Keys sent per round trip (a pipeline). Default 500. */
  batch?: number;
  /** Bytes of each value. Default 100. */
  valueBytes?: number;
  /** After each batch, WAIT until this many replicas have it (or timeoutMs passes). */
  waitForReplicas?: { replicas: number; timeoutMs: number };
}

export interface Written {
  /** Writes the Redis they were sent to answered OK: it applied them. */
  ok: number;
  /** With waitForReplicas: the OK'd writes that WAIT confirmed the replicas have. */
  confirmed?: number;
  /**
   * With waitForReplicas: the keys of OK'd writes that WAIT did not confirm in time. Their fate is
   * unknown, not failed: the primary applied them, and a replica may have them or not.
   */
  unconfirmed?: string[];
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

/** Runs `use` with a fresh client for `url`, and disconnects it afterwards. */
async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = connectRedis(url);
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

// #region write-keys
/**
 * Writes `count` keys in pipelines, as fast as Redis answers, and counts each OK. With
 * waitForReplicas, a WAIT ends each pipeline and sorts its OK'd writes into confirmed and unknown.
 */
export async function writeKeys(url: string, options: WriteOptions): Promise<Written> {
  const { count, from = 0, batch = 500, valueBytes = 100, waitForReplicas } = options;
  const value = 'x'.repeat(valueBytes);
  const written: Written = waitForReplicas
    ? { ok: 0, confirmed: 0, unconfirmed: [], ms: 0 }
    : { ok: 0, ms: 0 };
  const started = performance.now();
  await withClient(url, async (client) => {
    for (let first = from; first < from + count; first += batch) {
      const keys: string[] = [];
      for (let i = first; i < Math.min(first + batch, from + count); i++) keys.push(`key:${i}`);
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.set(key, value);
      if (waitForReplicas) pipeline.wait(waitForReplicas.replicas, waitForReplicas.timeoutMs);
      const replies = (await pipeline.exec()) ?? [];
      const ok = keys.filter((_, i) => !replies[i]?.[0] && replies[i]?.[1] === 'OK');
      written.ok += ok.length;
      if (!waitForReplicas) continue;
      // WAIT answers how many replicas have every write this connection sent before it.
      const replicas = Number(replies[keys.length]?.[1] ?? 0);
      if (replicas >= waitForReplicas.replicas) written.confirmed! += ok.length;
      else written.unconfirmed!.push(...ok); // unknown: applied on the primary, maybe on a replica
    }
  });
  written.ms = performance.now() - started;
  return written;
}
// #endregion write-keys

/** How many keys the Redis at `url` holds. */
export function countKeys(url: string): Promise<number> {
  return withClient(url, (client) => client.dbsize());
}

/** How many of `keys` the Redis at `url` holds. */
export function countPresent(url: string, keys: readonly string[]): Promise<number> {
  return withClient(url, async (client) => {
    let present = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const replies =
        (await client.pipeline(keys.slice(i, i + 1000).map((k) => ['exists', k])).exec()) ?? [];
      present += replies.filter(([error, reply]) => !error && reply === 1).length;
    }
    return present;
  });
}

/** One field of INFO <section>, as text ('' when Redis does not report it). */
async function infoField(client: Redis, section: string, field: string): Promise<string> {
  const line = (await client.info(section)).split('\r\n').find((l) => l.startsWith(`${field}:`));
  return line ? line.slice(field.length + 1) : '';
}

/** Polls `done` every 20 ms until it is true; throws `what` after timeoutMs. */
async function until(done: () => Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`${what} (waited ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Takes an RDB snapshot now, as one of Redis's `save` points would (BGSAVE: a forked child writes
 * dump.rdb), and resolves once it is on disk. A restart loads it: what was written after is gone.
 */
export function snapshot(url: string, timeoutMs = 10_000): Promise<void> {
  return withClient(url, async (client) => {
    await client.bgsave();
    const saved = async () =>
      (await infoField(client, 'persistence', 'rdb_bgsave_in_progress')) === '0';
    await until(saved, `Redis ${url}: BGSAVE did not finish`, timeoutMs);
    const status = await infoField(client, 'persistence', 'rdb_last_bgsave_status');
    if (status !== 'ok') throw new Error(`Redis ${url}: BGSAVE failed (${status})`);
  });
}

/**
 * Bytes of writes Redis has answered but not yet handed to the OS (`aof_buffer_length`): with
 * `appendfsync everysec`, while a background fsync is slow Redis postpones its write() to the AOF
 * for up to about 2 s, and answers OK meanwhile. A process crash loses these bytes; not the rest.
 */
export function aofBytesHeldByRedis(url: string): Promise<number> {
  return withClient(url, async (client) => {
    return Number((await infoField(client, 'persistence', 'aof_buffer_length')) || 0);
  });
}

/**
 * The most bytes the OS can hold in flight on one local TCP connection whose reader has stopped
 * reading: the sender's socket buffer at its largest (tcp_wmem max) plus the receiver's at its
 * starting size (tcp_rmem default; it grows only as the reader reads). Linux only; elsewhere a
 * generous guess. A paused replica can still receive this much after its primary dies.
 */
export function socketBufferBytes(read = (file: string) => readFileSync(file, 'utf8')): number {
  try {
    const wmemMax = Number(read('/proc/sys/net/ipv4/tcp_wmem').trim().split(/\s+/)[2]);
    const rmemDefault = Number(read('/proc/sys/net/ipv4/tcp_rmem').trim().split(/\s+/)[1]);
    if (Number.isFinite(wmemMax) && Number.isFinite(rmemDefault)) return wmemMax + rmemDefault;
  } catch {
    // not Linux: fall through to the guess
  }
  return 8 * 1024 * 1024;
}

// #region replica
/** A primary and an asynchronous replica of it: two redis-server processes, link up. */
export async function startPrimaryAndReplica(): Promise<{
  primary: RunningRedis;
  replica: RunningRedis;
}> {
  const primary = await startRedis();
  const replica = await startRedis({ replicaof: { port: primary.port } });
  await waitForReplicaSync(replica.url, primary.url);
  return { primary, replica };
}
// #endregion replica

/** Where waitForReplicaSync writes its probe: not database 0, which the experiments count. */
const PROBE_DB = 15;
const PROBE_KEY = 'statelab:replication-probe';

/**
 * Waits until the replica at `replicaUrl` has its link to the primary at `primaryUrl` up, has
 * synced with that primary's current history (the same replication ID): after a primary restarts,
 * the replica's old link does not count (a primary takes a new ID when its first replica
 * attaches); and until the primary is streaming its writes to it. A link that is "up" is not yet
 * that: after a diskless full sync, the primary holds back the stream until the replica's first
 * acknowledgement, which can take up to a second, and a primary killed meanwhile has sent nothing.
 * So one write to a probe key in database 15 (no experiment counts it) must be confirmed by WAIT.
 */
export async function waitForReplicaSync(
  replicaUrl: string,
  primaryUrl: string,
  timeoutMs = 30_000, // seconds when idle; far longer on a busy machine, where a full sync is slow
): Promise<void> {
  const primary = connectRedis(primaryUrl);
  const replica = connectRedis(replicaUrl);
  const linked = async () =>
    (await infoField(replica, 'replication', 'master_link_status')) === 'up' &&
    (await infoField(replica, 'replication', 'master_replid')) ===
      (await infoField(primary, 'replication', 'master_replid'));
  const streaming = async () => {
    await primary.select(PROBE_DB);
    await primary.set(PROBE_KEY, String(Date.now()));
    return (await primary.wait(1, 100)) >= 1;
  };
  try {
    await until(linked, `replica ${replicaUrl}: not synced with ${primaryUrl}`, timeoutMs);
    await until(streaming, `replica ${replicaUrl}: ${primaryUrl} does not stream to it`, timeoutMs);
    await primary.del(PROBE_KEY); // replicated too: both leave with an empty database 15
    await primary.wait(1, timeoutMs);
  } finally {
    primary.disconnect();
    replica.disconnect();
  }
}

// #region promote
/** Failover by hand: the replica stops replicating and becomes a primary (REPLICAOF NO ONE). */
export async function promote(url: string): Promise<void> {
  await withClient(url, (client) => client.replicaof('NO', 'ONE'));
}
// #endregion promote
