// A failover that nobody does by hand: a primary, two asynchronous replicas and three Sentinels,
// all real processes on 127.0.0.1. Writes go to the primary; the replicas fall behind (paused,
// as if busy or far away); the primary crashes; the Sentinels notice, agree, and promote a
// replica. Counted afterwards: which writes the client was told about are missing on the new
// primary, and how long there was no primary to write to.
import Redis from 'ioredis';
import { connectRedis, countPresent, waitForReplicaSync, writeKeys } from './redis-durability';
import { startRedis, type RunningRedis } from './redis-server';
import { startSentinels, type RunningSentinels } from './sentinel-server';

export interface SentinelFailoverOptions {
  /** Keys written while the replicas keep up, then as many while they are paused. */
  writesPerPhase: number;
  /** Bytes per value: the paused phase must be larger than the OS's socket buffers. */
  valueBytes: number;
  /** Keys per pipeline. Default 500. */
  batch?: number;
  /** WAIT after each pipeline: how many replicas, for how long. */
  wait?: { replicas: number; timeoutMs: number };
  /** How long the primary must be silent before a sentinel calls it down. Default 2000 ms. */
  downAfterMs?: number;
  /**
   * Give up waiting for a new primary after this long. Default 60 s: a sentinel whose own timer
   * ran more than 2 s late (a machine too busy to run it) enters TILT mode and acts on nothing for
   * 30 s, so a failover on a loaded machine can take that much longer.
   */
  deadlineMs?: number;
}

export interface SentinelFailoverResult {
  /** Writes the primary answered OK. */
  ok: number;
  /** With WAIT: writes it confirmed a replica had; and those it did not (unknown, not failed). */
  confirmed?: number;
  unconfirmed?: number;
  /** OK'd writes missing on the promoted replica. */
  okLost: number;
  /** With WAIT: confirmed writes missing there. */
  confirmedLost?: number;
  /** With WAIT: unconfirmed writes that were there anyway. */
  unconfirmedKept?: number;
  /** Whether the Sentinels' new primary was one of the replicas, now answering as a primary. */
  promotedReplica: boolean;
  /** From the kill until the Sentinels named a replica that answers as primary (measured). */
  msWithoutPrimary: number;
}

/** Bounded polling: `done` every 50 ms until true, or false once `withinMs` has passed. */
async function poll(done: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await done()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The replication role a Redis reports ('master', 'slave'), or '' when it does not answer. */
async function role(port: number): Promise<string> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    maxRetriesPerRequest: 0,
    connectTimeout: 500,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  try {
    await client.connect();
    const [name] = (await client.role()) as [string];
    return name;
  } catch {
    return '';
  } finally {
    client.disconnect();
  }
}

/**
 * Waits until every one of `replicas` replicas has every write the primary took so far: a probe
 * write (database 15), then WAIT for all of them on that connection (the stream is in order, so
 * a replica that has the probe has everything before it). Throws after `timeoutMs`.
 */
async function allReplicasCaughtUp(primaryUrl: string, replicas: number, timeoutMs = 30_000) {
  const client = connectRedis(primaryUrl);
  try {
    await client.select(15);
    await client.set('statelab:caught-up-probe', '1');
    const have = await client.wait(replicas, timeoutMs);
    await client.del('statelab:caught-up-probe');
    if (have < replicas)
      throw new Error(`only ${have} of ${replicas} replicas caught up within ${timeoutMs} ms`);
  } finally {
    client.disconnect();
  }
}

async function withPrimary<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = connectRedis(url);
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

const keyRange = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `key:${from + i}`);

// #region sentinel-failover
export async function sentinelFailover(
  options: SentinelFailoverOptions,
): Promise<SentinelFailoverResult> {
  const { writesPerPhase: n, valueBytes, batch = 500, wait, deadlineMs = 60_000 } = options;
  const started: { stop(): Promise<void> }[] = [];
  try {
    const primary = await startRedis();
    started.push(primary);
    const replicas: RunningRedis[] = [];
    for (let i = 0; i < 2; i += 1) {
      const replica = await startRedis({ replicaof: { port: primary.port } });
      started.push(replica);
      await waitForReplicaSync(replica.url, primary.url);
      replicas.push(replica);
    }
    const sentinels: RunningSentinels = await startSentinels({
      primaryPort: primary.port,
      downAfterMs: options.downAfterMs,
    });
    started.push(sentinels);
    // Each sentinel finds the replicas from the primary's INFO, and the other sentinels from
    // their hello messages (every 2 s): a failover needs a quorum that knows each other.
    const ready = await poll(async () => {
      const known = await sentinels.known();
      return known.replicas === 2 && known.otherSentinels === 2;
    }, 15_000);
    if (!ready) throw new Error('the sentinels did not find the replicas and each other in 15 s');

    const write = { valueBytes, batch, waitForReplicas: wait };
    const healthy = await writeKeys(primary.url, { ...write, count: n, from: 0 });
    // Both replicas have every write of the healthy phase before the pause (WAIT 1 promises only
    // one): then a write WAIT confirmed is on whichever replica the Sentinels promote, on every
    // run, and not only when they pick the one that has it.
    await allReplicasCaughtUp(primary.url, replicas.length);
    // New replication connections before the pause: the replicas read 10 MB on the old ones, so
    // the kernel had grown their receive buffers (up to tcp_rmem's max, 32 MB here), and the whole
    // paused phase could wait there and arrive after the primary died (a loaded run lost 0
    // writes). A replica reconnects within a second and continues the stream (partial resync);
    // its new connection's buffer starts at tcp_rmem's default, as socketBufferBytes() assumes.
    await withPrimary(primary.url, (client) => client.call('CLIENT', 'KILL', 'TYPE', 'replica'));
    await allReplicasCaughtUp(primary.url, replicas.length);
    for (const replica of replicas) replica.pause(); // they stop reading their primary's stream
    const behind = await writeKeys(primary.url, { ...write, count: n, from: n });
    primary.kill();
    const killedAt = performance.now();
    for (const replica of replicas) replica.resume();

    // The Sentinels' verdict: a replica's address, and that replica answering as a primary.
    const replicaPorts = replicas.map((r) => r.port);
    let promoted: number | undefined;
    const failedOver = await poll(async () => {
      const port = await sentinels.primaryPort();
      if (port === undefined || !replicaPorts.includes(port)) return false;
      promoted = port;
      return (await role(port)) === 'master';
    }, deadlineMs);
    const msWithoutPrimary = Math.round(performance.now() - killedAt);
    if (!failedOver || promoted === undefined)
      throw new Error(
        `no replica was promoted within ${deadlineMs} ms:\n${sentinels.output().join('\n')}`,
      );

    const url = `redis://127.0.0.1:${promoted}`;
    const ok = healthy.ok + behind.ok;
    const okLost = ok - (await countPresent(url, keyRange(0, ok)));
    const result: SentinelFailoverResult = { ok, okLost, promotedReplica: true, msWithoutPrimary };
    if (wait) {
      const unconfirmed = [...healthy.unconfirmed!, ...behind.unconfirmed!];
      const unknown = new Set(unconfirmed);
      const confirmedKeys = keyRange(0, ok).filter((key) => !unknown.has(key));
      result.confirmed = healthy.confirmed! + behind.confirmed!;
      result.unconfirmed = unconfirmed.length;
      result.confirmedLost = confirmedKeys.length - (await countPresent(url, confirmedKeys));
      result.unconfirmedKept = await countPresent(url, unconfirmed);
    }
    return result;
  } finally {
    for (const part of started.reverse()) await part.stop();
  }
}
// #endregion sentinel-failover
