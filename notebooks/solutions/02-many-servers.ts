// Exercise 02 — pick a backend: least connections, healthy backends only (reference solution).
// Chapter 2, "Many users, many servers". Check it: npm run check 02
//
// The LB calls pick() for every request. The policy's only state is where its search starts, so
// that equally busy backends take turns; health and in-flight counts are the LB's, read fresh on
// every call.
import type { Backend, Policy } from '../lab/core/policies';

export function healthyLeastConnections(): Policy {
  let turn = 0;
  return {
    name: 'least connections, healthy only',
    pins: false,
    pick(backends: readonly Backend[]): Backend | undefined {
      const healthy = backends.filter((b) => b.healthy);
      if (healthy.length === 0) return undefined; // the LB answers 503
      // Equally busy backends take turns: start the search one place further along each time and
      // keep the first of the fewest. (Turns among the tied backends alone, tied[turn % tied.length],
      // can pass one backend over for ever when an answer is still in flight at every pick.)
      const start = turn++ % healthy.length;
      let chosen = healthy[start];
      for (let i = 1; i < healthy.length; i++) {
        const next = healthy[(start + i) % healthy.length];
        if (next.inFlight < chosen.inFlight) chosen = next;
      }
      return chosen;
    },
  };
}
