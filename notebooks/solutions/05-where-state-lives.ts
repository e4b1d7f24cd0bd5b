// Exercise 05 — a signed session cookie that every server can check (reference solution).
// Chapter 5, "Where state can live". Check it: npm run check 05
//
// The session lives in the client: the cookie holds it, signed with a key every server knows.
// The only server state left is the deny-list of logged-out sessions, shared by every server.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../lab/core/store';

export interface Session {
  user: string;
  /** The session's id: what the deny-list holds once the user logs out. */
  jti: string;
  /** Expiry, in milliseconds since 1970 (Date.now()). */
  exp: number;
}

export type Verdict =
  | { ok: true; session: Session }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'revoked' };

const hmac = (data: string, key: string) => createHmac('sha256', key).update(data).digest();

/** base64url(JSON of the session) + "." + base64url(HMAC-SHA256 of that first part). */
export function signSession(session: Session, key: string): string {
  const body = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${body}.${hmac(body, key).toString('base64url')}`;
}

export async function verifySession(
  token: string,
  key: string,
  denyList: StateStore<true>,
  now = Date.now(),
): Promise<Verdict> {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return { ok: false, reason: 'malformed' };
  const expected = hmac(body, key);
  const given = Buffer.from(signature, 'base64url');
  // timingSafeEqual throws on different lengths. Checking the length first leaks only the
  // length, which is no secret: every HMAC-SHA256 is 32 bytes.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  let session: Session;
  try {
    session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Session;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  // Signed by us, yet not a session (JSON null, a number): nothing to read an exp from.
  if (typeof session !== 'object' || session === null) return { ok: false, reason: 'malformed' };
  if (typeof session.exp !== 'number' || session.exp <= now)
    return { ok: false, reason: 'expired' };
  if (await denyList.get(session.jti)) return { ok: false, reason: 'revoked' };
  return { ok: true, session };
}
