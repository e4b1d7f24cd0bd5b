import { describe, expect, it } from 'vitest';
import { countKeys, promote, startPrimaryAndReplica, writeAcknowledged } from './redis-durability';
import { redisTestGate, startRedis } from './redis-server';

const gate = redisTestGate();

// Without Redis in CI, redis-server.test.ts fails its gate test; these then do not run.
describe.runIf(gate.run)('redis-durability', () => {
  it('counts every acknowledged write, and a SIGKILL without persistence loses all of them', async () => {
    const redis = await startRedis();
    try {
      expect((await writeAcknowledged(redis.url, { count: 1200, batch: 500 })).acknowledged).toBe(
        1200,
      );
      expect(await countKeys(redis.url)).toBe(1200);
      redis.kill();
      await redis.restart();
      expect(await countKeys(redis.url)).toBe(0);
    } finally {
      await redis.stop();
    }
  });

  it('keeps acknowledged writes across a SIGKILL with appendonly + everysec (the OS has them)', async () => {
    const redis = await startRedis({ appendonly: true, appendfsync: 'everysec' });
    try {
      await writeAcknowledged(redis.url, { count: 1000 });
      redis.kill();
      await redis.restart();
      expect(await countKeys(redis.url)).toBe(1000);
    } finally {
      await redis.stop();
    }
  });

  it('promotes a replica that has what a healthy link sent, and WAIT confirms it', async () => {
    const { primary, replica } = await startPrimaryAndReplica();
    try {
      const written = await writeAcknowledged(primary.url, {
        count: 1000,
        waitForReplicas: { replicas: 1, timeoutMs: 1000 },
      });
      expect(written.acknowledged).toBe(1000);
      primary.kill();
      await promote(replica.url);
      expect(await countKeys(replica.url)).toBe(1000);
    } finally {
      await replica.stop();
      await primary.stop();
    }
  });

  it('does not count a batch WAIT could not confirm (a stopped replica)', async () => {
    const { primary, replica } = await startPrimaryAndReplica();
    process.kill(replica.pid, 'SIGSTOP');
    try {
      const written = await writeAcknowledged(primary.url, {
        count: 100,
        waitForReplicas: { replicas: 1, timeoutMs: 50 },
      });
      expect(written.acknowledged).toBe(0);
    } finally {
      process.kill(replica.pid, 'SIGCONT');
      await replica.stop();
      await primary.stop();
    }
  });
});
