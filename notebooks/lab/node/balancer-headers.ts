// Which headers cross the balancer. A proxy holds two connections, one to the client and one to
// the backend, and some headers describe a connection, not the message: they stop at the proxy.
// No state here.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// #region hop-by-hop
/**
 * Headers about one connection (RFC 9110 §7.6.1): `Connection` itself, the ones it names, and
 * those an intermediary must not pass on whether named or not (`Keep-Alive`, `TE`,
 * `Transfer-Encoding`, `Upgrade`…). The proxy credentials are for the balancer, not the backend.
 */
export const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
];

/** A copy of `headers` without the hop-by-hop ones and without every header `Connection` names. */
export function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = (headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase());
  const copy: OutgoingHttpHeaders = { ...headers };
  for (const name of [...HOP_BY_HOP, ...named]) delete copy[name];
  return copy;
}
// #endregion hop-by-hop
