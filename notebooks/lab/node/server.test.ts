import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { startServer, type RunningServer } from './server';
import { createShop } from './shop';
import { traceRequest } from './trace';

const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function startShop(name = 'app-1') {
  const catalog = openCatalog();
  const server = await startServer({ name, app: () => createShop({ name, catalog }) });
  running.push(server);
  return server;
}

describe('startServer + createShop', () => {
  it('listens on 127.0.0.1 on a port the OS chose', async () => {
    const server = await startShop();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves products from the catalogue and says which server answered', async () => {
    const server = await startShop('app-7');
    const trace = await traceRequest(`${server.url}/products/1`);
    expect(trace.status).toBe(200);
    expect(trace.servedBy).toBe('app-7');
    expect(trace.body).toMatchObject({ id: 1, name: 'Espresso beans, 1 kg' });
    expect(Object.keys(trace.server).sort()).toEqual(['app', 'db']);
  });

  it.each([
    ['/products/abc', 400],
    ['/products/%zz', 400],
    ['/products/999', 404],
    ['/nowhere', 404],
  ])('answers %s with %i', async (path, status) => {
    const server = await startShop();
    expect((await traceRequest(server.url + path)).status).toBe(status);
  });

  it('answers 500 without details when a route throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const server = await startServer({
      name: 'app-1',
      app: () =>
        createShop({
          name: 'app-1',
          catalog: openCatalog(),
          productById: () => {
            throw new Error('boom');
          },
          onError: (e) => errors.push(e),
        }),
    });
    running.push(server);
    const trace = await traceRequest(`${server.url}/products/1`);
    expect(trace.status).toBe(500);
    expect(JSON.stringify(trace.body)).not.toContain('boom');
    expect(errors).toHaveLength(1);
  });

  it('kill() cuts open connections at once; restart() serves again on the same port', async () => {
    const server = await startServer({
      name: 'app-1',
      app: () => (_req, res) => setTimeout(() => res.end('late'), 5_000), // never answers in time
    });
    running.push(server);
    const pending = new Promise<string>((resolve) => {
      const req = request(`${server.url}/`, (res) => res.resume());
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100)); // let the request reach the server
    const port = server.port;
    void server.kill();
    expect(await pending).toBe('ECONNRESET');
    expect(server.alive).toBe(false);
    await expect(traceRequest(`${server.url}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await server.restart();
    expect(server.port).toBe(port);
    expect(server.alive).toBe(true);
  });

  it('restart() builds a fresh app, so nothing in memory survives a kill', async () => {
    let builds = 0;
    const server = await startServer({
      name: 'app-1',
      app: () => {
        builds += 1;
        let hits = 0; // state held in this server's memory
        return (_req, res) => res.end(String(++hits));
      },
    });
    running.push(server);
    await traceRequest(`${server.url}/`);
    expect((await traceRequest(`${server.url}/`)).body).toBe(2);
    void server.kill();
    await server.restart();
    expect(builds).toBe(2);
    expect((await traceRequest(`${server.url}/`)).body).toBe(1);
  });
});

describe('traceRequest', () => {
  it('looks the name up when given one, and not when given an address', async () => {
    const server = await startShop();
    const byName = await traceRequest(`http://localhost:${server.port}/health`);
    const byAddress = await traceRequest(`${server.url}/health`);
    expect(byName.status).toBe(200);
    expect(byName.dnsMs).toBeGreaterThan(0);
    expect(byAddress.dnsMs).toBe(0);
  });
});
