// `npm start` (tools/start-site.ts) as a terminal sees it: a taken port is said at once and exits 1,
// before any build; a current build is served as it is (no build), with gzip and the reader's
// exercise progress; and Ctrl-C or kill stop it with 0. The tests serve a small build of their own
// (STATELAB_SITE_BUILD) stamped with the sources here, so none of them runs `docusaurus build`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { EXERCISE_PROGRESS_PATH } from '../src/components/Progress/exercise-progress';
import { siteInputsHash, writeStamp } from './site-inputs';

const ROOT = join(__dirname, '..');
const DEADLINE_MS = 60_000; // loading TypeScript and hashing the sources: seconds, more when busy

const dir = mkdtempSync(join(tmpdir(), 'statelab-start-'));
const build = join(dir, 'build');
const state = join(dir, 'state');
mkdirSync(build);
mkdirSync(state);
writeFileSync(join(build, 'index.html'), '<html>the course</html>');
writeStamp(build, siteInputsHash(ROOT));
writeFileSync(join(state, 'progress.json'), JSON.stringify({ version: 1, exercises: {} }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm start`'s script to its end (or the deadline, then kills it), with what it printed. */
function start(port: number, onOutput?: (output: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      join(ROOT, 'tools/start-site.ts'),
      '--port',
      String(port),
      '--no-open',
    ],
    { cwd: ROOT, env: { ...process.env, STATELAB_SITE_BUILD: build, STATELAB_STATE: state } },
  );
  let output = '';
  const deadline = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  const collect = (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output, child);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, output });
    }),
  );
}

/** GET on 127.0.0.1 with a Host header, as a browser at http://localhost:PORT sends it. */
function fetchLocal(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: Buffer; encoding?: string }>(
    (resolve, reject) =>
      get(
        { host: '127.0.0.1', port, path, headers: { host: `localhost:${port}`, ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              type: String(res.headers['content-type']),
              body: Buffer.concat(chunks),
              encoding: res.headers['content-encoding'],
            }),
          );
        },
      ).on('error', reject),
  );
}

describe('npm start', { timeout: DEADLINE_MS + 10_000 }, () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.listening && s.close()));

  /** A port the OS handed out, held by a server of ours until `free` closes it. */
  async function heldPort() {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return { port, free: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('exits 1 at once when its port is taken, saying so and how to choose another', async () => {
    const { port } = await heldPort();
    const { code, output } = await start(port);
    expect(output).toContain(`port ${port} is taken`);
    expect(output).toContain(`npm start -- --port ${port + 1}`);
    expect(output).not.toMatch(/Building/);
    expect(code).toBe(1);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'serves a current build as it is, with gzip and exercise progress, and exits 0 on %s',
    async (signal) => {
      const { port, free } = await heldPort();
      await free();
      let served: Promise<Awaited<ReturnType<typeof fetchLocal>>[]> | undefined;
      const { code, output } = await start(port, (text, child) => {
        if (served || !text.includes('Serving the course')) return;
        served = Promise.all([
          fetchLocal(port, '/', { 'accept-encoding': 'gzip' }),
          fetchLocal(port, EXERCISE_PROGRESS_PATH, { accept: 'application/json' }),
        ]).finally(() => child.kill(signal));
      });
      expect(output).toContain('was built from the sources here: serving it');
      expect(output).toContain(`Serving the course at http://localhost:${port}`);
      expect(output).not.toMatch(/Building/);
      const [page, progress] = await served!;
      expect(page).toMatchObject({ status: 200, encoding: 'gzip' });
      expect(gunzipSync(page.body).toString()).toBe('<html>the course</html>');
      expect(progress.status).toBe(200);
      expect(JSON.parse(progress.body.toString())).toEqual({ version: 1, exercises: {} });
      expect(code).toBe(0);
    },
  );
});
