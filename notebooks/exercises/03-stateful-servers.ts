// Exercise 03 — sticky sessions that survive a dead server.
// Chapter 3, "Stateful servers, broken four ways". Check it: npm run check 03 · stuck? npm run check -- 03 --hint
//
// The shop servers keep each user's session and cart in their own memory, so a user must keep
// going to the server that holds their state. Your policy runs inside the load balancer (lb) for
// every request. Because `pins` is true, the lb remembers your choice for the user: it sets a
// cookie, lb-backend=<name>, and sends it back to you as `request.affinity` on the user's next
// request. A backend is `healthy` while the lb's health checks get answers from it.
//
// Out of scope: saving the state of a server that died (it is gone; chapter 4 moves it out).
import type { Backend, Policy, RouteRequest } from '../lab/core/policies';

export function stickySessions(): Policy {
  return {
    name: 'sticky sessions',
    pins: true,
    pick(backends: readonly Backend[], request: RouteRequest): Backend | undefined {
      // TODO: a user whose request.affinity names a healthy backend goes back to that backend.
      // TODO: anyone else (a new user, or one pinned to a backend that is down) gets a healthy
      //       backend, and new users are spread across all of them. Return undefined only when
      //       no backend is healthy (the lb then answers 503).
      throw new Error(
        `TODO: pick one of ${backends.length} backends for a user pinned to ${request.affinity ?? 'none'}`,
      );
    },
  };
}
