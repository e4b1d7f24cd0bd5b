// Exercise 03 — sticky sessions that survive a dead server (reference solution).
// Chapter 3, "Stateful servers, broken four ways". Check it: npm run check 03
//
// Stickiness is a work-around, not a fix: it keeps users on the server that holds their state,
// but when that server dies their state dies with it. All a policy can do then is move them to
// a live server at once, where they log in again, and leave everyone else alone.
import type { Backend, Policy, RouteRequest } from '../lab/core/policies';

export function stickySessions(): Policy {
  let turn = 0; // the lb's own state: whose turn it is to get the next new user
  return {
    name: 'sticky sessions',
    pins: true,
    pick(backends: readonly Backend[], request: RouteRequest): Backend | undefined {
      const pinned = backends.find((b) => b.name === request.affinity);
      if (pinned?.healthy) return pinned;
      // New, or pinned to a dead backend: the next healthy one in turn. The lb re-pins the user.
      const healthy = backends.filter((b) => b.healthy);
      if (healthy.length === 0) return undefined;
      turn = (turn + 1) % healthy.length;
      return healthy[turn];
    },
  };
}
