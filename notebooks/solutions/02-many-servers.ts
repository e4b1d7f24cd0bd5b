// Exercise 02 — pick a backend: least connections, healthy backends only (reference solution).
// Chapter 2, "Many users, many servers". Check it: npm run check 02
//
// The LB calls pick() for every request. The policy's only state is whose turn it is among
// equally busy backends; health and in-flight counts are the LB's, read fresh on every call.
import type { Backend, Policy } from '../lab/core/policies';

export function healthyLeastConnections(): Policy {
  let turn = 0;
  return {
    name: 'least connections, healthy only',
    pins: false,
    pick(backends: readonly Backend[]): Backend | undefined {
      const healthy = backends.filter((b) => b.healthy);
      if (healthy.length === 0) return undefined; // the LB answers 503
      const fewest = Math.min(...healthy.map((b) => b.inFlight));
      // Equally busy backends take turns, so an idle pool still spreads the requests.
      const idlest = healthy.filter((b) => b.inFlight === fewest);
      turn = (turn + 1) % idlest.length;
      return idlest[turn];
    },
  };
}
