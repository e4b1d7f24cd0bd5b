// Times the phases of one HTTP request, the way a browser's network panel does:
// name lookup (DNS), TCP connect, waiting for the first byte, and reading the body.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { jsonOrText, readAnswer } from './http-edge';

export interface RequestTrace {
  status: number;
  servedBy: string | undefined;
  /** Milliseconds in each phase, measured on the client. */
  dnsMs: number;
  connectMs: number;
  waitMs: number;
  downloadMs: number;
  totalMs: number;
  /** What the server reported about itself in its Server-Timing header, in ms. */
  server: Record<string, number>;
  body: unknown;
}

// #region trace-request
export function traceRequest(url: string): Promise<RequestTrace> {
  const t0 = performance.now();
  const at = { lookup: t0, connect: t0, firstByte: t0 };
  return new Promise((resolve, reject) => {
    // family 4: the lab's servers listen on 127.0.0.1 only, so ask DNS for IPv4 addresses.
    // agent false: a fresh connection, so the trace includes the lookup and the connect.
    const req = request(url, { family: 4, agent: false }, (res) => {
      at.firstByte = performance.now();
      void readAnswer(res).then((answer) => {
        if (answer.kind === 'cut') return reject(answer.error);
        const end = performance.now();
        resolve({
          status: res.statusCode ?? 0,
          servedBy: header(res.headers['x-served-by']),
          dnsMs: at.lookup - t0,
          connectMs: at.connect - at.lookup,
          waitMs: at.firstByte - at.connect,
          downloadMs: end - at.firstByte,
          totalMs: end - t0,
          server: parseServerTiming(header(res.headers['server-timing']) ?? ''),
          body: jsonOrText(answer.text),
        });
      });
    });
    req.on('socket', (socket: Socket) => {
      // A literal IP address needs no lookup, and then no 'lookup' event comes.
      socket.once('lookup', () => (at.lookup = performance.now()));
      socket.once('connect', () => (at.connect = performance.now()));
    });
    req.on('error', reject);
    req.end();
  });
}
// #endregion trace-request

const header = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : value;

/** "db;dur=0.120, app;dur=0.410" → { db: 0.12, app: 0.41 } */
export function parseServerTiming(value: string): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const entry of value.split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    if (name && dur) timings[name] = Number(dur[1]);
  }
  return timings;
}
