import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../notebooks/lab/node/raw-http';
import { EXERCISE_PROGRESS_PATH } from '../src/components/Progress/exercise-progress';
import { builtHtml, serveBuild } from './static-server';

// A tiny "build": the site in <dir>/site, and beside it files that must never be served, and the
// exercise progress `npm run check` recorded.
const dir = mkdtempSync(join(tmpdir(), 'statelab-static-'));
const root = join(dir, 'site');
const progress = join(dir, 'progress.json');
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
  const served = await serveBuild(root, progress);
  server = served.server;
  port = Number(new URL(served.url).port);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const send = (method: string, target: string, host = 'x') =>
  sendRaw(
    port,
    `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
const get = (target: string, host = 'x') => send('GET', target, host);

describe('the static server for the built site', () => {
  it('serves pages the way Docusaurus writes them, and 404.html for the rest', async () => {
    expect(await get('/docs/intro')).toMatchObject({ status: 200, body: 'intro' });
    expect(await get('/')).toMatchObject({ status: 200, body: 'home' });
    expect(await get('/nope')).toMatchObject({ status: 404, body: 'not found' });
  });

  it("reads a route's built HTML from the same files, and nothing outside the build", () => {
    expect(builtHtml(root, '')).toBe('home');
    expect(builtHtml(root, '/docs/intro')).toBe('intro');
    expect(builtHtml(root, '/docs/missing')).toBe('');
    expect(builtHtml(root, '/../secret.txt')).toBe('');
    expect(builtHtml(root, '/%zz')).toBe('');
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

  it("answers the reader's exercise progress as npm start does: fresh, to this machine only", async () => {
    const record = { id: '01', chapter: '01', title: 'One', state: 'done', passing: 4, total: 4 };
    const recorded = { version: 1, exercises: { '01': { ...record, checkedAt: '2025-12-01' } } };
    writeFileSync(progress, JSON.stringify(recorded));
    const answer = await get(EXERCISE_PROGRESS_PATH, `localhost:${port}`);
    expect(answer).toMatchObject({ status: 200, headers: { 'cache-control': 'no-store' } });
    expect(JSON.parse(answer.body)).toEqual(recorded);
    writeFileSync(progress, JSON.stringify({ version: 1, exercises: {} }));
    expect(JSON.parse((await get(EXERCISE_PROGRESS_PATH, `localhost:${port}`)).body)).toEqual({
      version: 1,
      exercises: {},
    });
    // A page elsewhere that got here by pointing its own name at 127.0.0.1 (DNS rebinding).
    expect((await get(EXERCISE_PROGRESS_PATH, 'evil.example')).status).toBe(403);
  });

  it('answers HEAD like GET without a body, and 405 to a method that would change something', async () => {
    const localhost = `localhost:${port}`;
    for (const target of ['/docs/intro', '/nope', EXERCISE_PROGRESS_PATH]) {
      const head = await send('HEAD', target, localhost);
      const full = await get(target, localhost);
      expect(head.status, target).toBe(full.status);
      expect(head.headers['content-type'], target).toBe(full.headers['content-type']);
      expect(head.body, target).toBe('');
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await send(method, target, localhost);
        expect(answer.status, `${method} ${target}`).toBe(405);
        expect(answer.headers.allow, `${method} ${target}`).toBe('GET, HEAD');
      }
    }
  });
});
