// Log in, log out, "who am I". The session lives in whatever store the shop was given:
// the server's own memory (stateful) or a store every server shares (stateless servers).
import { randomBytes } from 'node:crypto';
import { sessionCookie } from './cookies';
import { json, type Reply } from './reply';
import type { RequestContext, Session } from './shop-types';

export const SESSION_COOKIE = 'sid';
export const SESSION_TTL_SECONDS = 30 * 60;
const USER_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

// #region login
export async function login(ctx: RequestContext): Promise<Reply> {
  const user = (ctx.body as { user?: unknown } | undefined)?.user;
  if (typeof user !== 'string' || !USER_NAME.test(user)) {
    return json(400, { error: 'send {"user": "<name>"}: letters, digits, - and _' });
  }
  // Rotate the ID at login: a session ID an attacker planted before login is worth nothing after.
  const old = ctx.cookies[SESSION_COOKIE];
  if (old) await ctx.sessions.delete(old);
  const sid = randomBytes(16).toString('base64url'); // 128 bits from the OS's CSPRNG
  const session: Session = { user, createdAt: Date.now() };
  await ctx.sessions.set(sid, session, SESSION_TTL_SECONDS * 1000);
  return json(
    200,
    { user },
    { 'set-cookie': sessionCookie(SESSION_COOKIE, sid, SESSION_TTL_SECONDS) },
  );
}
// #endregion login

export async function logout(ctx: RequestContext): Promise<Reply> {
  const sid = ctx.cookies[SESSION_COOKIE];
  if (sid) await ctx.sessions.delete(sid);
  return json(200, { ok: true }, { 'set-cookie': sessionCookie(SESSION_COOKIE, '', 0) });
}

/** The session behind the request's cookie, if this shop's session store has it. */
export async function currentSession(ctx: RequestContext): Promise<Session | undefined> {
  const sid = ctx.cookies[SESSION_COOKIE];
  return sid ? ctx.sessions.get(sid) : undefined;
}

export const NOT_LOGGED_IN = json(401, { error: 'not logged in' });

export async function me(ctx: RequestContext): Promise<Reply> {
  const session = await currentSession(ctx);
  return session ? json(200, { user: session.user }) : NOT_LOGGED_IN;
}
