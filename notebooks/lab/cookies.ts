// Reading a Cookie header and writing Set-Cookie values. Platform-free.

/** "a=1; sid=xyz" → { a: '1', sid: 'xyz' }. Never throws: a malformed value is skipped. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // Not valid percent-encoding ("%zz"): the client's mistake; the cookie counts as absent.
    }
  }
  return cookies;
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
