// Sends exact bytes to a server over a plain TCP socket (node:net) and reads one HTTP answer.
// An HTTP client refuses to send most of what the hostile-request tests send (a request line
// with a space in the path, two Content-Lengths, a NUL byte), so they go around it. No state.
import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when no whole answer arrived. */
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  /** Why no whole answer arrived: 'closed', 'timeout', ECONNRESET, … */
  error?: string;
}

export interface RawOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** The answer has no body whatever its headers say: the answer to a HEAD. */
  noBody?: boolean;
  /** Half-close after sending: the server sees the end of the stream, as from a client that quit. */
  end?: boolean;
}

/** Sends `bytes` on a new connection and resolves with the first final (non-1xx) answer. */
export async function sendRaw(
  port: number,
  bytes: string | Uint8Array,
  options: RawOptions = {},
): Promise<RawAnswer> {
  return (await sendRawMany(port, bytes, 1, options))[0];
}

/**
 * Sends `bytes` (several requests, pipelined) on one connection and resolves with the first
 * `count` answers; the ones that never came whole are { status: 0, error }.
 */
export function sendRawMany(
  port: number,
  bytes: string | Uint8Array,
  count: number,
  options: RawOptions = {},
): Promise<RawAnswer[]> {
  const noBody = options.noBody ?? false;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const answers: RawAnswer[] = [];
    let received = Buffer.alloc(0);
    const take = (closed: boolean) => {
      for (let next; answers.length < count && (next = parseAnswer(received, noBody, closed));) {
        answers.push(next.answer);
        received = received.subarray(next.length);
      }
    };
    const finish = (error: string) => {
      clearTimeout(timer);
      socket.destroy();
      while (answers.length < count) answers.push({ status: 0, headers: {}, body: '', error });
      resolve(answers);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      take(false);
      if (answers.length === count) finish('');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      take(true);
      finish(error.code ?? error.message);
    });
    socket.on('close', () => {
      take(true);
      finish('closed');
    });
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    if (options.end) socket.end();
  });
}

/**
 * The first final answer at the start of `bytes` and how many bytes it took, once it is whole.
 * `closed`: no more bytes will come, so an answer without a length ends here.
 */
function parseAnswer(
  bytes: Buffer,
  noBody: boolean,
  closed: boolean,
): { answer: RawAnswer; length: number } | undefined {
  let at = 0;
  for (;;) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    if (headEnd === -1) return undefined;
    const [statusLine, ...lines] = bytes.subarray(at, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
    const bodyAt = headEnd + 4;
    if (status >= 100 && status < 200) {
      at = bodyAt; // 100 Continue: the real answer follows
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const whole = (body: Buffer, length: number) => ({
      answer: { status, headers, body: body.toString('utf8') },
      length,
    });
    if (noBody || status === 204 || status === 304) return whole(Buffer.alloc(0), bodyAt);
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const body = dechunk(bytes, bodyAt);
      return body && whole(body.bytes, body.end);
    }
    if (headers['content-length'] !== undefined) {
      const end = bodyAt + Number(headers['content-length']);
      return bytes.length >= end ? whole(bytes.subarray(bodyAt, end), end) : undefined;
    }
    // No length: the body ends when the connection does.
    return closed ? whole(bytes.subarray(bodyAt), bytes.length) : undefined;
  }
}

/** A chunked body starting at `at`, and where it ends, once its last (empty) chunk has arrived. */
function dechunk(bytes: Buffer, at: number): { bytes: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size) || bytes.length < lineEnd + 2 + size + 2) return undefined;
    if (size === 0) return { bytes: Buffer.concat(parts), end: lineEnd + 4 };
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
