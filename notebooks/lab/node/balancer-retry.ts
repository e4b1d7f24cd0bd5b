// Which requests the balancer may send twice, and holding one so that it can: with `retry` on,
// the body of a request that may be repeated is read whole (up to 64 KiB) before it is forwarded,
// and kept until the request is answered. State: that body, for the life of one request.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { notForwarded } from './balancer-replies';
import { readBytes } from './http-edge';
import { isIdempotent } from '../core/methods';

// A body the LB holds so it can resend it; a retried request with a larger one gets 413.
const MAX_RETRY_BODY_BYTES = 64 * 1024;

// #region retryable
/**
 * May the LB send this request twice? Idempotent methods (methods.ts: sending one twice has the
 * effect of sending it once) yes; a POST only when it carries an Idempotency-Key that the server
 * honours, so the server itself turns a duplicate into a replay.
 */
export function retryable(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (isIdempotent(method)) return true;
  return method === 'POST' && headers['idempotency-key'] !== undefined;
}
// #endregion retryable

/**
 * Reads the request's body to the end (nothing is forwarded yet, so the client may finish) and
 * hands it to `forward`. A body over the limit is answered 413, not forwarded; a client that went
 * away while sending gets nothing.
 */
export function holdForRetry(
  req: IncomingMessage,
  res: ServerResponse,
  forward: (body: Buffer) => void,
): void {
  void readBytes(req, MAX_RETRY_BODY_BYTES, Infinity).then((body) => {
    if (body.kind === 'bytes') forward(body.raw);
    else if (body.kind === 'too-large') notForwarded(res, 413, 'a body over 64 KiB is not retried');
    else res.destroy(); // the client went away while sending
  });
}
