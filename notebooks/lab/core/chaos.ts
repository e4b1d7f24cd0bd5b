// Faults as named knobs: a schedule of kill/restart/add/remove events by step, random (from a
// seed, so a run can be repeated) or scripted, applied to a target. Platform-free. State: the
// schedule is plain data; createChaos keeps only the log of what it has applied.
// The other nemesis, users who send two writes at once, is a workload knob (users.ts, `tabs: 2`);
// two-tabs.ts runs the two together and audits what the shop kept.
import { seededRandom } from './random';

export type ChaosEvent = {
  /** Step index. */
  at: number;
  action: 'kill' | 'restart' | 'add' | 'remove';
  server: string;
};

const ACTIONS: readonly ChaosEvent['action'][] = ['kill', 'restart', 'add', 'remove'];

export interface RandomScheduleOptions {
  steps: number;
  servers: readonly string[];
  /** Chance that each live server is killed at each step. Default 0.1. */
  killProbability?: number;
  /** Never kill below this many live servers. Default 1. */
  minAlive?: number;
}

/**
 * Random kills, each followed 2–4 steps later by a restart of the same server. Kills whose
 * restart would fall after the last step are skipped, so the cluster ends the run whole.
 */
export function randomSchedule(seed: number, options: RandomScheduleOptions): ChaosEvent[] {
  const { steps, servers, killProbability = 0.1, minAlive = 1 } = options;
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`steps must be a whole number ≥ 0`);
  if (!(killProbability >= 0 && killProbability <= 1)) {
    throw new RangeError(`killProbability must be between 0 and 1, got ${killProbability}`);
  }
  const random = seededRandom(seed);
  const events: ChaosEvent[] = [];
  const restartAt = new Map<string, number>(); // the servers that are down, and when they return

  for (let at = 0; at < steps; at++) {
    for (const [server, when] of restartAt) {
      if (when !== at) continue;
      events.push({ at, action: 'restart', server });
      restartAt.delete(server);
    }
    for (const server of servers) {
      if (restartAt.has(server)) continue;
      const kill = random.next() < killProbability;
      const delay = 2 + random.int(3); // drawn every time, so one choice never shifts the next
      const alive = servers.length - restartAt.size;
      if (kill && alive > minAlive && at + delay < steps) {
        events.push({ at, action: 'kill', server });
        restartAt.set(server, at + delay);
      }
    }
  }
  return events;
}

/** A hand-written schedule: checked, then sorted by step (same-step events keep their order). */
export function scripted(events: ChaosEvent[]): ChaosEvent[] {
  for (const event of events) {
    if (!Number.isInteger(event.at) || event.at < 0) {
      throw new RangeError(`chaos event at step ${event.at}: a step is a whole number ≥ 0`);
    }
    if (!ACTIONS.includes(event.action)) {
      throw new RangeError(
        `chaos event ${JSON.stringify(event)}: action must be ${ACTIONS.join(', ')}`,
      );
    }
    if (typeof event.server !== 'string' || event.server === '') {
      throw new RangeError(`chaos event ${JSON.stringify(event)}: name the server`);
    }
  }
  return [...events].sort((a, b) => a.at - b.at);
}

/** What chaos acts on: usually the lab's servers (and, for add/remove, the balancer). */
/** Anything chaos can break: a Cluster is one. What the actions resolve to is ignored. */
export interface ChaosTarget {
  kill(name: string): unknown;
  restart(name: string): Promise<unknown>;
  add?(name: string): Promise<unknown>;
  remove?(name: string): Promise<unknown>;
}

export interface Chaos {
  /** Apply every event scheduled for this step, in order; returns them. */
  step(at: number): Promise<ChaosEvent[]>;
  /** Every event applied so far, in the order applied. */
  readonly log: readonly ChaosEvent[];
}

export function createChaos(schedule: readonly ChaosEvent[], target: ChaosTarget): Chaos {
  const log: ChaosEvent[] = [];
  return {
    log,
    async step(at) {
      const due = schedule.filter((event) => event.at === at);
      for (const event of due) {
        await apply(target, event);
        log.push(event);
      }
      return due;
    },
  };
}

async function apply(target: ChaosTarget, { action, server }: ChaosEvent) {
  const act = target[action];
  if (!act) throw new Error(`chaos wants to ${action} ${server}, but the target cannot ${action}`);
  await act.call(target, server);
}
