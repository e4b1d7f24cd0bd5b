// The edge between node:http and the shops' routes, which deal in plain data (reply.ts): it reads
// a request's path and JSON body and writes a Reply, the same way for every shop server, so a
// request no route could make sense of gets its 4xx here, in JSON, and never reaches a route.
// The lab's one body reader (requests, and answers for whatever sends a request), one reply writer
// and one hand-written answer are here too, for the balancer's own answers. No state: everything here lives for one request.
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parseCookies } from '../core/cookies';
import { json, type Reply } from '../core/reply';
import type { ShopRequest } from '../core/shop-types';

/** A node:http request handler: what a server runs (server.ts), a shop is, and faults wrap. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** How long a lab server keeps an idle keep-alive connection open: 65 s, not Node's 5 s (below). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * How every lab server (the shop's, the balancer's) is created: a client that sends less than it
 * announced gets a 408 within seconds, not Node's 5 minutes; a request without a Host header
 * gets through to the edge, which answers it in JSON (readRequest), not Node's empty 400; and an
 * idle keep-alive connection is kept for 65 s, not Node's 5 s. A client that sends its next
 * request on a connection at the moment the server closes it gets a reset for a request the
 * server never saw, and the lab would count it as an unknown outcome, a loss no crash caused. A
 * client's pause of 5 s between two requests is common on a busy machine; one of 65 s is not.
 * (The same race is why a balancer's backends should keep connections longer than the balancer.)
 */
export const EDGE_SERVER_OPTIONS: ServerOptions = {
  requestTimeout: 5_000,
  headersTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  requireHostHeader: false,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
};

/** The largest JSON body a shop reads. A cart line or a login is a few dozen bytes. */
export const MAX_BODY_BYTES = 16 * 1024;
/**
 * How much of a body over the limit is still read (and thrown away) before the 413. Reading it
 * lets the client finish sending and then read the answer; closing while it still sends makes
 * its operating system see a reset, and many clients then report ECONNRESET, not the 413.
 */
export const MAX_DRAIN_BYTES = 1024 * 1024;

/** A request as the edge read it: what a route may read (ShopRequest), and its body's bytes. */
export interface ReadRequest extends ShopRequest {
  /** The body's bytes as sent (empty when there was none): what an idempotency key fingerprints. */
  bodyBytes: Uint8Array;
}

/**
 * Reads the request, whatever the client sent, and never throws: what a route may read, or the
 * reply the request has earned before any route runs (400 malformed URL or not JSON, 413 too
 * large). The body is read even when the path is bad, so the connection can carry the next one.
 */
export async function readRequest(
  req: IncomingMessage,
): Promise<{ kind: 'request'; request: ReadRequest } | { kind: 'refused'; reply: Reply }> {
  const path = requestPath(req.url);
  const body = await readBody(req);
  const refused = refuseBody(body);
  if (refused) return { kind: 'refused', reply: refused };
  if (path === undefined) return { kind: 'refused', reply: MALFORMED_URL };
  if (req.httpVersion === '1.1' && req.headers.host === undefined)
    return { kind: 'refused', reply: NO_HOST };
  const [value, bodyBytes] = body.kind === 'json' ? [body.value, body.raw] : [undefined, NO_BYTES];
  const cookies = parseCookies(req.headers.cookie);
  return {
    kind: 'request',
    request: { method: req.method ?? 'GET', path, cookies, body: value, bodyBytes },
  };
}

const NO_BYTES = new Uint8Array(0);

/**
 * One request, answered the way every shop answers: read it (readRequest), let `answer` turn what
 * a route may read into a Reply, and write that (sendReply) with the server's own headers, asked
 * for once the reply is known. A request the edge refuses never reaches `answer`; an error thrown
 * there is a 500, its details for `onError` (default: stderr), never for the client.
 */
export async function answerRequest(
  req: IncomingMessage,
  res: ServerResponse,
  answer: (request: ReadRequest) => Promise<Reply>,
  options: { headers: () => Record<string, string>; onError?: (error: unknown) => void },
): Promise<void> {
  let reply: Reply;
  try {
    const read = await readRequest(req);
    reply = read.kind === 'refused' ? read.reply : await answer(read.request);
  } catch (error) {
    (options.onError ?? console.error)(error);
    reply = INTERNAL_ERROR;
  }
  try {
    sendReply(res, reply, options.headers());
  } catch (error) {
    // A reply that cannot be written (a BigInt in its body, a line break in a header): nothing of
    // it has gone out yet, so the client gets the 500 instead, and the server keeps serving.
    (options.onError ?? console.error)(error);
    sendReply(res, INTERNAL_ERROR, options.headers());
  }
}

const INTERNAL_ERROR = json(500, { error: 'internal server error' });

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; raw: Buffer }
  | { kind: 'not-json' }
  | { kind: 'not-json-type' }
  | { kind: 'empty-form' }
  | Exclude<Bytes, { kind: 'bytes' }>;

/** A body as bytes: whole, over the limit, or cut off when the client went away mid-body. */
export type Bytes =
  { kind: 'bytes'; raw: Buffer } | { kind: 'too-large'; drained: boolean } | { kind: 'cut-off' }; // nobody is left to answer

export const MALFORMED_URL = json(400, { error: 'malformed URL' });
// RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without a Host header.
const NO_HOST = json(400, { error: 'an HTTP/1.1 request must have a Host header' });

/**
 * The path of a request target, or undefined when it is not a URL at all. Node hands the target
 * over as sent: "/cart", but also the absolute form "http://host/cart" (RFC 9112 §3.2.2: a
 * server must accept it) and garbage such as "http://[::1/", on which `new URL` throws. A target
 * that starts with "/" is a path, whatever follows: read against a base, "//evil.example/me" (or
 * "/\\evil.example\\me") would be a host and the path /me, and the shop would answer /me where a
 * rule in front of it, a proxy's or a firewall's, saw another path.
 */
export function requestPath(target: string | undefined): string | undefined {
  const origin = 'http://shop.invalid';
  try {
    return new URL(target?.startsWith('/') ? origin + target : (target ?? '/'), origin).pathname;
  } catch {
    return undefined;
  }
}

/** Reads the whole body as JSON (bounded, see MAX_BODY_BYTES and MAX_DRAIN_BYTES). Never throws. */
async function readBody(req: IncomingMessage): Promise<Body> {
  const body = await readBytes(req, MAX_BODY_BYTES, MAX_DRAIN_BYTES);
  if (body.kind !== 'bytes') return body;
  const refused = refusedType(req.method, req.headers['content-type'], body.raw.length === 0);
  if (refused) return { kind: refused };
  if (body.raw.length === 0) return { kind: 'none' };
  try {
    return { kind: 'json', value: JSON.parse(body.raw.toString('utf8')), raw: body.raw };
  } catch {
    return { kind: 'not-json' };
  }
}

/** What a body not sent as JSON is told (415), here and at the mystery servers. */
export const NOT_JSON_TYPE = 'a body must be sent as Content-Type: application/json';
/** What a request that could change something, sent as a form with no fields, is told (415). */
export const EMPTY_FORM = 'a request sent as a form is refused, even with no fields: send JSON';

/** The methods that change nothing (RFC 9110 §9.2.1): sent with a form type and no body, they are answered. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether a request's Content-Type is refused (415): 'not-json-type' for a body not sent as JSON
 * (isJsonType, below), 'empty-form' for a request with no body whose type is not JSON either,
 * unless its method changes nothing (GET, HEAD, OPTIONS, TRACE). An HTML form sends its type even
 * with no fields, so a page elsewhere on the same site (another port of localhost is the same
 * site, and SameSite=Lax sends the cookie along) could otherwise check out, or log out, whoever is
 * logged in here. A request with no body and no type at all (or a blank one, which no form sends)
 * is still taken: a page can send one with the cookie, by sendBeacon or by fetch in no-cors mode
 * with credentials: 'include', which is why a shop with forms needs CSRF tokens.
 */
export function refusedType(
  method: string | undefined,
  contentType: string | undefined,
  empty: boolean,
): 'not-json-type' | 'empty-form' | undefined {
  if (isJsonType(contentType)) return undefined;
  if (!empty) return 'not-json-type';
  const untyped = contentType === undefined || contentType.trim() === '';
  if (untyped || SAFE_METHODS.has(method ?? '')) return undefined;
  return 'empty-form';
}

/**
 * Whether a Content-Type says JSON: application/json, or a type ending in +json, with or without
 * parameters. A body sent as anything else is refused, even when its bytes happen to be JSON: a
 * form on another site can post text/plain, urlencoded or multipart bodies to the shop with no
 * preflight (a text/plain form can be made to send `{"user":"mallory",…}`, logging a reader in as
 * someone else: login CSRF), but a page can send application/json to another origin only after a
 * CORS preflight, and the shop's answer to it (404, no Access-Control-Allow- headers) lets nothing
 * through.
 */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * The lab's one body reader: keeps up to `keepBytes` of the body, and reads (and throws away) up
 * to `drainBytes` before it gives up on a larger one. Never throws.
 */
export function readBytes(
  req: IncomingMessage,
  keepBytes: number,
  drainBytes: number,
): Promise<Bytes> {
  return new Promise((resolve) => {
    const announced = Number(req.headers['content-length']);
    if (announced > drainBytes) return resolve({ kind: 'too-large', drained: false });
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= keepBytes) chunks.push(chunk);
      else if (size > drainBytes) {
        req.off('data', onData); // enough: answer now, and close the connection after it
        req.pause();
        resolve({ kind: 'too-large', drained: false });
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (size > keepBytes) return resolve({ kind: 'too-large', drained: true });
      resolve({ kind: 'bytes', raw: Buffer.concat(chunks) });
    });
    req.once('close', () => resolve({ kind: 'cut-off' })); // ignored if the body already ended
  });
}

/** An answer's body as a client reads it: whole, or cut off (and the error that cut it). */
export type AnswerBody = { kind: 'whole'; text: string } | { kind: 'cut'; error: Error };

/**
 * The lab's one reader of an answer's body, for whatever sends a request (the client, the trace,
 * the balancer's tests): readBytes over the answer, kept whole. Never throws, never rejects: an
 * answer cut in the middle is `cut`, with the error Node gave (ECONNRESET "aborted").
 */
export async function readAnswer(res: IncomingMessage): Promise<AnswerBody> {
  let error: Error = new Error('the answer was cut off');
  res.once('error', (cause: Error) => (error = cause)); // comes before 'close', which readBytes hears
  const body = await readBytes(res, Infinity, Infinity);
  return body.kind === 'bytes'
    ? { kind: 'whole', text: body.raw.toString('utf8') }
    : { kind: 'cut', error };
}

/** An answer's text as JSON, or the text itself when it is not JSON (undefined when empty). */
export function jsonOrText(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text;
  }
}

/** The 4xx a body earns before any route sees it, or undefined when a route may read it. */
function refuseBody(body: Body): Reply | undefined {
  if (body.kind === 'too-large') {
    const error = `the body is larger than ${MAX_BODY_BYTES} bytes`;
    // Not read to the end: the rest of it is still on the connection, so it cannot carry
    // another request. Say so, and Node closes it once the answer is out.
    return json(413, { error }, body.drained ? undefined : { connection: 'close' });
  }
  if (body.kind === 'not-json') return json(400, { error: 'the body is not JSON' });
  if (body.kind === 'not-json-type') return json(415, { error: NOT_JSON_TYPE });
  if (body.kind === 'empty-form') return json(415, { error: EMPTY_FORM });
  if (body.kind === 'cut-off') return json(400, { error: 'the body was cut off' }); // to no one
  return undefined;
}

/** A header's value, the first one if it came more than once. */
export const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** Writes a Reply as JSON, with the server's own headers (x-served-by, …) first. */
export function sendReply(res: ServerResponse, reply: Reply, headers: Record<string, string>) {
  const body = JSON.stringify(reply.body); // first: it throws on a BigInt, before a byte is sent
  const all = { 'content-type': 'application/json; charset=utf-8', ...headers, ...reply.headers };
  for (const [name, value] of Object.entries(all)) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
  res.writeHead(reply.status, all);
  res.end(body);
}

/**
 * Makes the requests Node answers by itself get JSON too, as every route's answer is. Before any
 * route runs, Node's HTTP server refuses a request it cannot parse (400), one whose headers pass
 * 16 KiB (431) or that did not arrive in time (408), and an `Expect` it does not know (417), each
 * with an empty body; and it closes a CONNECT without a word. The server must be created with
 * `requireHostHeader: false`: readRequest answers a missing Host itself.
 */
export function answerInJson(server: Server) {
  answerClientErrorsInJson(server);
  // A proxy's tunnel: this server is no proxy.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.end(rawAnswer(405, 'Method Not Allowed', 'CONNECT is not served here'));
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    sendReply(res, json(417, { error: `cannot meet Expect: ${req.headers.expect}` }), {});
  });
}

/** The part of answerInJson for what Node's parser refuses (400, 431) or times out (408). */
export function answerClientErrorsInJson(server: Server) {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // As Node's own default does (lib/_http_server.js): nothing to a connection that was reset,
    // and nothing when an answer is already under way on it, so as not to mix two answers.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      socket.write(
        error.code === 'HPE_HEADER_OVERFLOW'
          ? rawAnswer(431, 'Request Header Fields Too Large', 'the request headers are too large')
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? rawAnswer(408, 'Request Timeout', 'the request did not arrive in time')
            : rawAnswer(400, 'Bad Request', 'the request is not well-formed HTTP'),
      );
    }
    socket.destroy(error);
  });
}

/**
 * A whole HTTP answer as text, for a socket no ServerResponse is attached to; `headers` are
 * written before the framing ones ("x-lb-forwarded: no").
 */
export function rawAnswer(
  status: number,
  reason: string,
  error: string,
  headers: Record<string, string> = {},
): string {
  const body = JSON.stringify({ error });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    extra.join('') +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
