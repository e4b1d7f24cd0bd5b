// A bounded load of cart requests for chapter 7: each "cart request" is POST /cart then GET /cart
// with one user's session, so every one reads and writes the session and cart stores. Fixed
// counts, at most `concurrency` at a time, loopback only; the load keeps no state between runs.
import { Agent, request } from 'node:http';
import { cookieFromSetCookie, cookieHeader } from '../core/cookies';
import { percentile } from './load';
import { SESSION_COOKIE } from '../core/shop-rules';

export interface CartLoadFigures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** One request with this user's session (none: without a cookie) and JSON body; it throws when no
 *  answer comes in 5 s. Its status and cookies. (tools/bench-stores.ts sends with it too.) */
export function send(agent: Agent, url: string, method: string, sid?: string, body?: unknown) {
  return new Promise<{ status: number; setCookie: string[] }>((resolve, reject) => {
    const headers: Record<string, string> = {
      ...(sid ? { cookie: cookieHeader([[SESSION_COOKIE, sid]]) } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const req = request(url, { method, headers, agent }, (res) => {
      res.resume();
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }),
      );
    });
    req.setTimeout(5_000, () => req.destroy(new Error(`${method} ${url}: no answer in 5 s`)));
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Logs in `n` users (u0, u1, …) and returns their session IDs. */
export async function loginUsers(url: string, n: number): Promise<string[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    const sids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const { status, setCookie } = await send(agent, `${url}/login`, 'POST', undefined, {
        user: `u${i}`,
      });
      const sid = setCookie.map(cookieFromSetCookie).find((c) => c?.name === SESSION_COOKIE)?.value;
      if (status !== 200 || !sid) throw new Error(`login of u${i} failed: ${status}`);
      sids.push(sid);
    }
    return sids;
  } finally {
    agent.destroy();
  }
}

// #region cart-load
/** `requests` cart requests over these sessions, `concurrency` at a time; any failure throws. */
export async function sendCartLoad(
  url: string,
  sids: readonly string[],
  options: { requests: number; concurrency: number },
): Promise<CartLoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const ms: number[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < options.requests) {
      const sid = sids[sent++ % sids.length];
      const t0 = performance.now();
      const added = await send(agent, `${url}/cart`, 'POST', sid, { productId: 2 });
      const read = await send(agent, `${url}/cart`, 'GET', sid);
      if (added.status !== 200 || read.status !== 200) {
        throw new Error(`cart request failed: POST ${added.status}, GET ${read.status}`);
      }
      ms.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: ms.length,
    perSecond: ms.length / seconds,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
  };
}
// #endregion cart-load
