// Faults as named knobs: wrappers that make a healthy handler misbehave in one known way.
// They hold no state of their own beyond the timers of requests still waiting.
import type { Handler } from './http-edge';

// #region slow
/** A server that is up but slow: every answer, /health included, starts `ms` late. */
export function slow(handler: Handler, ms: number): Handler {
  return (req, res) => {
    const timer = setTimeout(() => handler(req, res), ms);
    res.once('close', () => clearTimeout(timer)); // the client left, or the server was killed
  };
}
// #endregion slow

// #region late-checks
/**
 * A server whose health checks answer `ms` late while `busy()` says so, and that serves every
 * other request as usual: what a checker with a short timeout sees of a busy moment (a pause,
 * a crowd of users) on a server that is up.
 */
export function lateChecks(handler: Handler, ms: number, busy: () => boolean): Handler {
  const late = slow(handler, ms);
  return (req, res) => (req.url === '/health' && busy() ? late(req, res) : handler(req, res));
}
// #endregion late-checks
