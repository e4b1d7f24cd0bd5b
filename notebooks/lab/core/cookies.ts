// Reading a Cookie header and Set-Cookie lines, and writing both: the lab's one cookie parser and
// writer, for whatever reads or sends a cookie (the shops, the balancer, the clients). Platform-free.

/**
 * How much of a Cookie header is read. Node refuses a request whose headers pass 16 KiB anyway;
 * this bound holds for a string from anywhere. RFC 6265 §6.1 asks browsers for at least 50
 * cookies of 4096 bytes per domain, a minimum; the lab's own cookies are a few hundred bytes.
 */
export const MAX_COOKIE_HEADER_CHARS = 16 * 1024;

/**
 * "a=1; sid=xyz" → { a: '1', sid: 'xyz' }. Never throws, whatever the client sent:
 * - a value that is not valid percent-encoding (`theme=50%off`, which any other app on
 *   localhost can set) counts as absent, and the other cookies still count;
 * - of two cookies with the same name, the first is kept. A browser sends the one with the
 *   longest Path first (RFC 6265 §5.4), so the first is the most specific; and a cookie someone
 *   else planted later in the header cannot replace it;
 * - a name such as `constructor` or `__proto__` is an ordinary key (the object has no prototype);
 * - only the first MAX_COOKIE_HEADER_CHARS characters are read: bounded work on a huge header.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  let text = header ?? '';
  // Past the bound, keep only the whole pairs before it.
  if (text.length > MAX_COOKIE_HEADER_CHARS)
    text = text.slice(0, Math.max(0, text.lastIndexOf(';', MAX_COOKIE_HEADER_CHARS)));
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? '' : pair.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    const value = decode(pair.slice(eq + 1).trim());
    if (value !== undefined) cookies[name] = value;
  }
  return cookies;
}

/** The Cookie header a client sends: "a=1; sid=xyz", each value percent-encoded. */
export function cookieHeader(cookies: Iterable<readonly [string, string]>): string {
  return [...cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
}

/** The cookie one Set-Cookie line sets, and whether it deletes it (Max-Age=0, or no value). */
export function cookieFromSetCookie(
  line: string,
): { name: string; value: string; deletes: boolean } | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const name = eq === -1 ? '' : pair.slice(0, eq).trim();
  const value = decode(pair.slice(eq + 1).trim());
  if (!name || value === undefined) return undefined;
  const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
  return { name, value, deletes: expired || value === '' };
}

function decode(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined; // not valid percent-encoding ("%zz"): the client's mistake, not ours
  }
}

// #region session-cookie
/**
 * A session cookie the way the OWASP Session Management Cheat Sheet asks for it: non-persistent
 * (no Max-Age or Expires, so the browser should forget it when it closes, though one that
 * restores sessions keeps it; the server's idle and absolute timeouts end the session itself),
 * HttpOnly (page scripts cannot read it, so an XSS bug cannot steal it) and SameSite=Lax (not
 * sent on cross-site POSTs: defence in depth against CSRF, not the defence). Production adds `Secure`, or better the `__Host-` name prefix, which
 * requires Secure, Path=/ and no Domain; both need HTTPS, and the lab serves plain HTTP on
 * 127.0.0.1, so it uses neither.
 */
export function sessionCookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`;
}
// #endregion session-cookie

/** The Set-Cookie value that makes a browser delete the cookie now (logout). */
export function expiredCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
