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

/** What a route may read of a request, once an edge (node/http-edge.ts) has read it safely. */
export interface ShopRequest {
  method: string;
  /** The URL's path, not yet percent-decoded. */
  path: string;
  cookies: Record<string, string>;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
}

/** Everything a route may use to answer one request: the request, and where state lives. */
export interface RequestContext extends ShopRequest {
  catalog: Catalog;
  sessions: StateStore<Session>;
  carts: StateStore<CartLine[]>;
}
