import { describe, expect, it } from 'vitest';
import { Running, startAfresh } from './running';

/** A stand-in for a cluster that records, in `stopped`, the order things were stopped in. */
function thing(name: string, stopped: string[]) {
  return { name, stop: () => Promise.resolve(void stopped.push(name)) };
}

describe('Running', () => {
  it('retire stops the thing and forgets it, so stopAll does not stop it again', async () => {
    const stopped: string[] = [];
    const running = new Running<ReturnType<typeof thing>>();
    const a = running.add(thing('a', stopped));
    running.add(thing('b', stopped));
    await running.retire(a);
    expect(stopped).toEqual(['a']);
    expect(running.size).toBe(1);
    expect(await running.stopAll()).toBe(1);
    expect(stopped).toEqual(['a', 'b']);
  });

  it('stopAll stops what is left in the order it was started, once', async () => {
    const stopped: string[] = [];
    const running = new Running<ReturnType<typeof thing>>();
    for (const name of ['first', 'second', 'third']) running.add(thing(name, stopped));
    expect(await running.stopAll()).toBe(3);
    expect(await running.stopAll()).toBe(0);
    expect(stopped).toEqual(['first', 'second', 'third']);
    expect(running.size).toBe(0);
  });

  it('forget drops a thing without stopping it', async () => {
    const stopped: string[] = [];
    const running = new Running<ReturnType<typeof thing>>();
    const a = running.add(thing('a', stopped));
    running.forget(a);
    expect(await running.stopAll()).toBe(0);
    expect(stopped).toEqual([]);
  });
});

describe('startAfresh', () => {
  it('stops what the previous run of a setup cell left running, and only that', async () => {
    const stopped: string[] = [];
    const first = await startAfresh<ReturnType<typeof thing>>();
    first.add(thing('left by a failed run', stopped));
    await first.retire(first.add(thing('retired', stopped)));

    const second = await startAfresh<ReturnType<typeof thing>>();
    expect(stopped).toEqual(['retired', 'left by a failed run']);
    expect(second).not.toBe(first);
    second.add(thing('new', stopped));
    expect(await second.stopAll()).toBe(1);
  });
});
