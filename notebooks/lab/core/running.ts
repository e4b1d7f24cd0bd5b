// What a notebook has started and not yet stopped. Each experiment starts servers, a balancer or
// a whole cluster and stops them when it is done; when a cell fails half-way, its `stop` never runs
// and the servers keep their ports. So every notebook registers what it starts here, retires each
// thing when its experiment is over, and its last cell stops whatever is still running.

/** Anything a notebook can stop: a cluster, a set of booted shops, a Redis server. */
export interface Stoppable {
  stop(): Promise<void>;
}

export class Running<T extends Stoppable> {
  private readonly things = new Set<T>();

  /**
   * Remembers `thing` as running and returns it, with its own type (an `InProcessCluster` stays
   * one): `const cluster = running.add(await startCluster(...))`.
   */
  add<U extends T>(thing: U): U {
    this.things.add(thing);
    return thing;
  }

  /** Stops `thing` and forgets it: its experiment is over. */
  async retire(thing: T): Promise<void> {
    this.things.delete(thing);
    await thing.stop();
  }

  /** Forgets `thing` without stopping it, for a notebook that has already stopped it by hand. */
  forget(thing: T): void {
    this.things.delete(thing);
  }

  /** How many things are still running. */
  get size(): number {
    return this.things.size;
  }

  /**
   * Stops everything still running, in the order it was started, and returns how many it stopped.
   * Each is forgotten before it is stopped, so calling this again never stops anything twice.
   */
  async stopAll(): Promise<number> {
    const left = [...this.things];
    this.things.clear();
    for (const thing of left) await thing.stop();
    return left.length;
  }
}

// The registry of the notebook's last setup run. A module's state lives as long as the kernel does,
// so it outlives a re-run of the setup cell, which would otherwise drop the only way to stop it.
let lastRun: Running<Stoppable> | undefined;

/**
 * A fresh registry for a notebook's setup cell: `const running = await startAfresh<Cluster>()`.
 * What the registry of an earlier run in this kernel still holds is stopped first: a cell failed
 * before the clean-up cell, and the reader ran the notebook again.
 */
export async function startAfresh<T extends Stoppable = Stoppable>(): Promise<Running<T>> {
  await lastRun?.stopAll();
  const running = new Running<T>();
  lastRun = running;
  return running;
}
