// The shops' one edge (http-edge.ts): what every shop server does around its routes. The shop and
// the token shop both answer through answerRequest, so these hold for both (shop.test.ts and
// token-sessions.test.ts test their routes through it).
import { afterEach, describe, expect, it } from 'vitest';
import { ShopClient } from './client';
import { answerRequest, isJsonType, type Handler } from './http-edge';
import { json } from '../core/reply';
import { startServer, type RunningServer } from './server';

const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function serve(app: Handler) {
  const server = await startServer({ name: 'edge', app: () => app });
  running.push(server);
  return new ShopClient(server.url);
}

describe('answerRequest', () => {
  it('hands the route the path, cookies and JSON body, and writes its reply with the server headers', async () => {
    const seen: unknown[] = [];
    const client = await serve((req, res) =>
      answerRequest(
        req,
        res,
        async (request) => {
          seen.push({ method: request.method, path: request.path, body: request.body });
          return json(201, { cookies: { ...request.cookies } }, { 'x-route': 'yes' });
        },
        { headers: () => ({ 'x-served-by': 'edge' }) },
      ),
    );
    client.jar.set('sid', 'a b;c');
    const answer = await client.post('/cart', { productId: 2 });
    expect(answer).toMatchObject({
      status: 201,
      servedBy: 'edge',
      body: { cookies: { sid: 'a b;c' } },
    });
    expect(seen).toEqual([{ method: 'POST', path: '/cart', body: { productId: 2 } }]);
  });

  it('answers 500 with no details when the route throws, and hands the error to onError', async () => {
    const errors: unknown[] = [];
    const client = await serve((req, res) =>
      answerRequest(req, res, () => Promise.reject(new Error('the database is on fire')), {
        headers: () => ({ 'x-served-by': 'edge' }),
        onError: (error) => errors.push(error),
      }),
    );
    const answer = await client.get('/anything');
    expect(answer).toMatchObject({ status: 500, body: { error: 'internal server error' } });
    expect(errors).toEqual([new Error('the database is on fire')]);
  });

  it('answers 500 when the route’s reply cannot be written (a BigInt, a bad header), and keeps serving', async () => {
    const errors: unknown[] = [];
    const client = await serve((req, res) =>
      answerRequest(
        req,
        res,
        async (request) =>
          request.path === '/bigint'
            ? json(404, { id: BigInt(5) })
            : request.path === '/header'
              ? json(200, { ok: true }, { 'x-bad': 'one\ntwo' })
              : json(200, { ok: true }),
        { headers: () => ({ 'x-served-by': 'edge' }), onError: (error) => errors.push(error) },
      ),
    );
    for (const path of ['/bigint', '/header']) {
      expect(await client.get(path), path).toMatchObject({
        status: 500,
        servedBy: 'edge',
        body: { error: 'internal server error' },
      });
    }
    expect(errors.map((e) => (e as Error).name)).toEqual(['TypeError', 'TypeError']);
    expect(await client.get('/fine')).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('never calls the route for a request the edge refuses (a body that is not JSON)', async () => {
    let called = false;
    const client = await serve((req, res) =>
      answerRequest(req, res, async () => ((called = true), json(200, {})), {
        headers: () => ({}),
      }),
    );
    const answer = await fetch(`${client.baseUrl}/cart`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: 'the body is not JSON' });
    expect(called).toBe(false);
  });
});

describe('isJsonType', () => {
  it('takes JSON in any case, with parameters, and the +json types', () => {
    for (const type of [
      'application/json',
      'Application/JSON',
      'application/json; charset=utf-8',
      ' application/json ;charset=utf-8',
      'application/problem+json',
    ])
      expect(isJsonType(type), type).toBe(true);
  });

  it('refuses every type a form or a fetch without preflight can send, whatever its parameters say', () => {
    // The Fetch standard lets a page on another origin send these types with no preflight: only
    // the part before the first ';' counts, and it must not be JSON.
    for (const type of [
      undefined,
      '',
      'text/plain',
      'text/plain;charset=UTF-8',
      'text/plain; x=application/json',
      'text/plain;application/json',
      'text/plain, application/json',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded;json',
      'multipart/form-data; boundary=application/json',
      'application/jsonx',
      'application/json-seq',
      'xapplication/json',
    ])
      expect(isJsonType(type), String(type)).toBe(false);
  });
});
