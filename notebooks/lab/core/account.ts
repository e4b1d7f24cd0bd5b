// Log in, log out, "who am I". The session lives in whatever store the shop was given:
// the server's own memory (stateful) or a store every server shares (stateless servers).
// The rules are shop-rules.ts's (shared with the browser simulator); the session ID comes from
// the platform (node/account.ts: the operating system's random generator), so this file runs
// anywhere. Platform-free.
import { expiredCookie, sessionCookie } from './cookies';
import { json, type Reply } from './reply';
import {
  BAD_LOGIN,
  currentSession,
  NOT_LOGGED_IN,
  SESSION_COOKIE,
  startSession,
  userToLogIn,
} from './shop-rules';
import type { RequestContext } from './shop-types';

/** Where session IDs come from: unguessable, at least 128 bits from a CSPRNG (OWASP). */
export type SessionIdSource = () => string;

// #region login
export async function login(ctx: RequestContext, newSessionId: SessionIdSource): Promise<Reply> {
  const user = userToLogIn(ctx.body);
  if (!user) return BAD_LOGIN;
  const sid = newSessionId(); // fresh and unguessable: on Node, 128 bits from the OS (node/account.ts)
  // Into this shop's session store; the ID the browser came with is deleted (a new one per login).
  await startSession(ctx, sid, user);
  // No Max-Age: the cookie lasts until the browser closes; shop-rules.ts's timeouts end the session.
  return json(200, { user }, { 'set-cookie': sessionCookie(SESSION_COOKIE, sid) });
}
// #endregion login

export async function logout(ctx: RequestContext): Promise<Reply> {
  const sid = ctx.cookies[SESSION_COOKIE];
  if (sid) await ctx.sessions.delete(sid);
  return json(200, { ok: true }, { 'set-cookie': expiredCookie(SESSION_COOKIE) });
}

export async function me(ctx: RequestContext): Promise<Reply> {
  const session = await currentSession(ctx);
  return session ? json(200, { user: session.user }) : NOT_LOGGED_IN;
}
