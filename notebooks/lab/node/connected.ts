// Whether an outgoing request ever got a connection. Until it did, not a byte of the request has
// left, so a failure then is certain (nothing happened); once it did, the other side may have acted
// on it. The client (the outcome it reports) and the balancer (whether a backend saw a request)
// both ask here. State: one flag per request, for as long as the request lives.
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

/** Starts watching `req` (call it before the request is sent); the function says whether a
 *  connection has been made so far. */
export function watchConnection(req: ClientRequest): () => boolean {
  let connected = false;
  req.on('socket', (socket: Socket) => {
    if (!socket.connecting)
      connected = true; // a kept-alive connection, already open
    else socket.once('connect', () => (connected = true));
  });
  return () => connected;
}
