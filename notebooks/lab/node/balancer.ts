// A real HTTP load balancer (a reverse proxy) on 127.0.0.1. State lives here in three places:
// the backend list (each backend's health and in-flight count), the policy's own memory (e.g.
// round robin's counter) and per-backend counters. Clients' pins live in *their* cookies.
// With `retry` on, a request is also held here (its body, up to 64 KiB) until it is answered.
// An answer the LB gives without forwarding the request carries `x-lb-forwarded: no`, so a
// client knows no backend saw it (a definite failure); any other error may hide a done request.
// Its health checks are in balancer-health.ts, the headers that cross it in balancer-headers.ts,
// the answers it gives itself in balancer-replies.ts.
import {
  Agent,
  createServer,
  request,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { endToEnd } from './balancer-headers';
import {
  healthChecker,
  healthSettings,
  type Checked,
  type CheckResult,
  type HealthCheckOptions,
} from './balancer-health';
import { notForwarded, refuseTunnel, sendError } from './balancer-replies';
import { parseCookies, sessionCookie } from '../core/cookies';
import { watchConnection } from './connected';
import { answerClientErrorsInJson, readBytes } from './http-edge';
import { isIdempotent } from '../core/methods';
import { NOT_FORWARDED_HEADER } from '../core/outcomes';
import { AFFINITY_COOKIE, type Backend, type Policy, type RouteRequest } from '../core/policies';

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

/** Per backend: requests routed, failed (the LB answered 502, 503 or 504 for it), and retried elsewhere after it failed. */
export type BalancerStats = Record<string, { routed: number; failed: number; retried: number }>;

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

interface Member extends Checked {
  /** Keep-alive connections to this backend, so a proxied request skips the TCP handshake. */
  agent: Agent;
  /** Set by remove(): called when the last request in flight to this backend is answered. */
  drained?: () => void;
}

// A body the LB holds so it can resend it; a retried request with a larger one gets 413.
const MAX_RETRY_BODY_BYTES = 64 * 1024;

/** The reason the LB destroyed a request to a backend that stayed silent too long. */
class SilentBackend extends Error {}

// #region retryable
/**
 * May the LB send this request twice? Idempotent methods (methods.ts: sending one twice has the
 * effect of sending it once) yes; a POST only when it carries an Idempotency-Key that the server
 * honours, so the server itself turns a duplicate into a replay.
 */
export function retryable(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (isIdempotent(method)) return true;
  return method === 'POST' && headers['idempotency-key'] !== undefined;
}
// #endregion retryable

export async function startBalancer(options: BalancerOptions): Promise<RunningBalancer> {
  const { policy } = options;
  const lbName = options.name ?? 'lb';
  const cookieName = options.affinityCookie ?? AFFINITY_COOKIE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const checkListeners = new Set<(result: CheckResult) => void>();
  const health =
    options.healthCheck === false
      ? undefined
      : healthChecker(healthSettings(options.healthCheck), (result) => {
          for (const listener of checkListeners) listener(result);
        });
  const members: Member[] = [];
  const agents: Agent[] = []; // every agent ever made, removed backends' too: stop() ends them all
  const open = new Set<ClientRequest>(); // every request on its way to a backend: stop() ends them
  let counts: BalancerStats = {};
  const count = (name: string) => (counts[name] ??= { routed: 0, failed: 0, retried: 0 });

  // A new backend starts down and gets traffic once it passes a check; with health checks off
  // nobody would ever check it, so it starts healthy.
  const add = (spec: { name: string; url: string }) => {
    if (members.some((m) => m.backend.name === spec.name)) {
      throw new Error(`a backend named ${spec.name} is already in the pool`);
    }
    const member: Member = {
      backend: { name: spec.name, healthy: !health, inFlight: 0 },
      url: new URL(spec.url),
      agent: new Agent({ keepAlive: true }),
      against: 0,
      seenUp: !health,
    };
    members.push(member);
    agents.push(member.agent);
    count(spec.name);
    if (!health) return;
    void health.check(member);
    health.schedule(member, () => members.includes(member));
  };

  const onError = options.onError ?? ((error: unknown) => console.error(error));

  /** The policy's choice among the backends (minus `skip`), or why there is none. */
  const choose = (route: RouteRequest, skip?: Backend): Member | 'policy failed' | undefined => {
    try {
      const backends = members.map((m) => m.backend).filter((b) => b !== skip);
      const backend = policy.pick(backends, route);
      return members.find((m) => m.backend === backend);
    } catch (error) {
      // The policy is code running inside the LB: its bug must cost one request, not the LB.
      onError(error);
      return 'policy failed';
    }
  };

  // As the shop's server (server.ts): a client that sends less than it announced gets a 408 within
  // seconds, and what Node refuses before this code runs gets JSON, as every other answer here.
  const edge = { requestTimeout: 5_000, headersTimeout: 5_000, connectionsCheckingInterval: 1_000 };
  const server = createServer({ ...edge, requireHostHeader: false }, (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      return notForwarded(res, 400, 'an HTTP/1.1 request needs a Host header (RFC 9112 §3.2)');
    }
    const route = routeRequestOf(req, cookieName);
    if (!options.retry || !retryable(req.method, req.headers)) return forward(req, res, route); // streamed through
    // Read to the end (nothing is forwarded yet, so the client may finish), kept up to the limit.
    void readBytes(req, MAX_RETRY_BODY_BYTES, Infinity).then((body) => {
      if (body.kind === 'bytes') forward(req, res, route, body.raw);
      else if (body.kind === 'too-large')
        notForwarded(res, 413, 'a body over 64 KiB is not retried');
      else res.destroy(); // the client went away while sending
    });
  });

  answerClientErrorsInJson(server);
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseTunnel(socket));
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    notForwarded(res, 417, `cannot meet Expect: ${req.headers.expect}`),
  );

  /** Picks a backend for the request and proxies it there, unless its client is gone. */
  function forward(req: IncomingMessage, res: ServerResponse, route: RouteRequest, body?: Buffer) {
    if (res.destroyed) return; // the client left (or the LB stopped): nothing is sent for it
    const member = choose(route);
    if (member === 'policy failed') {
      count(lbName).failed += 1;
      return notForwarded(res, 500, 'the routing policy failed');
    }
    if (!member) {
      count(lbName).failed += 1;
      return notForwarded(res, 503, 'no healthy backend');
    }
    proxy(req, res, member, route, body);
  }

  /**
   * Sends the request to one backend and its answer back to the client. `body`: the buffered
   * body of a retryable request (undefined: stream it, no retry); `first`: set on the second
   * try, with whether the first try reached its backend.
   */
  function proxy(
    req: IncomingMessage,
    res: ServerResponse,
    member: Member,
    route: RouteRequest,
    body: Buffer | undefined,
    first?: { forwarded: boolean },
  ) {
    const { backend, url, agent } = member;
    const pin = policy.pins && route.affinity !== backend.name;
    count(backend.name).routed += 1;

    const headers = endToEnd(req.headers);
    // How a body is framed is per connection too: say how this hop carries it. Sent unframed, a
    // body would reach the backend as the start of another request on a shared connection.
    if (body?.length) headers['content-length'] = String(body.length);
    else if (!body && req.headers['transfer-encoding']) headers['transfer-encoding'] = 'chunked';
    const forwarded = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress ?? 'unknown';
    headers['x-forwarded-for'] = forwarded ? `${forwarded}, ${client}` : client;

    const upstream = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const out = endToEnd(answer.headers);
        delete out[NOT_FORWARDED_HEADER]; // only the LB may say that no backend saw a request
        const own = out['set-cookie']; // the backend's own cookies stay
        const cookies = Array.isArray(own) ? [...own] : [];
        if (pin) {
          cookies.push(sessionCookie(cookieName, backend.name)); // the browser forgets it on close
        }
        if (cookies.length > 0) out['set-cookie'] = cookies;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        answer.pipe(res);
        answer.on('error', () => res.destroy()); // cut mid-body: the client sees a cut too
      },
    );

    // #region in-flight
    // In flight from now until the exchange with the backend is over, however it ends: answered,
    // refused, reset, timed out, or cut because the client left or the LB stopped. The request
    // emits 'close' once after each of them, so the count always comes back down.
    backend.inFlight += 1;
    open.add(upstream);
    const clientLeft = () => {
      if (!res.writableFinished) upstream.destroy(); // stop the backend's work for nobody
    };
    res.once('close', clientLeft);
    upstream.once('close', () => {
      backend.inFlight -= 1;
      open.delete(upstream);
      res.off('close', clientLeft);
      if (backend.inFlight === 0) member.drained?.();
    });
    // #endregion in-flight

    // Once a connection to the backend exists, the request may have reached it.
    const connected = watchConnection(upstream);
    upstream.setTimeout(timeoutMs, () => upstream.destroy(new SilentBackend()));

    // #region retry
    // The backend failed before a byte of its answer reached us. If it refused the connection,
    // it never saw the request: 503, marked not forwarded, a definite failure. If the request was
    // on its way (reset, cut, silence), the backend may have acted on it: 502 (504 for silence),
    // an unknown outcome for the client. With retry, a repeatable request that failed goes once
    // more to another backend; whatever the first backend did before it died, it may have done.
    // Nothing goes anywhere for a client that has left: the error is then our own cut.
    let failed = false;
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (failed || res.destroyed) return; // one verdict; none for a client that left (our cut)
      failed = true;
      if (res.headersSent) return res.destroy(); // an answer was under way: too late to retry
      const why = `backend ${backend.name}`;
      if (error instanceof SilentBackend) {
        count(backend.name).failed += 1;
        // The backend waited for the rest of a request the client never finished sending.
        if (!req.complete) return sendError(res, 408, 'the request did not arrive in time');
        return sendError(res, 504, `${why} did not answer within ${timeoutMs} ms`);
      }
      const forwarded = connected() || (first?.forwarded ?? false);
      const next = body && !first ? choose(route, backend) : undefined;
      if (next && next !== 'policy failed') {
        count(backend.name).retried += 1;
        return proxy(req, res, next, route, body, { forwarded });
      }
      count(backend.name).failed += 1;
      const what = `${why} failed: ${error.code ?? error.message}`;
      if (forwarded) sendError(res, 502, what);
      else notForwarded(res, 503, what);
    });
    // #endregion retry

    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const spec of options.backends) add(spec);
  // The first round: start with an honest view of who is up.
  if (health) await Promise.all(members.map((m) => health.check(m)));

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get backends() {
      return members.map((m) => m.backend);
    },
    add,
    remove(name) {
      const index = members.findIndex((m) => m.backend.name === name);
      if (index < 0) return Promise.resolve();
      // Out of rotation at once; requests already on their way there still finish.
      const [member] = members.splice(index, 1);
      if (member.backend.inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (member.drained = resolve));
    },
    async waitFor(name, healthy, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const member = members.find((m) => m.backend.name === name);
        if (!member) throw new Error(`no backend named ${name}`);
        if (member.backend.healthy === healthy) return;
        if (performance.now() > deadline) {
          throw new Error(
            `${name} was not ${healthy ? 'healthy' : 'unhealthy'} within ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    onCheck(listener) {
      checkListeners.add(listener);
      return () => void checkListeners.delete(listener);
    },
    stats: () => structuredClone(counts),
    resetStats() {
      counts = {};
      for (const m of members) count(m.backend.name);
    },
    async stop() {
      health?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      const cut = [...open].map((u) => new Promise((resolve) => u.once('close', resolve)));
      for (const upstream of open) upstream.destroy();
      for (const agent of agents) agent.destroy();
      await Promise.all([closed, ...cut]);
    },
  };
}

/** The routing facts of a request: its affinity cookie and a stable client key. */
function routeRequestOf(req: IncomingMessage, cookieName: string): RouteRequest {
  const clientId = req.headers['x-client-id'];
  const clientKey =
    (Array.isArray(clientId) ? clientId[0] : clientId) ?? req.socket.remoteAddress ?? '';
  const affinity = parseCookies(req.headers.cookie)[cookieName];
  return affinity === undefined ? { clientKey } : { affinity, clientKey };
}
