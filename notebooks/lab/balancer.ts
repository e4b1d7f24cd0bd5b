// A real HTTP load balancer (a reverse proxy) on 127.0.0.1. State lives here in three places:
// the backend list (each backend's health and in-flight count), the policy's own memory (e.g.
// round robin's counter) and per-backend counters. Clients' pins live in *their* cookies.
// With `retry` on, a request is also held here (its body, up to 64 KiB) until it is answered.
// An answer the LB gives without forwarding the request carries `x-lb-forwarded: no`, so a
// client knows no backend saw it (a definite failure); any other error may hide a done request.
import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { NOT_FORWARDED_HEADER } from './outcomes';
import type { Backend, Policy, RouteRequest } from './policies';

export interface BalancerOptions {
  /** Default 'lb'. Requests it could not route (503, 500) are counted under this name. */
  name?: string;
  backends: { name: string; url: string }[];
  policy: Policy;
  /** Active checks: GET `path` every `intervalMs`; false: every backend is always healthy. */
  healthCheck?: { path?: string; intervalMs?: number; timeoutMs?: number } | false;
  /** Default 'lb-backend'. */
  affinityCookie?: string;
  /** Where an error thrown by the policy's pick() goes (the client gets a 500). Default: stderr. */
  onError?: (error: unknown) => void;
  /**
   * Default false: a backend that failed with the request is a visible 502, and one that refused
   * the connection a 503 (not forwarded). True: a request that is safe to repeat (see
   * `retryable`) and whose backend failed before answering is sent once more, to another
   * healthy backend.
   */
  retry?: boolean;
}

/** Per backend: requests routed, failed (the LB answered 502 or 503 for it), and retried elsewhere after it failed. */
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
  stats(): BalancerStats;
  resetStats(): void;
  stop(): Promise<void>;
}

interface Member {
  backend: Backend;
  url: URL;
  /** Keep-alive connections to this backend, so a proxied request skips the TCP handshake. */
  agent: Agent;
  /** The health check under way, if any: at most one per backend at a time. */
  checking?: Promise<void>;
  /** Set by remove(): called when the last request in flight to this backend is answered. */
  drained?: () => void;
}

// Headers that describe one connection, not the message: never forwarded across the proxy.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade'];
// A body the LB holds so it can resend it; a retried request with a larger one gets 413.
const MAX_RETRY_BODY_BYTES = 64 * 1024;

// #region retryable
/**
 * May the LB send this request twice? Idempotent methods (RFC 9110 §9.2.2: sending one twice
 * has the effect of sending it once) yes; a POST only when it carries an Idempotency-Key that
 * the server honours, so the server itself turns a duplicate into a replay.
 */
export function retryable(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE') return true;
  return method === 'POST' && headers['idempotency-key'] !== undefined;
}
// #endregion retryable

export async function startBalancer(options: BalancerOptions): Promise<RunningBalancer> {
  const { policy, healthCheck = {} } = options;
  const lbName = options.name ?? 'lb';
  const cookieName = options.affinityCookie ?? 'lb-backend';
  const members: Member[] = [];
  const agents: Agent[] = []; // every agent ever made, removed backends' too: stop() ends them all
  let counts: BalancerStats = {};
  const count = (name: string) => (counts[name] ??= { routed: 0, failed: 0, retried: 0 });

  // A new backend is checked once before it gets traffic (healthy=false until then);
  // with health checks off nobody would ever check it, so it starts healthy.
  const add = (spec: { name: string; url: string }) => {
    if (members.some((m) => m.backend.name === spec.name)) {
      throw new Error(`a backend named ${spec.name} is already in the pool`);
    }
    const backend: Backend = { name: spec.name, healthy: healthCheck === false, inFlight: 0 };
    const member: Member = {
      backend,
      url: new URL(spec.url),
      agent: new Agent({ keepAlive: true }),
    };
    members.push(member);
    agents.push(member.agent);
    count(spec.name);
    void check(member);
  };

  const check = (member: Member): Promise<void> => {
    if (healthCheck === false) return Promise.resolve();
    member.checking ??= probe(
      member.url,
      healthCheck.path ?? '/health',
      healthCheck.timeoutMs ?? 500,
    )
      .then((healthy) => void (member.backend.healthy = healthy))
      .finally(() => (member.checking = undefined));
    return member.checking;
  };

  let timer: NodeJS.Timeout | undefined;
  const checkAll = async () => {
    await Promise.all(members.map(check));
    if (server.listening)
      timer = setTimeout(checkAll, healthCheck ? (healthCheck.intervalMs ?? 200) : 0).unref();
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

  const server = createServer((req, res) => {
    const route = routeRequestOf(req, cookieName);
    const send = (body?: Buffer) => {
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
    };
    if (!options.retry || !retryable(req.method, req.headers)) return send(); // streamed through
    readBody(req, MAX_RETRY_BODY_BYTES).then(
      (body) => (body ? send(body) : notForwarded(res, 413, 'a body over 64 KiB is not retried')),
      () => res.destroy(), // the client went away while sending
    );
  });

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
    backend.inFlight += 1;
    let released = false;
    const release = () => {
      if (!released) backend.inFlight -= 1;
      released = true;
      if (backend.inFlight === 0) member.drained?.();
    };
    // Once a connection to the backend exists, the request may have reached it.
    let connected = false;

    const headers = withoutHopByHop(req.headers);
    const forwarded = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress ?? 'unknown';
    headers['x-forwarded-for'] = forwarded ? `${forwarded}, ${client}` : client;

    const upstream = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const out = withoutHopByHop(answer.headers);
        delete out[NOT_FORWARDED_HEADER]; // only the LB may say that no backend saw a request
        const cookies = [...(answer.headers['set-cookie'] ?? [])]; // the backend's own cookies stay
        if (pin) {
          cookies.push(
            `${cookieName}=${encodeURIComponent(backend.name)}; Path=/; HttpOnly; SameSite=Lax`,
          );
        }
        if (cookies.length > 0) out['set-cookie'] = cookies;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        answer.pipe(res);
        answer.once('error', () => res.destroy()); // cut mid-body: the client sees a cut too
      },
    );
    upstream.on('socket', (socket: Socket) => {
      if (!socket.connecting)
        connected = true; // a kept-alive connection, already open
      else socket.once('connect', () => (connected = true));
    });
    // #region retry
    // The backend failed before a byte of its answer reached us. If it refused the connection,
    // it never saw the request: 503, marked not forwarded, a definite failure. If the request was
    // on its way (reset, cut), the backend may have acted on it: 502, an unknown outcome for the
    // client. With retry, a repeatable request goes once more to another backend; whatever the
    // first backend did before it died, it may have done.
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy(); // an answer was under way: too late to retry
      release();
      const forwarded = connected || (first?.forwarded ?? false);
      const next = body && !first ? choose(route, backend) : undefined;
      if (next && next !== 'policy failed') {
        count(backend.name).retried += 1;
        return proxy(req, res, next, route, body, { forwarded });
      }
      count(backend.name).failed += 1;
      const why = `backend ${backend.name} failed: ${error.code ?? error.message}`;
      if (forwarded) sendJson(res, 502, { error: why });
      else notForwarded(res, 503, why);
    });
    // #endregion retry
    res.once('close', () => {
      release();
      if (!res.writableFinished) upstream.destroy(); // the client left: stop the backend's work too
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const spec of options.backends) add(spec);
  await checkAll(); // the first round: start with an honest view of who is up

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
    stats: () => structuredClone(counts),
    resetStats() {
      counts = {};
      for (const m of members) count(m.backend.name);
    },
    async stop() {
      clearTimeout(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const agent of agents) agent.destroy();
      await closed;
    },
  };
}

/** The routing facts of a request: its affinity cookie and a stable client key. */
function routeRequestOf(req: IncomingMessage, cookieName: string): RouteRequest {
  const clientId = req.headers['x-client-id'];
  const clientKey =
    (Array.isArray(clientId) ? clientId[0] : clientId) ?? req.socket.remoteAddress ?? '';
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === cookieName) return { affinity: safeDecode(value.join('=')), clientKey };
  }
  return { clientKey };
}

/** GET the health path; healthy means a 2xx answer within the timeout. */
function probe(url: URL, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** The whole request body, or undefined when it is over `limit` bytes (then read and dropped). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.once('error', reject);
  });
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const copy: OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** An answer the LB gives without having forwarded the request: no backend saw it. */
function notForwarded(res: ServerResponse, status: number, error: string) {
  sendJson(res, status, { error }, { [NOT_FORWARDED_HEADER]: 'no' });
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
