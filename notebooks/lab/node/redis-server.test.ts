import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findRedisServer,
  ping,
  redisTestGate,
  startRedis,
  type RunningRedis,
} from './redis-server';

/** What redisAvailability() says on a machine without redis-server. */
const redisAvailabilityWithout = () => ({
  available: false,
  why: 'redis-server was not found on PATH nor in /usr/bin; `apt-get install redis-server`',
});

describe('redisTestGate', () => {
  const missing = { available: false, why: 'redis-server was not found' };

  it('runs the Redis tests when redis-server exists', () => {
    expect(redisTestGate({}, { available: true })).toEqual({ run: true });
  });

  it('skips them outside CI, with a printed line saying what to install', () => {
    const lines: string[] = [];
    expect(redisTestGate({}, redisAvailabilityWithout(), (line) => lines.push(line))).toEqual({
      run: false,
    });
    expect(lines).toEqual([expect.stringMatching(/^skipped: .*apt-get install redis-server/)]);
  });

  it('fails them in CI, where every real part is mandatory', () => {
    const gate = redisTestGate({ CI: 'true' }, missing, () => undefined);
    expect(gate.run).toBe(false);
    expect(gate.failure).toMatch(/redis-server was not found.*CI must run them/);
  });
});

const gate = redisTestGate();

// The one gate test for every Redis test file: it fails in CI when Redis is missing, and it is
// skipped only outside CI without Redis, so in CI the Redis tests never skip silently.
it.skipIf(!gate.run && gate.failure === undefined)(
  'has redis-server (CI runs the Redis tests)',
  () => {
    if (gate.failure) throw new Error(gate.failure);
    expect(findRedisServer()).toBeDefined();
  },
);

describe.runIf(gate.run)('startRedis', () => {
  const started: RunningRedis[] = [];
  afterAll(async () => {
    for (const redis of started) await redis.stop();
  });

  it('starts a Redis on 127.0.0.1 that answers PING, and stops it', async () => {
    const redis = await startRedis();
    started.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis.port)).toBe(true);
    await redis.stop();
    expect(await ping(redis.port)).toBe(false);
  });

  it('kill() is a crash; restart() comes back on the same port as a new process', async () => {
    const redis = await startRedis();
    started.push(redis);
    const firstPid = redis.pid;
    redis.kill();
    await expect.poll(() => ping(redis.port)).toBe(false);
    await redis.restart();
    expect(await ping(redis.port)).toBe(true);
    expect(redis.pid).not.toBe(firstPid);
  });

  it('stop() removes the data folder it made, after a restart too; a folder given is kept', async () => {
    const made = await startRedis({ appendonly: true });
    started.push(made);
    made.kill();
    await made.restart(); // a restart keeps the folder: it reads what it wrote there
    expect(existsSync(made.dir)).toBe(true);
    await made.stop();
    expect(existsSync(made.dir)).toBe(false);

    const given = mkdtempSync(join(tmpdir(), 'statelab-redis-given-'));
    try {
      const kept = await startRedis({ dir: given });
      started.push(kept);
      await kept.stop();
      expect(existsSync(given)).toBe(true);
    } finally {
      rmSync(given, { recursive: true, force: true });
    }
  });

  it('pause() freezes it (no PONG) until resume(); stop() ends it even while paused', async () => {
    const redis = await startRedis();
    started.push(redis);
    redis.pause();
    expect(await ping(redis.port, 200)).toBe(false);
    redis.resume();
    expect(await ping(redis.port)).toBe(true);
    redis.pause();
    await redis.stop();
    expect(await ping(redis.port)).toBe(false);
  });
});
