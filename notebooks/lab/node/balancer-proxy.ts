// Forwarding one request to one backend and its answer back to the client, and how that ends:
// answered (the answer streams through), or failed before a byte of the answer came back, in one
// of two ways the balancer answers differently (balancer.ts): the backend stayed silent too long,
// or the exchange broke, before or after the request could have reached it. State: the requests
// on their way to a backend (stop() cuts them), and each backend's in-flight count.
import { request, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { endToEnd } from './balancer-headers';
import type { Member } from './balancer-pool';
import { watchConnection } from './connected';
import { NOT_FORWARDED_HEADER } from '../core/outcomes';

/** How a request to a backend failed before its answer began, when the client is still there. */
export type Failure =
  /** The backend was silent for `timeoutMs`: the LB destroyed the request. */
  | { kind: 'silent' }
  /** Refused, reset or cut; `reached`: a connection existed, so the backend may have acted on it. */
  | { kind: 'broken'; reached: boolean; why: string };

/** The reason the LB destroyed a request to a backend that stayed silent too long. */
class SilentBackend extends Error {}

export interface ProxyHop {
  req: IncomingMessage;
  res: ServerResponse;
  member: Member;
  /** The buffered body to send (undefined: stream the client's body through, as it arrives). */
  body: Buffer | undefined;
  /** A Set-Cookie line the LB adds to the backend's own (its affinity pin), if any. */
  addCookie?: string;
}

/** Every request the LB has on its way to a backend, so stop() can cut them all. */
export function openRequests() {
  const open = new Set<ClientRequest>();
  return {
    open,
    /** Cuts every one; resolves once each has closed. */
    async cutAll() {
      const cut = [...open].map((u) => new Promise((resolve) => u.once('close', resolve)));
      for (const upstream of open) upstream.destroy();
      await Promise.all(cut);
    },
  };
}

/**
 * Sends `hop.req` to `hop.member` and the answer back to `hop.res`. `onFailure` hears, once, of a
 * failure before the answer began, while the client still waits; a cut in the middle of an answer
 * cuts the client too, and a client that left cuts the request to the backend.
 */
export function proxy(
  hop: ProxyHop,
  settings: { timeoutMs: number; open: Set<ClientRequest> },
  onFailure: (failure: Failure) => void,
): void {
  const { req, res, member, body } = hop;
  const { backend, url, agent } = member;

  const headers = endToEnd(req.headers);
  // How a body is framed is per connection too: say how this hop carries it, from how the client's
  // request carried it, whatever its Connection header named (a client that names Content-Length
  // there must not get its body sent unframed). Sent unframed, a body would reach the backend as
  // the start of another request on a shared connection: one the LB never routed or counted.
  delete headers['content-length'];
  const framed = req.headers['content-length'];
  if (body) {
    if (body.length > 0 || framed !== undefined) headers['content-length'] = String(body.length);
  } else if (req.headers['transfer-encoding']) headers['transfer-encoding'] = 'chunked';
  else if (framed !== undefined) headers['content-length'] = framed;
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
      if (hop.addCookie) cookies.push(hop.addCookie);
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
  settings.open.add(upstream);
  const clientLeft = () => {
    if (!res.writableFinished) upstream.destroy(); // stop the backend's work for nobody
  };
  res.once('close', clientLeft);
  upstream.once('close', () => {
    backend.inFlight -= 1;
    settings.open.delete(upstream);
    res.off('close', clientLeft);
    if (backend.inFlight === 0) member.drained?.();
  });
  // #endregion in-flight

  // Once a connection to the backend exists, the request may have reached it.
  const connected = watchConnection(upstream);
  upstream.setTimeout(settings.timeoutMs, () => upstream.destroy(new SilentBackend()));

  let failed = false;
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (failed || res.destroyed) return; // one verdict; none for a client that left (our cut)
    failed = true;
    if (res.headersSent) return res.destroy(); // an answer was under way: too late to retry
    if (error instanceof SilentBackend) return onFailure({ kind: 'silent' });
    onFailure({ kind: 'broken', reached: connected(), why: error.code ?? error.message });
  });

  if (body) upstream.end(body);
  else req.pipe(upstream);
}
