import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  aofBytesHeldByRedis,
  countKeys,
  countPresent,
  promote,
  snapshot,
  socketBufferBytes,
  startPrimaryAndReplica,
  waitForReplicaSync,
  writeKeys,
} from './redis-durability';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';

describe('socketBufferBytes', () => {
  it("adds the sender's largest socket buffer to the receiver's starting one", () => {
    const proc: Record<string, string> = {
      '/proc/sys/net/ipv4/tcp_wmem': '4096\t16384\t4194304\n',
      '/proc/sys/net/ipv4/tcp_rmem': '4096\t131072\t33554432\n',
    };
    expect(socketBufferBytes((file) => proc[file])).toBe(4194304 + 131072);
  });

  it('guesses 8 MiB where there is no /proc to read', () => {
    const missing = () => {
      throw new Error('ENOENT');
    };
    expect(socketBufferBytes(missing)).toBe(8 * 1024 * 1024);
  });
});

const gate = redisTestGate();

/** Stops every Redis and removes its directory, whatever the test did to it. */
async function cleanUp(...servers: RunningRedis[]) {
  for (const server of servers) {
    await server.stop();
    rmSync(server.dir, { recursive: true, force: true });
  }
}

// Without Redis in CI, redis-server.test.ts fails its gate test; these then do not run.
describe.runIf(gate.run)('redis-durability', () => {
  it('counts every OK, and a SIGKILL without persistence loses all of them', async () => {
    const redis = await startRedis();
    try {
      const written = await writeKeys(redis.url, { count: 1200, batch: 500 });
      expect(written).toEqual({ ok: 1200, ms: expect.any(Number) });
      expect(await countKeys(redis.url)).toBe(1200);
      redis.kill();
      await redis.restart();
      expect(await countKeys(redis.url)).toBe(0);
    } finally {
      await cleanUp(redis);
    }
  });

  it('keeps what Redis handed to the OS across a SIGKILL with appendonly + everysec', async () => {
    const redis = await startRedis({ appendonly: true, appendfsync: 'everysec' });
    try {
      await writeKeys(redis.url, { count: 1000 });
      const held = await aofBytesHeldByRedis(redis.url);
      redis.kill();
      await redis.restart();
      // A write takes at least its 100-byte value in the AOF: only what Redis held can be missing.
      expect((1000 - (await countKeys(redis.url))) * 100).toBeLessThanOrEqual(held);
    } finally {
      await cleanUp(redis);
    }
  });

  it('restarts from the last RDB snapshot: the writes after it are gone', async () => {
    const redis = await startRedis();
    try {
      await writeKeys(redis.url, { count: 300 });
      await snapshot(redis.url);
      await writeKeys(redis.url, { count: 200, from: 300 });
      redis.kill();
      await redis.restart();
      expect(await countKeys(redis.url)).toBe(300);
      expect(await countPresent(redis.url, ['key:0', 'key:299', 'key:300', 'key:499'])).toBe(2);
    } finally {
      await cleanUp(redis);
    }
  });

  it('starts a pair whose primary already streams to the replica, with no probe key left to count', async () => {
    // A link that is "up" is not enough: after a diskless sync the primary holds the stream back
    // until the replica's first acknowledgement, and a primary killed before it sends nothing.
    for (let run = 0; run < 5; run++) {
      const { primary, replica } = await startPrimaryAndReplica();
      try {
        expect(await countKeys(primary.url)).toBe(0);
        expect(await countKeys(replica.url)).toBe(0);
        await writeKeys(primary.url, { count: 200 }); // no WAIT
        await new Promise((resolve) => setTimeout(resolve, 50)); // far less than a second
        primary.kill();
        await promote(replica.url);
        expect(await countKeys(replica.url)).toBeGreaterThan(0);
      } finally {
        await cleanUp(replica, primary);
      }
    }
  });

  it('promotes a replica that has what WAIT confirmed', async () => {
    const { primary, replica } = await startPrimaryAndReplica();
    try {
      const written = await writeKeys(primary.url, {
        count: 1000,
        waitForReplicas: { replicas: 1, timeoutMs: 5000 },
      });
      expect(written).toMatchObject({ ok: 1000, confirmed: 1000, unconfirmed: [] });
      primary.kill();
      await promote(replica.url);
      expect(await countKeys(replica.url)).toBe(1000);
    } finally {
      await cleanUp(replica, primary);
    }
  });

  it('lists the writes WAIT could not confirm (a paused replica): applied on the primary', async () => {
    const { primary, replica } = await startPrimaryAndReplica();
    replica.pause();
    try {
      const written = await writeKeys(primary.url, {
        count: 100,
        batch: 50,
        waitForReplicas: { replicas: 1, timeoutMs: 50 },
      });
      expect(written.ok).toBe(100);
      expect(written.confirmed).toBe(0);
      expect(written.unconfirmed).toHaveLength(100);
      expect(written.ms).toBeGreaterThanOrEqual(2 * 49); // each batch waited out the timeout
      expect(await countPresent(primary.url, written.unconfirmed!)).toBe(100);
    } finally {
      replica.resume();
      await cleanUp(replica, primary);
    }
  });

  it('a primary without persistence that restarts empty wipes its replica', async () => {
    const { primary, replica } = await startPrimaryAndReplica();
    try {
      await writeKeys(primary.url, {
        count: 100,
        waitForReplicas: { replicas: 1, timeoutMs: 5000 },
      });
      expect(await countKeys(replica.url)).toBe(100);
      primary.kill();
      await primary.restart();
      await waitForReplicaSync(replica.url, primary.url);
      expect(await countKeys(replica.url)).toBe(0);
    } finally {
      await cleanUp(replica, primary);
    }
  });
});
