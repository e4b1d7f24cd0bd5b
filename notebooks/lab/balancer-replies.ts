// The answers the balancer gives itself, with no backend: JSON errors, marked not forwarded when
// no backend saw the request (outcomes.ts reads the mark). No state here.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { NOT_FORWARDED_HEADER } from './outcomes';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** An answer the LB gives without having forwarded the request: no backend saw it. */
export function notForwarded(res: ServerResponse, status: number, error: string) {
  sendJson(res, status, { error }, { [NOT_FORWARDED_HEADER]: 'no' });
}

/**
 * CONNECT asks for a tunnel, which the balancer does not open. Node hands such a request over as
 * a bare socket, with no response object, so the answer is written out by hand.
 */
export function refuseTunnel(socket: Duplex) {
  const body = JSON.stringify({ error: 'CONNECT is not supported' });
  socket.on('error', () => undefined); // the client may be gone already
  socket.end(
    'HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json; charset=utf-8\r\n' +
      `${NOT_FORWARDED_HEADER}: no\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}
