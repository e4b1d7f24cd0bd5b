// The dev server's exercise-progress endpoint (src/plugins/exercise-progress.ts, `npm run dev`): what
// it adds to Docusaurus's dev server, merged the way Docusaurus merges it, and what it answers over
// real HTTP on 127.0.0.1, to this machine only, whatever state the progress file is in. `npm start`
// answers with the same middleware beside the build (tools/static-server.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadContext } from '@docusaurus/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXERCISE_PROGRESS_PATH } from '../../src/components/Progress/exercise-progress';
import { PROGRESS_REQUEST } from '../../src/components/Progress/useExerciseProgress';
import exerciseProgress, { exerciseProgressMiddleware } from '../../src/plugins/exercise-progress';
import { progressFile } from '../../tools/checks/progress';

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
type Middleware = Handler | { name: string; middleware: Handler };

// The webpack-merge that Docusaurus itself uses to merge a plugin's devServer into its own.
const fromDocusaurus = createRequire(require.resolve('@docusaurus/core/package.json'));
const { merge } = fromDocusaurus('webpack-merge') as {
  merge: (configs: object[]) => { setupMiddlewares: (m: Middleware[], s: unknown) => Middleware[] };
};
const historyApiFallback = createRequire(require.resolve('webpack-dev-server'))(
  'connect-history-api-fallback',
) as (options: object) => Handler;

// The plugin reads <siteDir>/.statelab/progress.json; here the site folder is a temp folder.
const dir = mkdtempSync(join(tmpdir(), 'statelab-progress-endpoint-'));
const file = progressFile(dir);
mkdirSync(join(file, '..'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = {
  id: '01',
  chapter: '01',
  title: 'Serve one product from the database',
  state: 'done',
  passing: 4,
  total: 4,
  checkedAt: '2025-12-01T10:00:00.000Z',
};

/** The plugin's webpack config for a bundle: `npm run dev` builds the client in development mode. */
function pluginConfig(mode: 'development' | 'production', isServer: boolean) {
  const plugin = exerciseProgress({ siteDir: dir } as LoadContext);
  const utilsAndContent = [{}, undefined] as unknown as [never, never];
  return plugin.configureWebpack!({ mode }, isServer, ...utilsAndContent);
}

/** A small stand-in for webpack-dev-server's own middlewares, in their order. */
const setHeaders: Handler = (_req, res, next) => {
  res.setHeader('access-control-allow-origin', '*'); // Docusaurus's devServer `headers`
  next();
};
const fallback = historyApiFallback({ rewrites: [{ from: /\/*/, to: '/' }] }); // Docusaurus's options
const devMiddleware: Handler = (req, res, next) => {
  if (req.url !== '/') return next();
  res.writeHead(200, { 'content-type': 'text/html' }).end('<html>the site</html>');
};
const evalSourceMap: Handler = (_req, _res, next) => next();

let middlewares: Middleware[];
let base: string;
const server = createServer((req, res) => {
  const chain = middlewares.map((m) => (typeof m === 'function' ? m : m.middleware));
  const next = (i: number) => () =>
    i < chain.length ? chain[i](req, res, next(i + 1)) : res.writeHead(404).end();
  next(0)();
});

beforeAll(async () => {
  // What Docusaurus does (lib/commands/start/webpack.js): its own hook adds a middleware in
  // place and returns the list; it merges a plugin's devServer over its own with webpack-merge.
  const docusaurus = {
    setupMiddlewares: (list: Middleware[]) => (list.unshift(evalSourceMap), list),
  };
  const merged = merge([docusaurus, pluginConfig('development', false)!.devServer!]);
  middlewares = merged.setupMiddlewares(
    [
      { name: 'set-headers', middleware: setHeaders },
      { name: 'connect-history-api-fallback', middleware: fallback },
      { name: 'webpack-dev-middleware', middleware: devMiddleware },
    ],
    {},
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

function get(path: string, headers: Record<string, string>, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>(
    (resolve, reject) => {
      const req = request(`${base}${path}`, { headers, method }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}
const asTheTableAsks = PROGRESS_REQUEST.headers as Record<string, string>;

describe('added to the dev server', () => {
  it('only to the dev server: nothing in `npm run build`, nothing in the server bundle', () => {
    expect(pluginConfig('production', false)).toBeUndefined();
    expect(pluginConfig('development', true)).toBeUndefined();
  });

  it("once, after every one of Docusaurus's own middlewares, each of them kept once", () => {
    expect(middlewares.map((m) => (typeof m === 'function' ? m : m.name))).toEqual([
      evalSourceMap,
      'set-headers',
      'connect-history-api-fallback',
      'webpack-dev-middleware',
      'statelab-exercise-progress',
    ]);
  });
});

describe(`GET ${EXERCISE_PROGRESS_PATH}`, () => {
  it('answers the recorded progress as the table asks for it, fresh and for this site only', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, exercises: { '01': record } }));
    const reply = await get(EXERCISE_PROGRESS_PATH, asTheTableAsks);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(reply.body)).toEqual({ version: 1, exercises: { '01': record } });
  });

  it('reads the file again on every request: a new run shows without a restart', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, exercises: { '01': record } }));
    await get(EXERCISE_PROGRESS_PATH, asTheTableAsks);
    const failing = { ...record, state: 'failing', passing: 1 };
    writeFileSync(file, JSON.stringify({ version: 1, exercises: { '01': failing } }));
    const reply = await get(EXERCISE_PROGRESS_PATH, asTheTableAsks);
    expect(JSON.parse(reply.body).exercises['01']).toEqual(failing);
  });

  it('a browser asking for a page gets the site instead: the history fallback comes first', async () => {
    const reply = await get(EXERCISE_PROGRESS_PATH, { accept: 'text/html,*/*' });
    expect(reply.body).toBe('<html>the site</html>');
  });

  it.each([
    ['missing', null],
    ['damaged', '{"version":1,"exercises":{"01":{"id":'],
  ])('a %s file is answered as no progress, not an error', async (_, text) => {
    rmSync(file, { force: true });
    if (text !== null) writeFileSync(file, text);
    const reply = await get(EXERCISE_PROGRESS_PATH, asTheTableAsks);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ version: 1, exercises: {} });
  });

  it('refuses a page that reached 127.0.0.1 under another name (DNS rebinding)', async () => {
    const reply = await get(EXERCISE_PROGRESS_PATH, { ...asTheTableAsks, host: 'evil.example' });
    expect(reply.status).toBe(403);
    const named = await get(EXERCISE_PROGRESS_PATH, { ...asTheTableAsks, host: 'localhost:3000' });
    expect(named.status).toBe(200);
  });

  it('refuses a request from another machine (npm run dev -- --host 0.0.0.0)', () => {
    const handler = exerciseProgressMiddleware(() => file);
    const res = { removeHeader: vi.fn(), writeHead: vi.fn(), end: vi.fn() };
    const from = (remoteAddress: string) => {
      res.writeHead.mockClear();
      const req = {
        method: 'GET',
        url: EXERCISE_PROGRESS_PATH,
        headers: { host: 'localhost:3000' },
        socket: { remoteAddress },
      };
      handler(req as never, res as never, () => {});
      return res.writeHead.mock.calls[0]?.[0];
    };
    expect(from('192.168.1.20')).toBe(403);
    expect(from('::ffff:10.0.0.5')).toBe(403);
    expect(from('::1')).toBe(200);
    expect(from('::ffff:127.0.0.1')).toBe(200);
  });

  it('answers 405 to a method that would change the progress: only npm run check writes it', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const answer = await get(EXERCISE_PROGRESS_PATH, asTheTableAsks, method);
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow, method).toBe('GET, HEAD');
    }
  });

  it('passes every other request on', async () => {
    expect((await get('/', { accept: 'text/html' })).body).toBe('<html>the site</html>');
    expect((await get('/__statelab/other.json', asTheTableAsks)).status).toBe(404);
  });
});
