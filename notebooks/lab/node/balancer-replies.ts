// The answers the balancer gives itself, with no backend: JSON errors, marked not forwarded when
// no backend saw the request (outcomes.ts reads the mark), written by the shops' own reply writer
// (http-edge.ts). No state here.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { rawAnswer, sendReply } from './http-edge';
import { NOT_FORWARDED_HEADER } from '../core/outcomes';
import { json } from '../core/reply';

/** An error the LB answers itself, after a backend had the request (502, 504) or for a 408. */
export function sendError(res: ServerResponse, status: number, error: string) {
  sendReply(res, json(status, { error }), {});
}

/** An answer the LB gives without having forwarded the request: no backend saw it. */
export function notForwarded(res: ServerResponse, status: number, error: string) {
  sendReply(res, json(status, { error }), { [NOT_FORWARDED_HEADER]: 'no' });
}

/**
 * CONNECT asks for a tunnel, which the balancer does not open. Node hands such a request over as
 * a bare socket, with no response object, so the answer is written out by hand.
 */
export function refuseTunnel(socket: Duplex) {
  socket.on('error', () => undefined); // the client may be gone already
  const notSent = { [NOT_FORWARDED_HEADER]: 'no' };
  socket.end(rawAnswer(405, 'Method Not Allowed', 'CONNECT is not supported', notSent));
}
