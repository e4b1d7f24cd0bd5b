// A real HTTP load balancer (a reverse proxy) on 127.0.0.1. State lives here in three places:
// the backend list (each backend's health and in-flight count), the policy's own memory (e.g.
// round robin's counter) and per-backend counters. Clients' pins live in *their* cookies.
import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend, Policy, RouteRequest } from './policies';

export interface BalancerOptions {
  /** Default 'lb'. Requests it could not route (503) are counted under this name. */
  name?: string;
  backends: { name: string; url: string }[];
  policy: Policy;
  /** Active checks: GET `path` every `intervalMs`; false: every backend is always healthy. */
  healthCheck?: { path?: string; intervalMs?: number; timeoutMs?: number } | false;
  /** Default 'lb-backend'. */
  affinityCookie?: string;
  /** Where an error thrown by the policy's pick() goes (the client gets a 500). Default: stderr. */
  onError?: (error: unknown) => void;
}

export interface RunningBalancer {
  readonly url: string;
  readonly port: number;
  readonly backends: readonly Backend[];
  add(backend: { name: string; url: string }): void;
  remove(name: string): void;
  /** Resolves once the LB's view of that backend's health equals `healthy` (polls; rejects after timeoutMs, default 5000). */
  waitFor(name: string, healthy: boolean, timeoutMs?: number): Promise<void>;
  /** Per backend: requests routed, and how many failed (502/503 from the LB). */
  stats(): Record<string, { routed: number; failed: number }>;
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
}

// Headers that describe one connection, not the message: never forwarded across the proxy.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade'];

export async function startBalancer(options: BalancerOptions): Promise<RunningBalancer> {
  const { policy, healthCheck = {} } = options;
  const lbName = options.name ?? 'lb';
  const cookieName = options.affinityCookie ?? 'lb-backend';
  const members: Member[] = [];
  const agents: Agent[] = []; // every agent ever made, removed backends' too: stop() ends them all
  let counts: Record<string, { routed: number; failed: number }> = {};
  const count = (name: string) => (counts[name] ??= { routed: 0, failed: 0 });

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

  const server = createServer((req, res) => {
    const route = routeRequestOf(req, cookieName);
    let backend: Backend | undefined;
    try {
      backend = policy.pick(
        members.map((m) => m.backend),
        route,
      );
    } catch (error) {
      // The policy is code running inside the LB: its bug must cost one request, not the LB.
      onError(error);
      count(lbName).failed += 1;
      return sendJson(res, 500, { error: 'the routing policy failed' });
    }
    const member = members.find((m) => m.backend === backend);
    if (!member) {
      count(lbName).failed += 1;
      return sendJson(res, 503, { error: 'no healthy backend' });
    }
    proxy(req, res, member, policy.pins && route.affinity !== member.backend.name);
  });

  function proxy(req: IncomingMessage, res: ServerResponse, member: Member, pin: boolean) {
    const { backend, url, agent } = member;
    count(backend.name).routed += 1;
    backend.inFlight += 1;

    const headers = withoutHopByHop(req.headers);
    const forwarded = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress ?? 'unknown';
    headers['x-forwarded-for'] = forwarded ? `${forwarded}, ${client}` : client;

    const upstream = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const out = withoutHopByHop(answer.headers);
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
    // No retry here, on purpose: the failure is explicit and visible. Retrying only safe
    // (idempotent) requests on another backend is a later, separate step.
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      count(backend.name).failed += 1;
      sendJson(res, 502, {
        error: `backend ${backend.name} failed: ${error.code ?? error.message}`,
      });
    });
    res.once('close', () => {
      backend.inFlight -= 1;
      if (!res.writableFinished) upstream.destroy(); // the client left: stop the backend's work too
    });
    req.pipe(upstream);
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
      // Out of rotation at once; requests already on their way there still finish.
      if (index >= 0) members.splice(index, 1);
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

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const copy: OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
