// Serves the built site (build/) on 127.0.0.1 the way a static host does, gzip included, so
// page weight and browser tests see what a reader's browser would. Not for production.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, normalize, relative } from 'node:path';
import { createGzip } from 'node:zlib';

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

const isInside = (root: string, file: string) => {
  const path = relative(root, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
};

export async function serveBuild(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
