import { describe, expect, it } from 'vitest';
import {
  hashClientKey,
  leastConnections,
  roundRobin,
  stickyCookie,
  type Backend,
  type Policy,
} from './policies';

const cluster = (...names: string[]): Backend[] =>
  names.map((name) => ({ name, healthy: true, inFlight: 0 }));

/** Picks `count` times and counts where each request went. */
function spread(policy: Policy, backends: Backend[], count: number, clientKey = 'c') {
  const hits: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const name = policy.pick(backends, { clientKey })?.name ?? 'none';
    hits[name] = (hits[name] ?? 0) + 1;
  }
  return hits;
}

describe('roundRobin', () => {
  it('spreads 300 requests evenly over 3 backends', () => {
    expect(spread(roundRobin(), cluster('a', 'b', 'c'), 300)).toEqual({ a: 100, b: 100, c: 100 });
  });

  it('skips an unhealthy backend', () => {
    const backends = cluster('a', 'b', 'c');
    backends[1].healthy = false;
    expect(spread(roundRobin(), backends, 300)).toEqual({ a: 150, c: 150 });
  });

  it('finds nothing when no backend is healthy', () => {
    const backends = cluster('a');
    backends[0].healthy = false;
    expect(roundRobin().pick(backends, { clientKey: 'c' })).toBeUndefined();
  });
});

describe('leastConnections', () => {
  it('prefers the backend with the fewest requests in flight', () => {
    const backends = cluster('a', 'b', 'c');
    backends[0].inFlight = 3;
    backends[2].inFlight = 1;
    expect(leastConnections().pick(backends, { clientKey: 'c' })?.name).toBe('b');
  });

  it('skips an unhealthy backend even when it is idle', () => {
    const backends = cluster('a', 'b');
    backends[0].healthy = false;
    backends[1].inFlight = 5;
    expect(leastConnections().pick(backends, { clientKey: 'c' })?.name).toBe('b');
  });

  it('takes turns among backends that are equally busy', () => {
    expect(spread(leastConnections(), cluster('a', 'b', 'c'), 30)).toEqual({ a: 10, b: 10, c: 10 });
  });

  it('starves no backend when each request arrives while the one before is still in flight', () => {
    // The pattern of a busy machine: one answer outstanding at every pick. Turns taken among the
    // idlest alone (turn % idlest.length) alternate between two of the three here, forever.
    for (const depth of [1, 2]) {
      const backends = cluster('a', 'b', 'c');
      const policy = leastConnections();
      const outstanding: Backend[] = [];
      const hits: Record<string, number> = { a: 0, b: 0, c: 0 };
      for (let i = 0; i < 90; i++) {
        if (outstanding.length === depth) outstanding.shift()!.inFlight -= 1;
        const chosen = policy.pick(backends, { clientKey: 'c' })!;
        chosen.inFlight += 1;
        outstanding.push(chosen);
        hits[chosen.name] += 1;
      }
      expect(hits, `${depth} in flight`).toEqual({ a: 30, b: 30, c: 30 });
    }
  });

  it('finds nothing when no backend is healthy', () => {
    expect(leastConnections().pick([], { clientKey: 'c' })).toBeUndefined();
  });
});

describe('stickyCookie', () => {
  it('asks the LB to pin clients', () => {
    expect(stickyCookie().pins).toBe(true);
  });

  it('keeps a client with a cookie on its backend', () => {
    const policy = stickyCookie();
    const backends = cluster('a', 'b', 'c');
    for (let i = 0; i < 10; i++) {
      expect(policy.pick(backends, { affinity: 'b', clientKey: 'c' })?.name).toBe('b');
    }
  });

  it('sends a client without a cookie to the fallback', () => {
    expect(spread(stickyCookie(), cluster('a', 'b'), 10)).toEqual({ a: 5, b: 5 });
  });

  it('re-pins a client whose backend is unhealthy, or gone', () => {
    const backends = cluster('a', 'b');
    backends[1].healthy = false;
    const policy = stickyCookie();
    expect(policy.pick(backends, { affinity: 'b', clientKey: 'c' })?.name).toBe('a');
    expect(policy.pick(backends, { affinity: 'zz', clientKey: 'c' })?.name).toBe('a');
  });

  it('finds nothing when no backend is healthy', () => {
    const backends = cluster('a');
    backends[0].healthy = false;
    expect(stickyCookie().pick(backends, { affinity: 'a', clientKey: 'c' })).toBeUndefined();
  });
});

describe('hashClientKey', () => {
  const keys = Array.from({ length: 600 }, (_, i) => `client-${i}`);
  const assign = (backends: Backend[]) =>
    new Map(
      keys.map((clientKey) => [clientKey, hashClientKey().pick(backends, { clientKey })?.name]),
    );

  it('sends the same key to the same backend, without a cookie', () => {
    const policy = hashClientKey();
    const backends = cluster('a', 'b', 'c');
    const first = policy.pick(backends, { clientKey: '10.0.0.7' });
    for (let i = 0; i < 10; i++)
      expect(policy.pick(backends, { clientKey: '10.0.0.7' })).toBe(first);
    expect(policy.pins).toBe(false);
  });

  it('spreads many keys roughly evenly', () => {
    const counts = [...assign(cluster('a', 'b', 'c')).values()].reduce<Record<string, number>>(
      (acc, name) => ({ ...acc, [name ?? 'none']: (acc[name ?? 'none'] ?? 0) + 1 }),
      {},
    );
    for (const name of ['a', 'b', 'c']) expect(counts[name]).toBeGreaterThan(150);
  });

  it('moves only the keys of a backend that goes away', () => {
    const before = assign(cluster('a', 'b', 'c'));
    const after = assign(cluster('a', 'c'));
    const moved = keys.filter((key) => before.get(key) !== after.get(key));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((key) => before.get(key) === 'b')).toBe(true);
    expect(keys.filter((key) => before.get(key) === 'b')).toEqual(moved);
  });

  it('treats an unhealthy backend as gone, and finds nothing when none is healthy', () => {
    const backends = cluster('a', 'b', 'c');
    backends[1].healthy = false;
    expect(assign(backends)).toEqual(assign(cluster('a', 'c')));
    for (const b of backends) b.healthy = false;
    expect(hashClientKey().pick(backends, { clientKey: 'x' })).toBeUndefined();
  });
});
