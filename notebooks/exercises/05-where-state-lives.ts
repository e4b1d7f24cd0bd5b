// Exercise 05 — a signed session cookie that every server can check.
// Chapter 5, "Where state can live". Check it: npm run check 05 · stuck? npm run check -- 05 --hint
//
// The session lives in the client: the cookie holds it, signed with a key every server knows, so
// any server can tell a real session from a forged one without asking anyone. signSession (given)
// shows the format. You write verifySession, which every server runs on every request.
// The only server state left is the deny-list of logged-out sessions, shared by every server.
import { createHmac } from 'node:crypto';
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
  // TODO: split the token at the "." into the payload part and the signature part. Anything
  //       else (no ".", an empty part, more parts) is { ok: false, reason: 'malformed' }.
  // TODO: compute hmac(payload part, key) and compare it with the signature, decoded with
  //       Buffer.from(signature, 'base64url'). Use timingSafeEqual (import it from 'node:crypto'),
  //       not ===, and mind that it throws when the two lengths differ. No match: 'bad-signature'.
  // TODO: only then read the payload (base64url → JSON): session.exp <= now is 'expired', and
  //       a session whose jti is on the deny-list (await denyList.get(jti)) is 'revoked'.
  throw new Error(
    `TODO: verify ${token.slice(0, 8)}… with a ${key.length}-character key, the ${denyList.kind} deny-list and now = ${now}`,
  );
}
