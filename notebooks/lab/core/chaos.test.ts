import { afterEach, describe, expect, it } from 'vitest';
import { createChaos, randomSchedule, scripted, type ChaosEvent, type ChaosTarget } from './chaos';
import { startServer, type RunningServer } from '../node/server';

const servers = ['app-1', 'app-2', 'app-3'];

/** A target that only writes down what it was asked to do. */
function recorder(): ChaosTarget & { calls: string[] } {
  const calls: string[] = [];
  const note = (verb: string) => async (name: string) => void calls.push(`${verb} ${name}`);
  return {
    calls,
    kill: note('kill'),
    restart: note('restart'),
    add: note('add'),
    remove: note('remove'),
  };
}

async function runAll(schedule: readonly ChaosEvent[], steps: number) {
  const target = recorder();
  const chaos = createChaos(schedule, target);
  for (let at = 0; at < steps; at++) await chaos.step(at);
  return { log: chaos.log, calls: target.calls };
}

describe('randomSchedule', () => {
  const options = { steps: 100, servers, killProbability: 0.2 };

  it('gives the same schedule, and the same applied log, for the same seed', async () => {
    const first = randomSchedule(42, options);
    expect(first.length).toBeGreaterThan(0);
    expect(randomSchedule(42, options)).toEqual(first);
    expect(await runAll(randomSchedule(42, options), 100)).toEqual(await runAll(first, 100));
  });

  it('gives a different schedule for a different seed', () => {
    expect(randomSchedule(1, options)).not.toEqual(randomSchedule(2, options));
  });

  it('never leaves fewer than minAlive servers running', () => {
    for (let seed = 0; seed < 50; seed++) {
      const down = new Set<string>();
      for (const event of randomSchedule(seed, { ...options, killProbability: 0.9, minAlive: 2 })) {
        if (event.action === 'kill') down.add(event.server);
        if (event.action === 'restart') down.delete(event.server);
        expect(servers.length - down.size).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('restarts every killed server a few steps later, before the run ends', () => {
    const schedule = randomSchedule(7, options);
    for (const kill of schedule.filter((e) => e.action === 'kill')) {
      const restart = schedule.find(
        (e) => e.action === 'restart' && e.server === kill.server && e.at > kill.at,
      );
      expect(restart!.at - kill.at).toBeGreaterThanOrEqual(2);
      expect(restart!.at - kill.at).toBeLessThanOrEqual(4);
      expect(restart!.at).toBeLessThan(100);
    }
  });

  it('kills nothing when the probability is zero', () => {
    expect(randomSchedule(3, { ...options, killProbability: 0 })).toEqual([]);
  });
});

describe('scripted', () => {
  it('sorts events by step, keeping the order of events on the same step', () => {
    expect(
      scripted([
        { at: 5, action: 'restart', server: 'app-1' },
        { at: 2, action: 'kill', server: 'app-1' },
        { at: 2, action: 'kill', server: 'app-2' },
      ]).map((e) => `${e.at} ${e.action} ${e.server}`),
    ).toEqual(['2 kill app-1', '2 kill app-2', '5 restart app-1']);
  });

  it('refuses a negative step, an unknown action or a missing server', () => {
    expect(() => scripted([{ at: -1, action: 'kill', server: 'app-1' }])).toThrow(RangeError);
    const explode = { at: 1, action: 'explode', server: 'app-1' } as unknown as ChaosEvent;
    expect(() => scripted([explode])).toThrow(/action must be/);
    expect(() => scripted([{ at: 1, action: 'kill', server: '' }])).toThrow(/name the server/);
  });
});

describe('createChaos', () => {
  it('applies scripted events at their step, and only then', async () => {
    const target = recorder();
    const chaos = createChaos(
      scripted([
        { at: 3, action: 'restart', server: 'app-2' },
        { at: 1, action: 'kill', server: 'app-2' },
        { at: 3, action: 'add', server: 'app-4' },
      ]),
      target,
    );
    expect(await chaos.step(0)).toEqual([]);
    expect(await chaos.step(1)).toEqual([{ at: 1, action: 'kill', server: 'app-2' }]);
    expect(target.calls).toEqual(['kill app-2']);
    await chaos.step(2);
    await chaos.step(3);
    expect(target.calls).toEqual(['kill app-2', 'restart app-2', 'add app-4']);
    expect(chaos.log.map((e) => e.at)).toEqual([1, 3, 3]);
  });

  it('says so when the target cannot do what the schedule asks', async () => {
    const chaos = createChaos([{ at: 0, action: 'add', server: 'app-4' }], {
      kill: () => undefined,
      restart: async () => undefined,
    });
    await expect(chaos.step(0)).rejects.toThrow(
      'chaos wants to add app-4, but the target cannot add',
    );
    expect(chaos.log).toEqual([]);
  });

  describe('on real servers', () => {
    const running: RunningServer[] = [];
    afterEach(async () => {
      for (const s of running.splice(0)) await s.stop();
    });

    it('kills a server and brings it back on the same port', async () => {
      const server = await startServer({ name: 'app-1', app: () => (_req, res) => res.end('ok') });
      running.push(server);
      const byName = new Map([[server.name, server]]);
      const chaos = createChaos(
        scripted([
          { at: 0, action: 'kill', server: 'app-1' },
          { at: 1, action: 'restart', server: 'app-1' },
        ]),
        {
          kill: (name) => byName.get(name)!.kill(),
          restart: (name) => byName.get(name)!.restart(),
        },
      );
      await chaos.step(0);
      expect(server.alive).toBe(false);
      await expect(fetch(server.url)).rejects.toThrow();
      await chaos.step(1);
      expect(await (await fetch(server.url)).text()).toBe('ok');
    });
  });
});
