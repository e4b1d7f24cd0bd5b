// An HTTP client that behaves like one browser: it keeps cookies between requests (its cookie
// jar is the only state it has) and gives up after a deadline. Every call ends as one of
// ok / fail / unknown, the way Jepsen counts, decided by classify() (outcomes.ts) from what the
// client saw: whether a connection was made, and whether a whole answer came back.
import { Agent, request } from 'node:http';
import { cookieFromSetCookie, cookieHeader } from '../core/cookies';
import { watchConnection } from './connected';
import { firstHeader, jsonOrText, readAnswer } from './http-edge';
import { isIdempotent } from '../core/methods';
import { classify, NOT_FORWARDED_HEADER, type Observed, type Outcome } from '../core/outcomes';

// One pool of kept-alive connections for every simulated browser: cheap, like a real browser's.
const KEEP_ALIVE = new Agent({ keepAlive: true });

export type { Outcome } from '../core/outcomes';

export interface Response {
  outcome: Outcome;
  /** 0 when no whole answer arrived. */
  status: number;
  body: unknown;
  /** The x-served-by header: which server answered. */
  servedBy?: string;
  /** false when the lab's balancer answered without forwarding the request to any backend. */
  forwarded?: boolean;
  /** Why no answer came: ECONNREFUSED, ECONNRESET, "no answer within 10000 ms", … */
  error?: string;
}

export interface ClientOptions {
  /** Sent as x-client-id, for load balancers that hash a client key. */
  clientId?: string;
  /**
   * How long to wait for an answer before the request counts as unknown. Default 10 s: on a busy
   * machine an answer can take seconds, and an experiment that counts what a crash cost must not
   * count a slow answer as one. (With 2 s, a test under load saw 11 of its 40 users' logins
   * unanswered.)
   */
  timeoutMs?: number;
}

export class ShopClient {
  /** Cookies this "browser" holds, by name. */
  readonly jar = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly options: ClientOptions = {},
  ) {}

  request(method: string, path: string, body?: unknown, retried = false): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.jar.size) headers.cookie = cookieHeader(this.jar);
    if (this.options.clientId) headers['x-client-id'] = this.options.clientId;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve) => {
      // Whether a connection was ever made (connected.ts): until then, not a byte has left.
      let connected = () => false;
      const noAnswer = (error: Error): Response => {
        const observed: Observed = { kind: connected() ? 'no-answer' : 'not-sent' };
        const code = (error as NodeJS.ErrnoException).code ?? error.message;
        return { outcome: classify(observed), status: 0, body: undefined, error: code };
      };
      const req = request(this.baseUrl + path, { method, headers, agent: KEEP_ALIVE }, (res) => {
        this.remember(res.headers['set-cookie'] ?? []);
        void readAnswer(res).then((answer) => {
          clearTimeout(deadline);
          // Cut in the middle of the answer: the request was sent, the answer never arrived whole.
          if (answer.kind === 'cut') return resolve(noAnswer(answer.error));
          const status = res.statusCode ?? 0;
          const forwarded = firstHeader(res.headers[NOT_FORWARDED_HEADER]) !== 'no';
          resolve({
            outcome: classify({ kind: 'answer', status, forwarded }),
            status,
            body: jsonOrText(answer.text),
            servedBy: firstHeader(res.headers['x-served-by']),
            forwarded,
          });
        });
      });
      connected = watchConnection(req);
      // No answer in time: the request may or may not have taken effect, so it is "unknown".
      const deadline = setTimeout(() => {
        req.destroy();
        resolve(noAnswer(new Error(`no answer within ${this.timeoutMs} ms`)));
      }, this.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        // A kept-alive connection the server has since closed: send the request again on a new
        // connection (Node's http docs show this pattern) — but only a safe-to-repeat one, since
        // a POST may have reached the server before the connection died.
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried && isIdempotent(method)) {
          resolve(this.request(method, path, body, true));
        } else {
          resolve(noAnswer(error));
        }
      });
      req.end(payload);
    });
  }

  private get timeoutMs() {
    return this.options.timeoutMs ?? 10_000;
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown) => this.request('POST', path, body ?? {});

  private remember(setCookies: string[]) {
    for (const line of setCookies) {
      const cookie = cookieFromSetCookie(line); // the lab's one cookie parser (cookies.ts)
      if (!cookie) continue;
      if (cookie.deletes) this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
  }
}
