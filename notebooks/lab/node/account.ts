// What the shop's accounts need from Node: session IDs from the operating system's random
// generator. The login, logout and "who am I" routes are platform-free (core/account.ts).
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../core/shop-rules';

export { SESSION_COOKIE }; // the cookie the shop's login sets; audit.ts reads it

/** A fresh session ID: 128 bits from the OS's CSPRNG, as base64url (22 characters). */
export const newSessionId = (): string => randomBytes(16).toString('base64url');
