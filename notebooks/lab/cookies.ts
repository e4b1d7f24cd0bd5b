// Reading a Cookie header and writing Set-Cookie values. Platform-free.

/** "a=1; sid=xyz" → { a: '1', sid: 'xyz' } */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return cookies;
}

// #region session-cookie
/**
 * A session cookie the way the course teaches it: HttpOnly (page scripts cannot read it, so an
 * XSS bug cannot steal it) and SameSite=Lax (not sent on cross-site POSTs: a CSRF defence).
 * Production adds `Secure` (sent over HTTPS only). The lab serves plain HTTP on 127.0.0.1 and
 * leaves it off: browsers do send Secure cookies to localhost, but the lab's own clients should
 * not depend on that exception.
 */
export function sessionCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}
// #endregion session-cookie
