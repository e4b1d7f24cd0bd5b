// The types the shop's routes share. Platform-free.
import type { Catalog } from './catalog';
import type { StateStore } from './store';

export interface Session {
  user: string;
  /** When the user logged in (ms since the epoch): the absolute timeout counts from here. */
  createdAt: number;
  /** The last request seen with this session, to the minute: the idle timeout counts from here. */
  lastSeenAt: number;
}

export interface CartLine {
  productId: number;
  qty: number;
}

/** Everything a route may use to answer one request. */
export interface RequestContext {
  method: string;
  path: string;
  cookies: Record<string, string>;
  /** The parsed JSON body of a POST, if any. */
  body: unknown;
  catalog: Catalog;
  sessions: StateStore<Session>;
  carts: StateStore<CartLine[]>;
}
