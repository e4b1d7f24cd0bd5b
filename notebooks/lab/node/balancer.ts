// A real HTTP load balancer (a reverse proxy) on 127.0.0.1. State lives here in three places:
// the backend list (each backend's health and in-flight count), the policy's own memory (e.g.
// round robin's counter) and per-backend counters. Clients' pins live in *their* cookies.
// With `retry` on, a request is also held here (its body, up to 64 KiB) until it is answered.
// An answer the LB gives without forwarding the request carries `x-lb-forwarded: no`, so a
// client knows no backend saw it (a definite failure); any other error may hide a done request.
// This file is the wiring; each part is a module of its own: the pool of backends
// (balancer-pool.ts), their health checks (balancer-health.ts), forwarding one request
// (balancer-proxy.ts), which requests may be retried (balancer-retry.ts), the counters
// (balancer-stats.ts), the headers that cross it (balancer-headers.ts) and the answers it gives
// itself (balancer-replies.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { healthWatch, type CheckResult, type HealthCheckOptions } from './balancer-health';
import { backendPool, type Member } from './balancer-pool';
import { openRequests, proxy, type Failure } from './balancer-proxy';
import { notForwarded, refuseTunnel, sendError } from './balancer-replies';
import { holdForRetry, retryable } from './balancer-retry';
import { balancerStats, type BalancerStats } from './balancer-stats';
import { parseCookies, sessionCookie } from '../core/cookies';
import { answerClientErrorsInJson, EDGE_SERVER_OPTIONS, firstHeader } from './http-edge';
import { AFFINITY_COOKIE, type Backend, type Policy, type RouteRequest } from '../core/policies';

export { retryable } from './balancer-retry';
export type { BalancerStats } from './balancer-stats';

export interface BalancerOptions {
  /** Default 'lb'. Requests it could not route (503, 500) are counted under this name. */
  name?: string;
  backends: { name: string; url: string }[];
  policy: Policy;
  /**
   * Active checks of every backend (see balancer-health.ts; every setting defaults to
   * HEALTH_CHECK_DEFAULTS). false: no checks, every backend is always healthy.
   */
  healthCheck?: HealthCheckOptions | false;
  /**
   * How long a backend may stay silent (no answer yet, or a pause in the middle of one) before
   * the LB gives up on it and destroys the request: the client gets a 504, or a cut if the answer
   * had begun. Default DEFAULT_TIMEOUT_MS.
   */
  timeoutMs?: number;
  /** Default AFFINITY_COOKIE ('lb-backend'). */
  affinityCookie?: string;
  /** Where an error thrown by the policy's pick() goes (the client gets a 500). Default: stderr. */
  onError?: (error: unknown) => void;
  /**
   * Default false: a backend that failed with the request is a visible 502, and one that refused
   * the connection a 503 (not forwarded). True: a request that is safe to repeat (see
   * `retryable`) and whose backend failed before answering is sent once more, to another
   * healthy backend. A timeout is not retried: a backend that slow may be overloaded, and a
   * second copy of the request would add to its load and to the client's wait.
   */
  retry?: boolean;
}

/** How long a backend may stay silent before the LB answers 504 (like nginx's proxy_read_timeout, shorter). */
export const DEFAULT_TIMEOUT_MS = 5_000;

export interface RunningBalancer {
  readonly url: string;
  readonly port: number;
  readonly backends: readonly Backend[];
  add(backend: { name: string; url: string }): void;
  /**
   * Out of rotation at once: no new request goes there. Resolves once the requests already on
   * their way there have been answered: the moment the backend can stop without cutting any.
   */
  remove(name: string): Promise<void>;
  /** Resolves once the LB's view of that backend's health equals `healthy` (polls; rejects after timeoutMs, default 5000). */
  waitFor(name: string, healthy: boolean, timeoutMs?: number): Promise<void>;
  /**
   * Calls `listener` with every health check's result from now on, as it is recorded (the verdict
   * it reports is already in force). Returns a function that stops the calls.
   */
  onCheck(listener: (result: CheckResult) => void): () => void;
  stats(): BalancerStats;
  resetStats(): void;
  /** Closes the port, cuts every connection and every request still on its way to a backend. */
  stop(): Promise<void>;
}

/** One try of a request: where it goes, and what an earlier try of it already did. */
interface Attempt {
  req: IncomingMessage;
  res: ServerResponse;
  route: RouteRequest;
  /** The buffered body of a retryable request (undefined: streamed, never retried). */
  body?: Buffer;
  /** Set on the second try: whether the first one reached its backend. */
  first?: { reached: boolean };
}

export async function startBalancer(options: BalancerOptions): Promise<RunningBalancer> {
  const { policy } = options;
  const lbName = options.name ?? 'lb';
  const cookieName = options.affinityCookie ?? AFFINITY_COOKIE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const health = healthWatch(options.healthCheck);
  const pool = backendPool(policy, health, onError);
  const stats = balancerStats();
  const upstreams = openRequests();

  // As the shop's server (server.ts): a client that sends less than it announced gets a 408 within
  // seconds, and what Node refuses before this code runs gets JSON, as every other answer here.
  const server = createServer(EDGE_SERVER_OPTIONS, (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      return notForwarded(res, 400, 'an HTTP/1.1 request needs a Host header (RFC 9112 §3.2)');
    }
    const route = routeRequestOf(req, cookieName);
    if (!options.retry || !retryable(req.method, req.headers)) return forward({ req, res, route }); // streamed through
    holdForRetry(req, res, (body) => forward({ req, res, route, body }));
  });
  answerClientErrorsInJson(server);
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseTunnel(socket));
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    notForwarded(res, 417, `cannot meet Expect: ${req.headers.expect}`),
  );

  /** Picks a backend for the request and proxies it there, unless its client is gone. */
  function forward(attempt: Attempt) {
    if (attempt.res.destroyed) return; // the client left (or the LB stopped): nothing is sent for it
    const member = pool.choose(attempt.route);
    if (member === 'policy failed') {
      stats.of(lbName).failed += 1;
      return notForwarded(attempt.res, 500, 'the routing policy failed');
    }
    if (!member) {
      stats.of(lbName).failed += 1;
      return notForwarded(attempt.res, 503, 'no healthy backend');
    }
    send(attempt, member);
  }

  /** Proxies one try to `member`, pinning the client there if the policy pins. */
  function send(attempt: Attempt, member: Member) {
    const { name } = member.backend;
    stats.of(name).routed += 1;
    const pin = policy.pins && attempt.route.affinity !== name;
    const addCookie = pin ? sessionCookie(cookieName, name) : undefined; // forgotten on close
    const hop = { req: attempt.req, res: attempt.res, member, body: attempt.body, addCookie };
    proxy(hop, { timeoutMs, open: upstreams.open }, (failure) =>
      failed(attempt, member.backend, failure),
    );
  }

  // #region retry
  // The backend failed before a byte of its answer reached us. If it refused the connection,
  // it never saw the request: 503, marked not forwarded, a definite failure. If the request was
  // on its way (reset, cut, silence), the backend may have acted on it: 502 (504 for silence),
  // an unknown outcome for the client. With retry, a repeatable request that failed goes once
  // more to another backend; whatever the first backend did before it died, it may have done.
  // (balancer-proxy.ts reports no failure for a client that has left: the error is our own cut.)
  function failed(attempt: Attempt, backend: Backend, failure: Failure) {
    const { req, res, route, body, first } = attempt;
    const why = `backend ${backend.name}`;
    if (failure.kind === 'silent') {
      stats.of(backend.name).failed += 1;
      // The backend waited for the rest of a request the client never finished sending.
      if (!req.complete) return sendError(res, 408, 'the request did not arrive in time');
      return sendError(res, 504, `${why} did not answer within ${timeoutMs} ms`);
    }
    const reached = failure.reached || (first?.reached ?? false);
    const next = body && !first ? pool.choose(route, backend) : undefined;
    if (next && next !== 'policy failed') {
      stats.of(backend.name).retried += 1;
      return send({ ...attempt, first: { reached } }, next);
    }
    stats.of(backend.name).failed += 1;
    const what = `${why} failed: ${failure.why}`;
    if (reached) sendError(res, 502, what);
    else notForwarded(res, 503, what);
  }
  // #endregion retry

  const add = (spec: { name: string; url: string }) => {
    pool.add(spec);
    stats.of(spec.name);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const spec of options.backends) add(spec);
  await health.firstRound(pool.members());

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get backends() {
      return pool.backends();
    },
    add,
    remove: (name) => pool.remove(name),
    waitFor: (name, healthy, timeoutMs) => pool.waitFor(name, healthy, timeoutMs),
    onCheck: (listener) => health.onCheck(listener),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(pool.backends().map((b) => b.name)),
    async stop() {
      health.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      const cut = upstreams.cutAll();
      pool.destroy();
      await Promise.all([closed, cut]);
    },
  };
}

/** The routing facts of a request: its affinity cookie and a stable client key. */
function routeRequestOf(req: IncomingMessage, cookieName: string): RouteRequest {
  const clientKey = firstHeader(req.headers['x-client-id']) ?? req.socket.remoteAddress ?? '';
  const affinity = parseCookies(req.headers.cookie)[cookieName];
  return affinity === undefined ? { clientKey } : { affinity, clientKey };
}
