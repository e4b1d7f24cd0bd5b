// Which requests may be sent twice. Platform-free: the client (a kept-alive connection that died
// under a request) and the balancer (a backend that failed before answering) both ask here.

/**
 * The idempotent methods (RFC 9110 §9.2.2): sending one twice has the effect of sending it once,
 * so a request that may or may not have arrived can be sent again.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export const isIdempotent = (method: string | undefined): boolean =>
  method !== undefined && IDEMPOTENT_METHODS.has(method);
