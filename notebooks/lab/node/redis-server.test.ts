import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

describe.runIf(gate.run)('a Redis a notebook started, when the reader interrupts a cell', () => {
  it("keeps running through the SIGINT that Jupyter sends the kernel's whole process group", async () => {
    // The "kernel": a process in a group of its own that starts Redis, as a notebook cell does,
    // and survives SIGINT itself (tslab turns it into an interrupt of the running cell).
    const kernel = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        [
          "process.on('SIGINT', () => {});",
          "const { startRedis } = require('./redis-server');",
          'startRedis().then((r) => console.log(JSON.stringify({ port: r.port, pid: r.pid })));',
          'setInterval(() => {}, 1000);',
        ].join('\n'),
      ],
      { cwd: __dirname, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let redisPid: number | undefined;
    try {
      let out = '';
      const started = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
        kernel.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = /\{"port".*\}/.exec(out);
          if (line) resolve(JSON.parse(line[0]) as { port: number; pid: number });
        });
        kernel.once('exit', (code) => reject(new Error(`the kernel exited (${code}): ${out}`)));
      });
      redisPid = started.pid;
      expect(await ping(started.port)).toBe(true);
      if (existsSync(`/proc/${started.pid}/stat`)) {
        // Linux: field 5 of /proc/<pid>/stat is the process group (after the name in brackets).
        const stat = readFileSync(`/proc/${started.pid}/stat`, 'utf8');
        const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
        expect(group, "Redis is in the kernel's process group").not.toBe(kernel.pid);
      }
      process.kill(-kernel.pid!, 'SIGINT'); // what Jupyter's interrupt does
      await new Promise((resolve) => setTimeout(resolve, 300)); // Redis exits on SIGINT at once
      expect(await ping(started.port), 'Redis died of the interrupt').toBe(true);
      kernel.kill('SIGTERM'); // the kernel shuts down: its Redis goes with it (exit-cleanup.ts)
      await new Promise((resolve) => kernel.once('exit', resolve));
      await expect.poll(() => ping(started.port), { timeout: 10_000 }).toBe(false);
    } finally {
      // A failed test leaves no process behind: a SIGKILLed kernel would orphan its Redis.
      if (kernel.exitCode === null && kernel.signalCode === null) kernel.kill('SIGKILL');
      if (redisPid !== undefined) {
        try {
          process.kill(redisPid, 'SIGKILL');
        } catch {
          // already gone, as it should be
        }
      }
    }
  }, 60_000);
});
