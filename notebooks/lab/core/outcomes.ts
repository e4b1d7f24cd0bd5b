// How a client classifies one request, by what it can know, as Jepsen does (ok / fail / info):
// *fail* only when the request certainly had no effect, *unknown* whenever it may have had one.
// Platform-free: the lab's HTTP client and the browser simulator both decide outcomes here.

export type Outcome = 'ok' | 'fail' | 'unknown';

/** The header the lab's balancer puts on an answer it gave without forwarding the request. */
export const NOT_FORWARDED_HEADER = 'x-lb-forwarded';

/** What the client saw of one request. */
export type Observed =
  /** No connection was made (refused, no route): not a byte of the request left the client. */
  | { kind: 'not-sent' }
  /** The request went out, then the connection was cut or no answer came in time. */
  | { kind: 'no-answer' }
  /** A whole answer. `forwarded: false`: the balancer says no backend ever saw the request. */
  | { kind: 'answer'; status: number; forwarded?: boolean };

// #region classify
/**
 * ok: the shop did it. fail: it certainly did not: nothing was sent, the balancer answered
 * without forwarding, or the shop rejected the request (4xx) and changed nothing. unknown: the
 * request may have taken effect: the connection broke after sending, no answer came in time, or
 * a 5xx came from a server that had the request (a 500 from the app, a 502 or 504 from a proxy
 * that forwarded it). A client must not read "5xx" as "did not happen".
 */
export function classify(observed: Observed): Outcome {
  if (observed.kind === 'not-sent') return 'fail';
  if (observed.kind === 'no-answer') return 'unknown';
  if (observed.status < 400) return 'ok';
  if (observed.status < 500) return 'fail';
  return observed.forwarded === false ? 'fail' : 'unknown';
}
// #endregion classify
