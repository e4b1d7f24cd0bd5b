// Every way a proxied request can end, and what each must leave behind: nothing in flight (least
// connections reads that count), and nothing sent to any backend once the client has gone.
import { request, type ClientRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { BalancerOptions, RunningBalancer } from './balancer';
import { send, startBackends, startLb, until } from './balancer-testing';
import { classify, NOT_FORWARDED_HEADER } from '../core/outcomes';
import { sendRaw } from './raw-http';
import { leastConnections, type Policy } from '../core/policies';
import type { RunningServer } from './server';
import type { Handler } from './http-edge';

/** What the backends saw: every request but the checks, and those cut before their answer ended. */
interface Seen {
  received: string[];
  cut: string[];
}

/**
 * A backend whose behaviour the path chooses. /answer: answers. /hang: never answers. /reset:
 * app-1 drops the connection without answering, the others answer. /cut: starts an answer and
 * drops the connection. /stall: starts an answer and never finishes it.
 */
const scripted =
  (seen: Seen) =>
  (name: string): Handler =>
  (req, res) => {
    if (req.url === '/health') return res.end('ok');
    const what = `${req.method} ${req.url} at ${name}`;
    seen.received.push(what);
    res.once('close', () => {
      if (!res.writableFinished) seen.cut.push(what);
    });
    req.resume(); // read the body, if any
    if (req.url === '/hang') return;
    if (req.url === '/reset' && name === 'app-1') return req.socket.destroy();
    if (req.url === '/cut' || req.url === '/stall') {
      res.writeHead(200, { 'content-length': '1000' }).write('part of it');
      if (req.url === '/cut') setImmediate(() => req.socket.destroy());
      return;
    }
    res.setHeader('x-served-by', name).end(name);
  };

async function twoBackends(options: Partial<BalancerOptions> = {}) {
  const seen: Seen = { received: [], cut: [] };
  const servers = await startBackends(2, scripted(seen));
  const lb = await startLb(servers, { policy: leastConnections(), ...options });
  return { seen, servers, lb };
}

const inFlight = (lb: RunningBalancer) => lb.backends.map((b) => b.inFlight);

/** Sends a request and destroys it once `ready` says so: a client that gives up. */
async function giveUp(
  url: string,
  ready: (answerBytes: number) => boolean,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  let req: ClientRequest | undefined;
  let answerBytes = 0;
  const ended = new Promise<void>((resolve) => {
    req = request(url, { method: init.method, headers: init.headers, agent: false }, (res) =>
      res.on('data', (chunk: Buffer) => (answerBytes += chunk.length)),
    );
    req.once('error', () => undefined);
    req.once('close', () => resolve());
    req.end(init.body);
  });
  await until(() => ready(answerBytes));
  req!.destroy();
  await ended;
}

/** `count` sequential requests for /answer: who answered each. */
async function spread(lb: RunningBalancer, count: number) {
  const hits: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const { body } = await send(`${lb.url}/answer`);
    hits[body] = (hits[body] ?? 0) + 1;
  }
  return hits;
}

interface Ending {
  ending: string;
  options?: () => Partial<BalancerOptions>;
  /** Only with the LB's retry option on (the ending does not exist without it). */
  retryOnly?: boolean;
  /** Makes the request end this way; resolves once it has ended, from the client's side. */
  run(
    lb: RunningBalancer,
    test: { seen: Seen; servers: RunningServer[]; retry: boolean },
  ): Promise<unknown>;
}

/** Least connections, broken for its first pick only. */
function throwsOnce(): Policy {
  const inner = leastConnections();
  let thrown = false;
  return {
    name: 'throws once',
    pins: false,
    pick(backends, request) {
      if (!thrown) {
        thrown = true;
        throw new Error('bug in pick');
      }
      return inner.pick(backends, request);
    },
  };
}

const ENDINGS: Ending[] = [
  {
    ending: 'a normal answer',
    run: async (lb) => expect((await send(`${lb.url}/answer`)).body).toBe('app-1'),
  },
  {
    ending: 'the client gives up before the answer',
    run: (lb, { seen }) => giveUp(`${lb.url}/hang`, () => seen.received.length === 1),
  },
  {
    ending: 'the client gives up in the middle of the answer',
    run: (lb) => giveUp(`${lb.url}/stall`, (answerBytes) => answerBytes > 0),
  },
  {
    ending: 'the client closes after the whole answer',
    run: (lb) => giveUp(`${lb.url}/answer`, (answerBytes) => answerBytes === 'app-1'.length),
  },
  {
    ending: 'the backend refuses the connection',
    options: () => ({ healthCheck: false }),
    run: async (lb, { servers, retry }) => {
      void servers[0].kill();
      const answer = await send(`${lb.url}/answer`);
      expect(answer.status).toBe(retry ? 200 : 503); // retried on app-2, or not forwarded
      await servers[0].restart();
    },
  },
  {
    ending: 'the backend resets the connection',
    run: async (lb, { retry }) =>
      expect((await send(`${lb.url}/reset`)).status).toBe(retry ? 200 : 502),
  },
  {
    ending: 'the backend cuts its answer mid-body',
    run: (lb) => expect(send(`${lb.url}/cut`)).rejects.toThrow(),
  },
  {
    ending: 'the backend stays silent past the timeout',
    // Long enough that every answer of the spread after it comes in time on a busy machine (one
    // that took more than 100 ms was counted a 504): only the silence of /hang runs past it.
    options: () => ({ timeoutMs: 1_000 }),
    run: async (lb) => expect((await send(`${lb.url}/hang`)).status).toBe(504),
  },
  {
    ending: 'a body over 64 KiB that a retry would have to hold (413)',
    retryOnly: true,
    run: async (lb) => {
      const big = { method: 'PUT', body: 'x'.repeat(65 * 1024) };
      expect((await send(`${lb.url}/answer`, big)).status).toBe(413);
    },
  },
  {
    ending: 'the routing policy throws',
    options: () => ({ policy: throwsOnce(), onError: () => undefined }),
    run: async (lb) => expect((await send(`${lb.url}/answer`)).status).toBe(500),
  },
];

describe('in flight, after every kind of ending', () => {
  for (const retry of [false, true]) {
    for (const { ending, options, retryOnly, run } of ENDINGS) {
      if (retryOnly && !retry) continue;
      it(`${ending}${retry ? ' (retry on)' : ''}: back to 0, and least connections still alternates`, async () => {
        const { lb, seen, servers } = await twoBackends({ retry, ...options?.() });
        await run(lb, { seen, servers, retry });
        await until(() => inFlight(lb).every((n) => n === 0));
        expect(await spread(lb, 10)).toEqual({ 'app-1': 5, 'app-2': 5 });
      });
    }
  }

  it('stop() with a request in flight: back to 0, and the backend sees its request cut', async () => {
    const { lb, seen } = await twoBackends();
    const pending = send(`${lb.url}/hang`).catch(() => 'cut');
    await until(() => seen.received.length === 1);
    await lb.stop();
    expect(await pending).toBe('cut');
    expect(inFlight(lb)).toEqual([0, 0]);
    await until(() => seen.cut.length === 1);
  });
});

describe('a backend that passes its checks but never answers', () => {
  it('costs the client a 504 JSON after timeoutMs, an unknown outcome, and the request is cut', async () => {
    const { lb, seen } = await twoBackends({ timeoutMs: 100 });
    const answer = await send(`${lb.url}/hang`);
    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'backend app-1 did not answer within 100 ms',
    });
    // Forwarded: app-1 had the request and may have acted on it, so the client cannot know.
    expect(answer.headers[NOT_FORWARDED_HEADER]).toBeUndefined();
    expect(classify({ kind: 'answer', status: answer.status })).toBe('unknown');
    await until(() => seen.cut.length === 1); // the LB gave up on it: app-1 sees it cut
    expect(lb.stats()['app-1']).toEqual({ routed: 1, failed: 1, retried: 0 });
    expect(inFlight(lb)).toEqual([0, 0]);
  });
});

describe('a client that never finishes its request', () => {
  it('gets a 408 JSON, not a 504 that blames the backend, whether its headers or its body stall', async () => {
    // timeoutMs 100: the backend's silence comes long before any server's 5 s request timeout,
    // so the answer is the LB's own verdict on the unfinished request.
    const { lb } = await twoBackends({ timeoutMs: 100 });
    const [headers, body] = await Promise.all([
      // Slowloris: the headers never end. Only the LB's own request timeout can answer this one.
      sendRaw(lb.port, 'GET /answer HTTP/1.1\r\nHost: lb\r\nX-Slow: 1\r\n', { timeoutMs: 15_000 }),
      // A body that stops short of its Content-Length.
      sendRaw(lb.port, 'POST /hang HTTP/1.1\r\nHost: lb\r\nContent-Length: 100\r\n\r\n{"a":', {
        timeoutMs: 15_000,
      }),
    ]);
    for (const answer of [headers, body]) {
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toEqual({ error: 'the request did not arrive in time' });
    }
    expect(inFlight(lb)).toEqual([0, 0]);
  });
});

describe('a client that gives up', () => {
  for (const [kind, init] of [
    ['a GET', { method: 'GET' }],
    [
      'a POST with an Idempotency-Key',
      { method: 'POST', headers: { 'idempotency-key': 'k1' }, body: '{}' },
    ],
  ] as const) {
    it(`is never followed by ${kind} to another backend, and its request to the first is cut`, async () => {
      const { lb, seen } = await twoBackends({ retry: true });
      await giveUp(`${lb.url}/hang`, () => seen.received.length === 1, init);
      await until(() => seen.cut.length === 1); // app-1 saw its request cut: the LB is done with it
      await until(() => inFlight(lb).every((n) => n === 0));
      expect(seen.received).toEqual([`${init.method} /hang at app-1`]); // nothing went to app-2
      expect(lb.stats()['app-1']).toEqual({ routed: 1, failed: 0, retried: 0 });
    });
  }

  it('leaves least connections even: clients who gave up on a slow backend do not skew it', async () => {
    // In the issue, ghost retries left a backend's count up for good, and least connections
    // then sent 20 of 20 requests to the other one, the slow one.
    const { lb, seen } = await twoBackends({ retry: true });
    for (let i = 1; i <= 4; i++) {
      await giveUp(`${lb.url}/hang`, () => seen.received.length === i);
      await until(() => inFlight(lb).every((n) => n === 0));
    }
    expect(seen.received).toHaveLength(4); // one request each, none resent after its client left
    expect(seen.cut).toHaveLength(4);
    expect(await spread(lb, 20)).toEqual({ 'app-1': 10, 'app-2': 10 });
  });

  it('that left while its body was arriving is not forwarded at all', async () => {
    const { lb, seen } = await twoBackends({ retry: true });
    const req = request(`${lb.url}/answer`, {
      method: 'PUT',
      headers: { 'content-length': '100' },
      agent: false,
    });
    req.once('error', () => undefined);
    req.write('only part of the body');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the LB is waiting for the rest
    const closed = new Promise((resolve) => req.once('close', resolve));
    req.destroy();
    await closed;
    expect(await spread(lb, 2)).toEqual({ 'app-1': 1, 'app-2': 1 }); // the LB is still serving
    expect(seen.received).toEqual(['GET /answer at app-1', 'GET /answer at app-2']);
  });
});
