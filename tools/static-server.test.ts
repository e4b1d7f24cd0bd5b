import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../notebooks/lab/node/raw-http';
import { serveBuild } from './static-server';

// A tiny "build": the site in <dir>/site, and beside it files that must never be served.
const dir = mkdtempSync(join(tmpdir(), 'statelab-static-'));
const root = join(dir, 'site');
let server: Server;
let port: number;

beforeAll(async () => {
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'index.html'), 'home');
  writeFileSync(join(root, 'docs', 'intro.html'), 'intro');
  writeFileSync(join(root, '404.html'), 'not found');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  mkdirSync(join(dir, 'site-private'));
  writeFileSync(join(dir, 'site-private', 'key'), 'SECRET');
  const served = await serveBuild(root);
  server = served.server;
  port = Number(new URL(served.url).port);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const get = (target: string) =>
  sendRaw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

describe('the static server for the built site', () => {
  it('serves pages the way Docusaurus writes them, and 404.html for the rest', async () => {
    expect(await get('/docs/intro')).toMatchObject({ status: 200, body: 'intro' });
    expect(await get('/')).toMatchObject({ status: 200, body: 'home' });
    expect(await get('/nope')).toMatchObject({ status: 404, body: 'not found' });
  });

  it('answers 400 to a path that is not valid percent-encoding, and goes on serving', async () => {
    for (const target of ['/%zz', '/docs/%E0%A4%A', 'http://[::1/']) {
      expect((await get(target)).status, target).toBe(400);
    }
    expect((await get('/docs/intro')).status).toBe(200);
  });

  it('never serves a file outside its root, however the path is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/..%2f..%2f..%2f..%2fetc/passwd',
      '/%2e%2e/secret.txt',
      '/docs/..%2f..%2fsecret.txt',
      '/..%2fsite-private/key',
      '/..%5csecret.txt',
      '/%00',
      '/docs/intro%00.html',
    ];
    for (const target of attempts) {
      const answer = await get(target);
      expect(answer.status, target).toBe(404);
      expect(answer.body, target).not.toMatch(/SECRET|root:/);
    }
  });
});
