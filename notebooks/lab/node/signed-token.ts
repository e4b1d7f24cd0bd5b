// Signed tokens: state that lives in the client. The payload travels in the cookie, readable by
// anyone who holds it (signed is not encrypted); the HMAC only proves the server wrote it.
// The one piece of server state left is the deny-list of revoked token ids, in a shared store.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../core/store';

/** What every token carries besides the caller's fields: an id (for revocation) and an expiry. */
export interface TokenClaims {
  /** Token id, random: the key of the deny-list. */
  jti: string;
  /** Expiry, in milliseconds since 1970 (Date.now()). */
  exp: number;
}

export type Verdict<T> =
  | { ok: true; payload: T & TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'revoked' };

const mac = (data: string, key: Buffer | string) => createHmac('sha256', key).update(data).digest();

// #region sign
/** base64url(JSON payload with jti and exp) + "." + base64url(HMAC-SHA256 of the first part). */
export function sign(
  payload: object,
  key: Buffer | string,
  ttlMs: number,
  now = Date.now(),
): string {
  const claims = { jti: randomBytes(12).toString('base64url'), ...payload, exp: now + ttlMs };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(body, key).toString('base64url')}`;
}
// #endregion sign

// #region verify
export function verify<T = Record<string, unknown>>(
  token: string,
  key: Buffer | string,
  now = Date.now(),
): Verdict<T> {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [body, signature] = parts;
  const expected = mac(body, key);
  const given = Buffer.from(signature, 'base64url');
  // Node's decoder skips characters that are not base64url: only the one true spelling counts.
  if (given.toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
  // timingSafeEqual throws when the lengths differ, so compare them first. Returning early on a
  // wrong length leaks only the length, and that is no secret: every HMAC-SHA256 is 32 bytes.
  // What must not leak is how many leading bytes of a right-length guess were correct.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  let payload: T & TokenClaims;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & TokenClaims;
  } catch {
    return { ok: false, reason: 'malformed' }; // signed by us but not JSON: never happens
  }
  if (typeof payload?.exp !== 'number' || payload.exp <= now)
    return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
// #endregion verify

/** Reads the payload WITHOUT checking anything: what anyone holding the cookie can see. */
export function peek(token: string): unknown {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

// #region revocation
/** Logs a token out everywhere: its id goes on the shared deny-list until the token expires. */
export async function revoke(denyList: StateStore<true>, claims: TokenClaims, now = Date.now()) {
  if (claims.exp > now) await denyList.set(claims.jti, true, claims.exp - now);
}

/** verify(), then the deny-list: one lookup in shared state on every request, again. */
export async function verifyNotRevoked<T = Record<string, unknown>>(
  token: string,
  key: Buffer | string,
  denyList: StateStore<true>,
  now = Date.now(),
): Promise<Verdict<T>> {
  const verdict = verify<T>(token, key, now);
  if (verdict.ok === true && (await denyList.get(verdict.payload.jti))) {
    return { ok: false, reason: 'revoked' };
  }
  return verdict;
}
// #endregion revocation
