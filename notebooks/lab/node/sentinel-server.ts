// Starts real Redis Sentinels (Debian's redis-sentinel) as child processes on 127.0.0.1, watching
// a primary that startRedis started. Each sentinel keeps its view (who is the primary, which
// replicas and other sentinels exist) in its own memory and rewrites its config file in its own
// temp folder; together, by a quorum, they decide that the primary is down and promote a replica.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { onFreePort, realPart, spawnPart, waitUntilReady, type PartProcess } from './real-part';
import { ping } from './redis-server';
import { tempFolder } from './exit-cleanup';

const sentinel = realPart({
  program: 'redis-sentinel',
  alsoIn: ['/usr/bin'],
  aptPackage: 'redis-sentinel',
  runs: 'the Sentinel parts',
  tests: 'Sentinel tests need redis-sentinel',
});
export const findSentinel = sentinel.find;
export const sentinelAvailability = sentinel.availability;
/** The gate for tests that need Sentinel: skipped with a line outside CI, failed in CI. */
export const sentinelTestGate = sentinel.testGate;

/** The name the sentinels know the primary by. */
export const PRIMARY_NAME = 'shop';

export interface SentinelOptions {
  /** The port of the primary (on 127.0.0.1) they watch. */
  primaryPort: number;
  /** How many sentinels. Default 3. */
  count?: number;
  /** How many must agree that the primary is down before a failover. Default 2. */
  quorum?: number;
  /** How long the primary must not answer before a sentinel thinks it is down. Default 2000 ms. */
  downAfterMs?: number;
}

// #region sentinel-config
/** One sentinel's config: the primary to watch, and how quickly to give up on it. */
export function sentinelConfig(port: number, dir: string, options: SentinelOptions): string {
  const { primaryPort, quorum = 2, downAfterMs = 2000 } = options;
  return [
    `bind 127.0.0.1`,
    `port ${port}`,
    `daemonize no`,
    `dir ${JSON.stringify(dir)}`, // quoted: TMPDIR may hold spaces
    `sentinel monitor ${PRIMARY_NAME} 127.0.0.1 ${primaryPort} ${quorum}`,
    `sentinel down-after-milliseconds ${PRIMARY_NAME} ${downAfterMs}`,
    // A failover that has not finished in this time is given up and may be tried again.
    `sentinel failover-timeout ${PRIMARY_NAME} 10000`,
    // After a promotion, the other replicas resync from the new primary one at a time.
    `sentinel parallel-syncs ${PRIMARY_NAME} 1`,
    '',
  ].join('\n');
}
// #endregion sentinel-config

export interface RunningSentinels {
  readonly ports: readonly number[];
  readonly pids: readonly number[];
  /** Where the sentinels say the primary is, by majority of those that answer (undefined: none). */
  primaryPort(): Promise<number | undefined>;
  /** What the first sentinel knows of the primary: how many replicas and other sentinels. */
  known(): Promise<{ replicas: number; otherSentinels: number }>;
  /** What each sentinel printed lately (its log: +sdown, +odown, +switch-master, …). */
  output(): string[];
  /** SIGTERM to each, waits until all have exited, removes their folders. */
  stop(): Promise<void>;
}

export async function startSentinels(options: SentinelOptions): Promise<RunningSentinels> {
  const binary = findSentinel();
  if (!binary) throw new Error(`cannot start Sentinel: ${sentinelAvailability().why}`);
  const parts: { part: PartProcess; port: number; dir: string }[] = [];
  const stop = async () => {
    for (const { part, dir } of parts) {
      if (!part.hasExited()) part.child.kill('SIGTERM');
      await part.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    for (let i = 0; i < (options.count ?? 3); i += 1) {
      // Another program may take the free port before Sentinel binds it: then try another.
      await onFreePort(async (port) => {
        const dir = tempFolder('statelab-sentinel-');
        const file = join(dir, 'sentinel.conf'); // Sentinel rewrites it: it must be its own
        writeFileSync(file, sentinelConfig(port, dir, options));
        const part = spawnPart(binary, [file], 'SIGKILL');
        parts.push({ part, port, dir });
        // Answers in milliseconds when idle; the wait is long only for a very busy machine.
        const started = await waitUntilReady(part, () => ping(port), 30_000);
        if (started !== 'ready') throw new Error(`redis-sentinel ${started}:\n${part.output()}`);
      }, /Address already in use/);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const ports = parts.map((p) => p.port);
  const ask = async <T>(port: number, use: (client: Redis) => Promise<T>) => {
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
      return await use(client);
    } finally {
      client.disconnect();
    }
  };
  return {
    ports,
    pids: parts.map((p) => p.part.child.pid ?? -1),
    output: () => parts.map((p) => p.part.output()),
    async primaryPort() {
      const answers: number[] = [];
      for (const port of ports) {
        try {
          const address = (await ask(port, (c) =>
            c.call('SENTINEL', 'get-master-addr-by-name', PRIMARY_NAME),
          )) as [string, string] | null;
          if (address) answers.push(Number(address[1]));
        } catch {
          // this sentinel does not answer: it has no vote
        }
      }
      const votes = new Map<number, number>();
      for (const port of answers) votes.set(port, (votes.get(port) ?? 0) + 1);
      const [best] = [...votes].sort((a, b) => b[1] - a[1]);
      return best && best[1] > ports.length / 2 ? best[0] : undefined;
    },
    async known() {
      const fields = (await ask(ports[0], (c) =>
        c.call('SENTINEL', 'master', PRIMARY_NAME),
      )) as string[];
      const field = (name: string) => Number(fields[fields.indexOf(name) + 1]);
      return { replicas: field('num-slaves'), otherSentinels: field('num-other-sentinels') };
    },
    stop,
  };
}
