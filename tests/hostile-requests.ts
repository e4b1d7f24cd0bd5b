// The hostile-request corpus: requests a tester, a broken client or an attacker sends, as data,
// each with the answer a server that holds must give. hostile-requests.test.ts sends every one
// over a raw socket to the shop, the token shop and the shop behind the balancer.
// Placeholders, filled in per server before sending: {{cookie}} is a logged-in user's cookies
// there, and {{forged}} a cookie with that server's session cookie name and a made-up value.

/** An exact status, or a class of them; a list: any of them. */
export type Expected = number | '2xx' | '4xx' | '5xx' | Expected[];

export interface HostileRequest {
  name: string;
  /** The bytes sent: a string goes as UTF-8. */
  send: string | Uint8Array;
  /** What the shop answers (and so the balancer, which forwards to one). */
  expect: Expected;
  /** What the token shop answers, where it differs from the shop. */
  token?: Expected;
  /** What the balancer answers, where it differs from the shop behind it. */
  lb?: Expected;
  /**
   * Node's HTTP parser refuses it before any of the lab's code runs. Every server still answers
   * in JSON (http-edge.ts: answerInJson for the shops, answerClientErrorsInJson for the balancer).
   */
  parser?: true;
  /**
   * Node's HTTP server answers it before any handler runs: 'answers' (a missing Host, an
   * unknown Expect) or 'closes' (a CONNECT, with no word). Every server here answers in JSON
   * instead: the shops with answerInJson, the balancer with its own handlers (balancer.ts).
   */
  node?: 'answers' | 'closes';
  /** The answer to a HEAD: no body, whatever the headers say. */
  noBody?: true;
  /**
   * A body past what the server reads (http-edge.ts, MAX_DRAIN_BYTES): it answers and closes while
   * the client is still sending, and TCP may then reset the connection before the client has read
   * the answer (EPIPE or ECONNRESET on the client's side), more often on a busy machine. Either is
   * right: the server refused the body and lives on (the last test checks it answers /health).
   */
  mayReset?: true;
  /** Half-close after sending: the client quits before the request is whole. */
  end?: true;
}

const HOST = 'Host: shop.test\r\n';

/** A request: the request line, header lines, and a body with its Content-Length (and, unless
 *  the headers give one, Content-Type: application/json, the only type the shops read). */
function http(line: string, headers: string[] = [], body?: string): string {
  const typed = headers.some((h) => /^content-type:/i.test(h));
  const length =
    body === undefined
      ? []
      : [
          ...(typed ? [] : ['Content-Type: application/json']),
          `Content-Length: ${Buffer.byteLength(body)}`,
        ];
  return `${line}\r\n${HOST}${[...headers, ...length].map((h) => `${h}\r\n`).join('')}\r\n${body ?? ''}`;
}
const get = (target: string, headers: string[] = []) => http(`GET ${target} HTTP/1.1`, headers);
const post = (target: string, body: string, headers: string[] = []) =>
  http(`POST ${target} HTTP/1.1`, headers, body);
const LOGGED_IN = 'Cookie: {{cookie}}';
/** POST /cart as the logged-in user. */
const addToCart = (body: string, headers: string[] = []) =>
  post('/cart', body, [LOGGED_IN, ...headers]);
const bytes = (...values: number[]) => Uint8Array.from(values);

// One case a line, as a table: prettier would spread each over several.
// prettier-ignore
export const HOSTILE_REQUESTS: HostileRequest[] = [
  // The request line: methods, versions, garbage.
  { name: 'a plain GET /health', send: get('/health'), expect: 200 },
  { name: 'HEAD /health (answered as GET, without the body: RFC 9110 §9.3.2)', send: http('HEAD /health HTTP/1.1'), expect: 200, noBody: true },
  { name: 'HEAD /me, logged in', send: http('HEAD /me HTTP/1.1', [LOGGED_IN]), expect: 200, noBody: true },
  { name: 'HEAD /cart, logged in', send: http('HEAD /cart HTTP/1.1', [LOGGED_IN]), expect: 200, noBody: true },
  { name: 'OPTIONS /cart', send: http('OPTIONS /cart HTTP/1.1'), expect: 404, token: 401 },
  { name: 'OPTIONS *', send: http('OPTIONS * HTTP/1.1'), expect: 404 },
  { name: 'DELETE /cart', send: http('DELETE /cart HTTP/1.1', [LOGGED_IN]), expect: 404 },
  { name: 'PUT /cart with a body', send: http('PUT /cart HTTP/1.1', [LOGGED_IN], '{"productId":1}'), expect: 404 },
  { name: 'PATCH /cart', send: http('PATCH /cart HTTP/1.1', [], '{}'), expect: 404, token: 401 },
  { name: 'TRACE /', send: http('TRACE / HTTP/1.1'), expect: 404 },
  { name: 'PROPFIND / (WebDAV)', send: http('PROPFIND / HTTP/1.1'), expect: 404 },
  { name: 'CONNECT, as to a proxy', send: http('CONNECT shop.test:443 HTTP/1.1'), expect: 405, node: 'closes' },
  { name: 'a lower-case method', send: http('get /health HTTP/1.1'), expect: 400, parser: true },
  { name: 'a made-up method', send: http('FROB /health HTTP/1.1'), expect: 400, parser: true },
  { name: 'HTTP/1.0 without Host', send: 'GET /health HTTP/1.0\r\n\r\n', expect: 200 },
  { name: 'HTTP/1.1 without Host (RFC 9112 §3.2)', send: 'GET /health HTTP/1.1\r\n\r\n', expect: 400, node: 'answers' },
  { name: 'HTTP/2.0 in an HTTP/1 request line', send: http('GET /health HTTP/2.0'), expect: 200 },
  { name: 'HTTP/9.9', send: http('GET /health HTTP/9.9'), expect: 400, parser: true },
  { name: 'no version at all (HTTP/0.9, which Node still reads)', send: 'GET /health\r\n\r\n', expect: 200 },
  { name: 'two spaces in the request line (Node reads it)', send: http('GET  /health HTTP/1.1'), expect: 200 },
  { name: 'blank lines before the request', send: `\r\n\r\n${get('/health')}`, expect: 200 },
  { name: 'bare LF line ends', send: 'GET /health HTTP/1.1\nHost: shop.test\n\n', expect: 400, parser: true },
  { name: 'a TLS ClientHello (https to an http port)', send: bytes(0x16, 3, 1, 0, 0xa5, 1, 0, 0, 0xa1, 3, 3, 0x0d, 0x0a), expect: 400, parser: true },
  { name: 'binary garbage with NUL bytes', send: bytes(0, 0, 0xff, 0xfe, 13, 10, 13, 10), expect: 400, parser: true },
  { name: 'two requests in one write (pipelined)', send: get('/health') + get('/products'), expect: 200 },

  // Request targets: absolute form, percent-garbage, traversal, odd bytes.
  { name: 'absolute form that is no URL: http://[::1/', send: get('http://[::1/'), expect: 400 },
  { name: 'absolute form that is no URL, on a session route', send: get('http://[::1/me', [LOGGED_IN]), expect: 400 },
  { name: 'absolute form, valid (RFC 9112 §3.2.2)', send: get('http://shop.test/health'), expect: 200 },
  { name: 'absolute form with a port out of range', send: get('http://user:pw@shop.test:99999/health'), expect: 400 },
  { name: 'a path starting with //', send: get('//health'), expect: 404 },
  // A path, not a host and a path: "//evil.example/health" is no request for /health.
  { name: 'a path that looks like a host, //evil.example/health', send: get('//evil.example/health'), expect: 404 },
  { name: 'a path that looks like a host, /\\evil\\health', send: get('/\\evil\\health'), expect: 404 },
  { name: '%zz in a path no route knows', send: get('/%zz'), expect: 404 },
  { name: '%zz as a product id', send: get('/products/%zz'), expect: 400 },
  { name: 'a cut-off UTF-8 escape as a product id', send: get('/products/%E0%A4%A'), expect: 400 },
  { name: 'an escaped NUL in a product id', send: get('/products/1%00'), expect: 400 },
  { name: 'an emoji as a product id', send: get('/products/%F0%9F%98%80'), expect: 400 },
  { name: 'a product id past 2^53', send: get('/products/99999999999999999999999'), expect: 400 },
  { name: 'product id -1', send: get('/products/-1'), expect: 400 },
  { name: 'product id 1e308', send: get('/products/1e308'), expect: 400 },
  { name: 'product id 0x1', send: get('/products/0x1'), expect: 400 },
  { name: 'dot segments in the path', send: get('/products/9/../2'), expect: 200 },
  { name: 'escaped dot segments (%2e%2e)', send: get('/%2e%2e/health'), expect: 200 },
  { name: 'path traversal', send: get('/../../etc/passwd'), expect: 404 },
  { name: 'escaped path traversal', send: get('/..%2f..%2fetc/passwd'), expect: 404 },
  { name: 'a query of percent-garbage', send: get('/health?x=%zz&&=&y'), expect: 200 },
  { name: 'a fragment in the target', send: get('/health#top'), expect: 200 },
  { name: 'the path in capitals', send: get('/HEALTH'), expect: 404 },
  { name: 'a trailing slash', send: get('/health/'), expect: 404 },
  { name: 'an 8 KB path', send: get(`/${'a'.repeat(8_000)}`), expect: 404 },
  { name: 'a 20 KB path', send: get(`/${'a'.repeat(20_000)}`), expect: 431, parser: true },
  { name: 'raw UTF-8 bytes in the path', send: get('/pröducts'), expect: 400, parser: true },
  { name: 'a space in the path', send: get('/a b'), expect: 400, parser: true },
  { name: 'a NUL byte in the path', send: get('/he\0alth'), expect: 400, parser: true },
  { name: 'a tab in the path', send: get('/he\talth'), expect: 400, parser: true },

  // Headers.
  { name: 'a header line without a colon', send: get('/health', ['NoColonHere']), expect: 400, parser: true },
  { name: 'a space in a header name', send: get('/health', ['Bad Name: x']), expect: 400, parser: true },
  { name: 'a folded header line (obs-fold)', send: get('/health', ['X-A: one', ' two']), expect: 400, parser: true },
  { name: 'a NUL byte in a header value', send: get('/health', ['X-A: a\0b']), expect: 400, parser: true },
  { name: 'UTF-8 in a header value', send: get('/health', ['X-Name: Ünïcødé ✓']), expect: 200 },
  { name: 'a 20 KB header', send: get('/health', [`X-Big: ${'a'.repeat(20_000)}`]), expect: 431, parser: true },
  { name: '1,000 small headers', send: get('/health', Array.from({ length: 1_000 }, (_, i) => `X-${i}: v`)), expect: 200 },
  { name: 'two Host headers', send: get('/health', ['Host: other.test']), expect: 200 },
  { name: 'two different Content-Lengths', send: http('POST /login HTTP/1.1', ['Content-Length: 2', 'Content-Length: 3']) + '{}', expect: 400, parser: true },
  { name: 'Content-Length and Transfer-Encoding (smuggling)', send: http('POST /login HTTP/1.1', ['Content-Length: 4', 'Transfer-Encoding: chunked']) + '0\r\n\r\n', expect: 400, parser: true },
  { name: 'a negative Content-Length', send: http('POST /login HTTP/1.1', ['Content-Length: -1']), expect: 400, parser: true },
  { name: 'a Content-Length that is no number', send: http('POST /login HTTP/1.1', ['Content-Length: ten']), expect: 400, parser: true },
  { name: 'a Content-Length in exponent notation', send: http('POST /login HTTP/1.1', ['Content-Length: 1e3']), expect: 400, parser: true },
  { name: 'a body shorter than its Content-Length, then the client quits', send: http('POST /login HTTP/1.1', ['Content-Length: 100']) + '{"user"', expect: 400, parser: true, end: true },
  { name: 'Transfer-Encoding: gzip without chunked', send: http('POST /login HTTP/1.1', ['Transfer-Encoding: gzip']) + '{}', expect: 400, parser: true },
  { name: 'a chunk size that is not hex', send: http('POST /login HTTP/1.1', ['Transfer-Encoding: chunked']) + 'zz\r\n{}\r\n0\r\n\r\n', expect: 400, parser: true },
  { name: 'a chunked body with no last chunk, then the client quits', send: http('POST /login HTTP/1.1', ['Transfer-Encoding: chunked']) + '2\r\n{}\r\n', expect: 400, parser: true, end: true },
  { name: 'a valid chunked body with a chunk extension', send: http('POST /login HTTP/1.1', ['Transfer-Encoding: chunked', 'Content-Type: application/json']) + 'e;x=y\r\n{"user":"ada"}\r\n0\r\n\r\n', expect: 200 },
  { name: 'Expect: 100-continue', send: post('/login', '{"user":"ada"}', ['Expect: 100-continue']), expect: 200 },
  { name: 'an Expect the server cannot meet', send: post('/login', '{"user":"ada"}', ['Expect: lunch']), expect: 417, node: 'answers' },
  { name: 'Upgrade: websocket on a plain route', send: get('/health', ['Connection: Upgrade', 'Upgrade: websocket']), expect: 200 },
  { name: 'Connection: with odd tokens', send: get('/health', ['Connection: close, foo, keep-alive']), expect: 200 },
  // A form on another site can send text/plain with no preflight, and make it JSON: a login CSRF.
  { name: 'text/plain holding JSON', send: post('/login', '{"user":"ada"}', ['Content-Type: text/plain']), expect: 415 },
  { name: 'a form post holding JSON', send: post('/login', '{"user":"ada"}', ['Content-Type: application/x-www-form-urlencoded']), expect: 415 },
  // A form sends its Content-Type even with no fields: an empty form post is a CSRF too.
  { name: 'an empty form post to /checkout', send: post('/checkout', '', ['Content-Type: application/x-www-form-urlencoded', LOGGED_IN]), expect: 415 },
  { name: 'an empty text/plain post to /logout', send: post('/logout', '', ['Content-Type: text/plain', LOGGED_IN]), expect: 415 },
  { name: 'a GET with a form type and no body (it changes nothing)', send: get('/products/1', ['Content-Type: text/plain', LOGGED_IN]), expect: 200 },
  // OPTIONS and TRACE change nothing either (RFC 9110 §9.2.1): answered as without the type.
  { name: 'OPTIONS /checkout with a form type and no body', send: http('OPTIONS /checkout HTTP/1.1', ['Content-Type: application/x-www-form-urlencoded', LOGGED_IN]), expect: 404 },
  { name: 'TRACE / with a form type and no body', send: http('TRACE / HTTP/1.1', ['Content-Type: text/plain']), expect: 404 },
  // A blank Content-Type is no type: no form sends one, so it is taken as a request with none.
  { name: 'a login with a blank Content-Type and no body', send: http('POST /login HTTP/1.1', ['Content-Type: ', 'Content-Length: 0']), expect: 400 },
  { name: 'JSON without a Content-Type', send: `POST /login HTTP/1.1\r\n${HOST}Content-Length: 14\r\n\r\n{"user":"ada"}`, expect: 415 },
  { name: 'JSON sent as application/json; charset=utf-8', send: post('/login', '{"user":"ada"}', ['Content-Type: application/json; charset=utf-8']), expect: 200 },
  { name: 'a forged X-Forwarded-For', send: get('/health', ['X-Forwarded-For: <script>, 999.1.1.1, ::::']), expect: 200 },

  // Cookies.
  { name: 'theme=50%off on /health', send: get('/health', ['Cookie: theme=50%off']), expect: 200 },
  { name: 'theme=50%off on /products', send: get('/products', ['Cookie: theme=50%off']), expect: 200 },
  { name: 'theme=50%off on POST /login', send: post('/login', '{"user":"ada"}', ['Cookie: theme=50%off']), expect: 200 },
  { name: 'theme=50%off beside the session, GET /me', send: get('/me', ['Cookie: theme=50%off; {{cookie}}']), expect: 200 },
  { name: 'theme=50%off beside the session, GET /cart', send: get('/cart', ['Cookie: theme=50%off; {{cookie}}']), expect: 200 },
  { name: 'theme=50%off beside the session, POST /cart', send: addToCart('{"productId":1}', ['Cookie: theme=50%off']), expect: 200 },
  { name: 'the session cookie as %zz', send: get('/me', ['Cookie: sid=%zz; session=%zz']), expect: 401 },
  { name: 'a forged session cookie before the real one (the first counts)', send: get('/me', ['Cookie: {{forged}}; {{cookie}}']), expect: 401 },
  { name: 'a forged session cookie after the real one (the first counts)', send: get('/me', ['Cookie: {{cookie}}; {{forged}}']), expect: 200 },
  { name: 'cookies named __proto__ and constructor', send: get('/me', ['Cookie: __proto__=x; constructor=y; {{cookie}}']), expect: 200 },
  { name: '12 KB of cookies before the session', send: get('/me', [`Cookie: ${Array.from({ length: 1_000 }, (_, i) => `c${i}=${i}`).join('; ')}; {{cookie}}`]), expect: 200 },
  { name: 'a 20 KB cookie', send: get('/health', [`Cookie: big=${'x'.repeat(20_000)}`]), expect: 431, parser: true },
  { name: 'an empty Cookie header', send: get('/health', ['Cookie: ']), expect: 200 },
  { name: 'cookies without names or values', send: get('/health', ['Cookie: =v; novalue; ;;']), expect: 200 },
  { name: 'a quoted cookie value', send: get('/health', ['Cookie: q="quoted"']), expect: 200 },
  { name: 'raw UTF-8 in a cookie', send: get('/health', ['Cookie: name=Zoë✓']), expect: 200 },
  { name: 'the session split over two Cookie headers', send: get('/me', ['Cookie: theme=50%off', 'Cookie: {{cookie}}']), expect: 200 },
  { name: '4 KB of garbage as the session', send: get('/me', [`Cookie: sid=${'%41'.repeat(1_400)}; session=${'A'.repeat(4_000)}`]), expect: 401 },
  { name: 'a token of three parts', send: get('/me', ['Cookie: session=a.b.c']), expect: 401 },
  { name: 'checkout beside theme=50%off (the shop has a cart; the cookie cart is empty)', send: post('/checkout', '{}', ['Cookie: theme=50%off; {{cookie}}']), expect: 201, token: 409 },

  // Bodies.
  { name: 'a login that is not JSON', send: post('/login', '{user: ada}'), expect: 400 },
  { name: 'a login with no body', send: post('/login', ''), expect: 400 },
  { name: 'a login of null', send: post('/login', 'null'), expect: 400 },
  { name: 'a login of an array', send: post('/login', '[{"user":"ada"}]'), expect: 400 },
  { name: 'a login of a string', send: post('/login', '"ada"'), expect: 400 },
  { name: 'a login of a number', send: post('/login', '42'), expect: 400 },
  { name: 'JSON nested 7,000 deep', send: post('/login', `${'['.repeat(7_000)}${']'.repeat(7_000)}`), expect: 400 },
  { name: 'JSON opened 16,000 deep and never closed', send: post('/login', '['.repeat(16_000)), expect: 400 },
  { name: 'a user name of 33 characters', send: post('/login', JSON.stringify({ user: 'a'.repeat(33) })), expect: 400 },
  { name: 'a user name with accents', send: post('/login', '{"user":"ädä"}'), expect: 400 },
  { name: 'a user name with a NUL', send: post('/login', '{"user":"ada\\u0000"}'), expect: 400 },
  { name: 'a user given twice (JSON keeps the last)', send: post('/login', '{"user":"x y","user":"ada"}'), expect: 200 },
  { name: '__proto__ in the body', send: post('/login', '{"__proto__":{"user":"ada"}}'), expect: 400 },
  { name: 'constructor.prototype in the body', send: post('/login', '{"constructor":{"prototype":{"user":"ada"}}}'), expect: 400 },
  { name: 'a body 1 byte over 16 KiB', send: post('/login', `{"user":"ada","pad":"${'x'.repeat(16_385 - 23)}"}`), expect: 413 },
  { name: 'a 100 KB body', send: post('/login', 'x'.repeat(100_000)), expect: 413 },
  // The shop answers and closes while the balancer still sends it the body: the balancer says 502.
  { name: 'a 2 MB body (past what the shop drains)', send: post('/cart', 'x'.repeat(2_000_000)), expect: 413, lb: [413, 502], mayReset: true },
  { name: 'a 20 KB chunked body', send: http('POST /login HTTP/1.1', ['Transfer-Encoding: chunked']) + `4e20\r\n${'x'.repeat(20_000)}\r\n0\r\n\r\n`, expect: 413 },
  { name: 'a body of bytes that are not UTF-8', send: Buffer.concat([Buffer.from(http('POST /login HTTP/1.1', ['Content-Type: application/json', 'Content-Length: 4'])), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]), expect: 400 },
  { name: 'JSON after a byte-order mark', send: post('/login', '\ufeff{"user":"ada"}'), expect: 400 },
  { name: 'JSON with garbage after it', send: post('/login', '{"user":"ada"} x'), expect: 400 },
  { name: 'a number too large for JSON', send: post('/login', '{"user":1e999}'), expect: 400 },
  { name: 'a body on GET /health', send: http('GET /health HTTP/1.1', [], '{"a":1}'), expect: 200 },
  { name: 'POST /logout without a session', send: post('/logout', '{}'), expect: 200, token: 401 },
  { name: 'POST /health', send: post('/health', '{}'), expect: 404 },

  // Cart lines: quantities and product ids.
  { name: 'qty 1e308', send: addToCart('{"productId":1,"qty":1e308}'), expect: 400 },
  { name: 'qty 1e400 (Infinity)', send: addToCart('{"productId":1,"qty":1e400}'), expect: 400 },
  { name: 'qty 2^53 + 1', send: addToCart('{"productId":1,"qty":9007199254740993}'), expect: 400 },
  { name: 'qty -0', send: addToCart('{"productId":1,"qty":-0}'), expect: 400 },
  { name: 'qty 1.5', send: addToCart('{"productId":1,"qty":1.5}'), expect: 400 },
  { name: 'qty "2"', send: addToCart('{"productId":1,"qty":"2"}'), expect: 400 },
  { name: 'qty [2]', send: addToCart('{"productId":1,"qty":[2]}'), expect: 400 },
  { name: 'qty null', send: addToCart('{"productId":1,"qty":null}'), expect: 400 },
  { name: 'qty true', send: addToCart('{"productId":1,"qty":true}'), expect: 400 },
  { name: 'qty 0', send: addToCart('{"productId":1,"qty":0}'), expect: 400 },
  { name: 'qty -1', send: addToCart('{"productId":1,"qty":-1}'), expect: 400 },
  { name: 'qty one over the maximum', send: addToCart('{"productId":1,"qty":1001}'), expect: 400 },
  { name: 'qty an object', send: addToCart('{"productId":1,"qty":{"$gt":0}}'), expect: 400 },
  { name: 'qty at the maximum', send: addToCart('{"productId":1,"qty":1000}'), expect: 200 },
  { name: 'productId 1e308', send: addToCart('{"productId":1e308}'), expect: 400 },
  { name: 'productId "1"', send: addToCart('{"productId":"1"}'), expect: 400 },
  { name: 'productId -1', send: addToCart('{"productId":-1}'), expect: 400 },
  { name: 'productId 0', send: addToCart('{"productId":0}'), expect: 400 },
  { name: 'productId 2^53', send: addToCart('{"productId":9007199254740992}'), expect: 400 },
  { name: 'productId [1]', send: addToCart('{"productId":[1]}'), expect: 400 },
  { name: 'productId null', send: addToCart('{"productId":null}'), expect: 400 },
  { name: 'a product that does not exist', send: addToCart('{"productId":99999}'), expect: 404 },
  { name: 'a cart line in an array', send: addToCart('[{"productId":1}]'), expect: 400 },
  { name: 'a cart line without a session', send: post('/cart', '{"productId":1}'), expect: 401 },

  // Idempotency keys (the token shop does not honour them: its answers are the plain route's).
  { name: 'a key with a space', send: addToCart('{"productId":1}', ['Idempotency-Key: has space']), expect: 400, token: 200 },
  { name: 'a key of 256 characters', send: addToCart('{"productId":1}', [`Idempotency-Key: ${'k'.repeat(256)}`]), expect: 400, token: 200 },
  { name: 'a key of 255 characters', send: addToCart('{"productId":1}', [`Idempotency-Key: ${'k'.repeat(255)}`]), expect: 200 },
  { name: 'an empty key', send: addToCart('{"productId":1}', ['Idempotency-Key: ']), expect: 400, token: 200 },
  { name: 'a key in UTF-8', send: addToCart('{"productId":1}', ['Idempotency-Key: clé-✓']), expect: 400, token: 200 },
  { name: 'a key with a NUL byte', send: addToCart('{"productId":1}', ['Idempotency-Key: a\0b']), expect: 400, parser: true },
  { name: 'two keys', send: addToCart('{"productId":1}', ['Idempotency-Key: one', 'Idempotency-Key: two']), expect: 400, token: 200 },
  { name: 'a key without a session', send: post('/cart', '{"productId":1}', ['Idempotency-Key: anon-1']), expect: 401 },
  { name: 'a key on checkout without a session', send: post('/checkout', '{}', ['Idempotency-Key: anon-2']), expect: 401 },
  { name: 'a key, first use', send: addToCart('{"productId":2}', ['Idempotency-Key: fuzz-1']), expect: 200 },
  { name: 'the same key and body again (a replay)', send: addToCart('{"productId":2}', ['Idempotency-Key: fuzz-1']), expect: 200 },
  { name: 'the same key with another body', send: addToCart('{"productId":3}', ['Idempotency-Key: fuzz-1']), expect: 422, token: 200 },
  { name: 'a key on GET /cart (not honoured there)', send: get('/cart', [LOGGED_IN, 'Idempotency-Key: fuzz-2']), expect: 200 },
];
