// Exercise 02 — pick a backend: least connections, healthy backends only.
// Chapter 2, "Many users, many servers". Check it: npm run check 02 · stuck? npm run check -- 02 --hint
//
// The load balancer (notebooks/lab/node/balancer.ts) asks your policy's pick() where each request
// should go. It passes the whole pool. Every backend has a `name`, `healthy` (is it in rotation?
// the LB's health checks decide: out after 3 failed in a row, back after 2 passed) and `inFlight`
// (how many requests it is working on right now; the LB counts them).
// Return the backend that should get this request, or undefined when none can take it: the LB
// then answers 503. Your code runs inside the LB: if pick() throws, that request gets a 500.
import type { Backend, Policy } from '../lab/core/policies';

export function healthyLeastConnections(): Policy {
  return {
    name: 'least connections, healthy only (yours)',
    pins: false, // no affinity cookie: any backend may answer any request
    pick(backends: readonly Backend[]): Backend | undefined {
      // TODO: leave out every backend whose health check failed (healthy is false). If none is
      //       left, return undefined.
      // TODO: of the healthy ones, return one with the fewest requests in flight (inFlight).
      throw new Error(
        `TODO: pick one of ${backends.map((b) => `${b.name} (${b.healthy ? 'up' : 'down'}, ${b.inFlight} in flight)`).join(', ')}`,
      );
    },
  };
}
