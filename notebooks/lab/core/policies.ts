// Routing policies: how a load balancer chooses a backend for one request. Platform-free
// (the site's simulator reuses it). State: round robin keeps one counter, the LB's own state;
// the others keep none, reading only the backends' health and in-flight counts and the request.

export interface Backend {
  readonly name: string;
  healthy: boolean;
  inFlight: number;
}

/** The cookie a pinning LB sets to the name of the client's backend (the lab's, nginx's, HAProxy's). */
export const AFFINITY_COOKIE = 'lb-backend';

export interface RouteRequest {
  /** Affinity cookie value (AFFINITY_COOKIE): the backend name it was pinned to. */
  affinity?: string;
  /** A stable client key (header x-client-id, else the client address). */
  clientKey: string;
}

export interface Policy {
  readonly name: string;
  /** true: the LB pins the client with an affinity cookie naming the chosen backend. */
  readonly pins: boolean;
  pick(backends: readonly Backend[], request: RouteRequest): Backend | undefined;
}

const healthyOf = (backends: readonly Backend[]) => backends.filter((b) => b.healthy);

// #region round-robin
/** Each healthy backend in turn. A backend that goes down just drops out of the turn. */
export function roundRobin(): Policy {
  let turn = 0; // the balancer's state: whose turn it is
  return {
    name: 'round robin',
    pins: false,
    pick(backends) {
      const healthy = healthyOf(backends);
      if (healthy.length === 0) return undefined;
      const chosen = healthy[turn % healthy.length];
      turn = (turn + 1) % Number.MAX_SAFE_INTEGER;
      return chosen;
    },
  };
}
// #endregion round-robin

// #region least-connections
/**
 * The healthy backend with the fewest requests in flight. Ties take turns: the search starts one
 * place further along the pool each time, and the first of the fewest from there wins. So an
 * idle cluster serving one request at a time still spreads the load, and so does a busy one
 * where the last answer is still in flight at every pick. (Taking turns among the tied backends
 * alone, `tied[turn % tied.length]`, does not: with one answer outstanding, the tied pair is
 * always the other two, and one backend can be passed over for ever.)
 */
export function leastConnections(): Policy {
  let turn = 0; // the balancer's state: where the next search starts
  return {
    name: 'least connections',
    pins: false,
    pick(backends) {
      const healthy = healthyOf(backends);
      if (healthy.length === 0) return undefined;
      const start = turn % healthy.length;
      turn = (turn + 1) % Number.MAX_SAFE_INTEGER;
      let chosen = healthy[start];
      for (let i = 1; i < healthy.length; i++) {
        const next = healthy[(start + i) % healthy.length];
        if (next.inFlight < chosen.inFlight) chosen = next;
      }
      return chosen;
    },
  };
}
// #endregion least-connections

/**
 * Sticky sessions by cookie: a client whose cookie names a healthy backend goes back to it.
 * Anyone else (new, or pinned to a backend that is down) gets the fallback's choice, and the
 * LB re-pins them there.
 */
export function stickyCookie(fallback: Policy = roundRobin()): Policy {
  return {
    name: `sticky cookie (then ${fallback.name})`,
    pins: true,
    pick(backends, request) {
      const pinned = backends.find((b) => b.name === request.affinity);
      return pinned?.healthy ? pinned : fallback.pick(backends, request);
    },
  };
}

/**
 * Sticky without a cookie: rendezvous (highest-random-weight) hashing of the client key.
 * Each backend scores hash(key, backend); the highest score wins. When a backend leaves,
 * only the keys it was winning move; everyone else's winner is unchanged.
 */
export function hashClientKey(): Policy {
  return {
    name: 'hash of client key',
    pins: false,
    pick(backends, request) {
      let best: Backend | undefined;
      let bestScore = -1;
      for (const backend of healthyOf(backends)) {
        const score = hash32(`${request.clientKey}\u0000${backend.name}`);
        if (score > bestScore) [best, bestScore] = [backend, score];
      }
      return best;
    },
  };
}

/** FNV-1a (32-bit) over UTF-16 code units, then murmur3's finaliser so close inputs spread. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
