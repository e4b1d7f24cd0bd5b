// Faults as named knobs: wrappers that make a healthy handler misbehave in one known way.
// They hold no state of their own beyond the timers of requests still waiting.
import type { Handler } from './shop';

// #region slow
/** A server that is up but slow: every answer, /health included, starts `ms` late. */
export function slow(handler: Handler, ms: number): Handler {
  return (req, res) => {
    const timer = setTimeout(() => handler(req, res), ms);
    res.once('close', () => clearTimeout(timer)); // the client left, or the server was killed
  };
}
// #endregion slow
