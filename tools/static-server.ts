// Serves the built site (build/) on 127.0.0.1 the way a static host does, gzip included, plus the
// one thing a static host cannot: the reader's exercise progress (src/plugins/exercise-progress.ts).
// `npm start` (tools/start-site.ts) serves the course with it, and page weight and browser tests see
// what a reader's browser would. Not for production.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, normalize, relative } from 'node:path';
import { createGzip } from 'node:zlib';
import { exerciseProgressMiddleware } from '../src/plugins/exercise-progress';
import { progressFile } from './checks/progress';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.xml', '.txt']);

/**
 * /docs/intro → build/docs/intro.html or build/docs/intro/index.html, as Docusaurus writes them.
 * Undefined when there is no such file under root; 'malformed' when the path is not valid
 * percent-encoding ("/%zz"). Nothing outside root is ever served, however the path is spelled
 * ("/..%2f..%2fetc/passwd" decodes to "/../../etc/passwd", and normalises to "/etc/passwd").
 */
function fileFor(root: string, urlPath: string): string | 'malformed' | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return 'malformed';
  }
  const base = join(root, normalize(`/${decoded}`));
  const candidates = [base, `${base}.html`, join(base, 'index.html')];
  return candidates.find((f) => isInside(root, f) && existsSync(f) && statSync(f).isFile());
}

/** The built HTML of a route ("/docs/intro", "" for the home page), as fileFor finds it; '' when
 *  the build has no page there. */
export function builtHtml(root: string, route: string): string {
  const file = fileFor(root, route);
  return file && file !== 'malformed' && file.endsWith('.html') ? readFileSync(file, 'utf8') : '';
}

const isInside = (root: string, file: string) => {
  const path = relative(root, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
};

/** Answers a request for a file of the build at root, or with its 404.html. */
export function serveFile(root: string, req: IncomingMessage, res: ServerResponse): void {
  // A static host reads; it changes nothing. (Node sends no body for HEAD by itself.)
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': TYPES['.txt'] });
    return void res.end(`${req.method} is not allowed here: the site is read-only\n`);
  }
  let path: string;
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return void res.writeHead(400, { 'content-type': TYPES['.txt'] }).end('malformed URL\n');
  }
  const found = fileFor(root, path);
  if (found === 'malformed')
    return void res.writeHead(400, { 'content-type': TYPES['.txt'] }).end('malformed URL\n');
  const file = found ?? join(root, '404.html');
  const ext = extname(file);
  const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding']));
  res.writeHead(file.endsWith('404.html') && !path.endsWith('404.html') ? 404 : 200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
    'cache-control': path.startsWith('/assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  });
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy()); // a build without 404.html, a file gone meanwhile
  (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
}

/** The site at root with the reader's exercise progress: what `npm start` serves. */
export function siteHandler(root: string, progress = progressFile()) {
  const answerProgress = exerciseProgressMiddleware(() => progress);
  return (req: IncomingMessage, res: ServerResponse) =>
    answerProgress(req, res, () => serveFile(root, req, res));
}

/** Serves the build at root, with the progress in the given file, on 127.0.0.1 and a free port. */
export async function serveBuild(
  root: string,
  progress = progressFile(),
): Promise<{ url: string; server: Server }> {
  const server = createServer(siteHandler(root, progress));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
