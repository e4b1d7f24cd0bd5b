// What crosses the balancer: end-to-end headers do, hop-by-hop ones do not (RFC 9110 §7.6.1), a
// body keeps its framing on each hop, and a HEAD is answered with headers only.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { endToEnd } from './balancer-headers';
import { send, startBackends, startLb } from './balancer-testing';
import { stickyCookie } from '../core/policies';
import type { Handler } from './http-edge';

/** A backend that answers with the method, path, headers and body it received. */
const echo = (): Handler => (req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
  req.on('end', () =>
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body })),
  );
};

describe('endToEnd', () => {
  it('drops the hop-by-hop headers and every header Connection names, whatever their case', () => {
    expect(
      endToEnd({
        connection: 'keep-alive, X-Private ,x-other',
        'keep-alive': 'timeout=5',
        'x-private': 'secret',
        'x-other': '1',
        te: 'trailers',
        'transfer-encoding': 'chunked',
        'proxy-authorization': 'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
        'content-type': 'application/json',
      }),
    ).toEqual({ 'content-type': 'application/json' });
  });
});

describe('headers through the balancer', () => {
  it('does not pass on to the backend the client’s hop-by-hop headers, nor those it names', async () => {
    const [backend] = await startBackends(1, echo);
    const lb = await startLb([backend]);
    const answer = await send(`${lb.url}/products`, {
      headers: {
        connection: 'x-secret, keep-alive',
        'x-secret': 'for the LB only',
        'keep-alive': 'timeout=99',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-connection': 'keep-alive',
        'proxy-authorization': 'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
        'x-kept': 'end to end',
      },
    });
    const seen = JSON.parse(answer.body) as { headers: Record<string, string> };
    expect(seen.headers['x-kept']).toBe('end to end');
    for (const name of ['x-secret', 'keep-alive', 'te', 'upgrade', 'proxy-connection']) {
      expect(seen.headers).not.toHaveProperty(name);
    }
    expect(seen.headers).not.toHaveProperty('proxy-authorization');
    expect(seen.headers.connection).toBe('keep-alive'); // the LB's own, for its own connection
  });

  it('does not pass on to the client the backend’s hop-by-hop headers, nor those it names', async () => {
    const [backend] = await startBackends(1, () => (_req, res) => {
      res.writeHead(200, {
        connection: 'x-private',
        'x-private': 'for the LB only',
        'keep-alive': 'timeout=1, max=7',
        'proxy-authenticate': 'Basic realm="lb"',
        trailer: 'x-checksum',
        upgrade: 'h2c',
        'x-kept': 'end to end',
      });
      res.end('ok');
    });
    const lb = await startLb([backend], { policy: stickyCookie() });
    const answer = await send(lb.url);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('ok');
    expect(answer.headers['x-kept']).toBe('end to end');
    for (const name of ['x-private', 'proxy-authenticate', 'trailer', 'upgrade']) {
      expect(answer.headers).not.toHaveProperty(name);
    }
    expect(answer.headers['keep-alive'] ?? '').not.toContain('max=7');
    expect(answer.setCookie).toEqual(['lb-backend=app-1; Path=/; HttpOnly; SameSite=Lax']);
  });

  for (const retry of [false, true]) {
    it(`carries a chunked body to the backend as one body, not as a second request (${retry ? 'held for a retry' : 'streamed'})`, async () => {
      const [backend] = await startBackends(1, echo);
      const lb = await startLb([backend], { retry });
      // Raw bytes: the body itself looks like a request. Sent without framing on the LB's
      // connection to the backend, it would be read as one.
      const inner = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
      const raw =
        'DELETE /cart HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        `${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`;
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(lb.port, '127.0.0.1', () => socket.write(raw));
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket.once('end', () => resolve(text));
        socket.once('error', reject);
      });
      const seen: unknown = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
      expect(seen).toMatchObject({ method: 'DELETE', url: '/cart', body: inner });
    });
  }

  // A client may name Content-Length in its Connection header, which makes it a hop-by-hop header
  // for endToEnd(): the body must still reach the backend framed, as one body.
  for (const retry of [false, true]) {
    for (const method of ['GET', 'DELETE', 'OPTIONS', 'POST']) {
      it(`carries a ${method} body whose Content-Length the client named in Connection as one body (${retry ? 'held for a retry' : 'streamed'})`, async () => {
        const seen: string[] = [];
        const [backend] = await startBackends(1, () => {
          const answer = echo();
          return (req, res) => {
            if (req.url !== '/health') seen.push(`${req.method} ${req.url}`); // not the LB's checks
            answer(req, res);
          };
        });
        const lb = await startLb([backend], { retry });
        const inner = 'POST /smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n';
        const raw =
          `${method} /cart HTTP/1.1\r\nHost: lb\r\nConnection: keep-alive, content-length\r\n` +
          `Content-Length: ${inner.length}\r\n\r\n${inner}`;
        const reply = await new Promise<string>((resolve, reject) => {
          const socket = connect(lb.port, '127.0.0.1', () => socket.write(raw));
          let text = '';
          socket.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
            const head = text.indexOf('\r\n\r\n');
            const length = /content-length: (\d+)/i.exec(text.slice(0, head));
            if (head >= 0 && length && text.length >= head + 4 + Number(length[1])) {
              socket.destroy();
              resolve(text);
            }
          });
          socket.once('error', reject);
        });
        const echoed: unknown = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
        expect(echoed).toMatchObject({ method, url: '/cart', body: inner });
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(seen).toEqual([`${method} /cart`]);
      });
    }
  }

  it('answers HEAD with the headers and no body, and the connection stays usable', async () => {
    const [backend] = await startBackends(1, () => (req, res) => {
      // The headers a GET would get, a chunked body included (Node sends no body for HEAD).
      res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
      res.end(req.method === 'HEAD' ? undefined : 'the body');
    });
    const lb = await startLb([backend]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 }); // one connection for both
    const once = (method: string) =>
      new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
        const req = request(lb.url, { method, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }),
          );
        });
        req.setTimeout(2_000, () => req.destroy(new Error(`${method}: no answer within 2 s`)));
        req.once('error', reject);
        req.end();
      });
    try {
      expect(await once('HEAD')).toEqual({ status: 200, body: '', type: 'text/plain' });
      expect(await once('GET')).toEqual({ status: 200, body: 'the body', type: 'text/plain' });
      expect(await once('HEAD')).toEqual({ status: 200, body: '', type: 'text/plain' });
    } finally {
      agent.destroy();
    }
  });

  it('answers CONNECT 405 with a JSON body, not forwarded, and keeps serving', async () => {
    const lb = await startLb(await startBackends(1));
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(lb.port, '127.0.0.1', () =>
        socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
      );
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.once('end', () => resolve(text));
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 405 /);
    expect(reply).toContain('x-lb-forwarded: no');
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'CONNECT is not supported',
    });
    expect((await send(lb.url)).body).toBe('app-1');
  });

  it('reads its affinity cookie beside a malformed one (theme=50%off)', async () => {
    const lb = await startLb(await startBackends(3), { policy: stickyCookie() });
    const answer = await send(lb.url, { headers: { cookie: 'theme=50%off; lb-backend=app-3' } });
    expect(answer).toMatchObject({ status: 200, body: 'app-3', setCookie: [] });
  });
});
