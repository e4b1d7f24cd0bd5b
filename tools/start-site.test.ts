// `npm start` (tools/start-site.ts) as a terminal sees it: a port that is not a port number, or is
// taken (on 127.0.0.1, or on [::1] where localhost may lead), is said at once and exits 1, before
// any build; a current build is served as it is (no build), with gzip and the reader's
// exercise progress; and Ctrl-C or kill stop it with 0. The tests serve a small build of their own
// (STATELAB_SITE_BUILD) stamped with the sources here, so none of them runs `docusaurus build`.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { EXERCISE_PROGRESS_PATH } from '../src/components/Progress/exercise-progress';
import { siteInputsHash, writeStamp } from './site-inputs';
import { heldPorts, runToEnd } from './site-testing';

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
function start(
  args: string[],
  onOutput?: (output: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
) {
  return runToEnd(
    ['--require', 'tsx/cjs', join(ROOT, 'tools/start-site.ts'), ...args, '--no-open'],
    {
      cwd: ROOT,
      env: { ...process.env, STATELAB_SITE_BUILD: build, STATELAB_STATE: state, ...env },
      deadlineMs: DEADLINE_MS,
    },
    onOutput,
  );
}
const onPort = (port: number) => ['--port', String(port)];

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
  const ports = heldPorts();
  afterAll(() => ports.closeAll());

  it('exits 1 at once when its port is taken, saying so and how to choose another', async () => {
    const { port } = await ports.hold();
    const { code, output } = await start(onPort(port));
    expect(output).toContain(`port ${port} is taken`);
    expect(output).toContain(`npm start -- --port ${port + 1}`);
    expect(output).not.toMatch(/Building/);
    expect(code).toBe(1);
  });

  // localhost may resolve to ::1 first: a browser opening http://localhost:PORT would reach the
  // server listening there, not the course on 127.0.0.1.
  it('exits 1 when its port is taken on [::1], where localhost may lead', async () => {
    const { port, free } = await ports.hold('::1');
    const { code, output } = await start(onPort(port));
    await free();
    expect(output).toContain(`port ${port} is taken on [::1]`);
    expect(output).toContain(`npm start -- --port ${port + 1}`);
    expect(output).not.toMatch(/Building|Serving/);
    expect(code).toBe(1);
  });

  it.each([
    [['--port', '0x1F90'], {}, '--port', '0x1F90'],
    [['--port', '3000.0'], {}, '--port', '3000.0'],
    [['--port', '65536'], {}, '--port', '65536'],
    [[], { PORT: 'abc' }, 'PORT', 'abc'],
    [[], { PORT: ' 3000' }, 'PORT', ' 3000'],
  ])(
    'refuses %j %j, naming where the port came from and what it was',
    async (args, env, from, given) => {
      const { code, output } = await start(args, undefined, env);
      expect(output).toContain(
        `${from} must be a port number, 1 to 65535 in decimal, not "${given}"`,
      );
      expect(output).not.toContain('undefined');
      expect(output).not.toMatch(/Building|Serving/);
      expect(code).toBe(1);
    },
  );

  it.each([
    [['-p', '8080'], "Unknown option '-p'"],
    [['8080'], "Unexpected argument '8080'"],
  ])('refuses %j in one line that names the options, with no stack trace', async (args, what) => {
    const { code, output } = await start(args);
    expect(output).toContain(`npm start: ${what}`);
    expect(output).toContain('Options: --port <1-65535>, --no-open.');
    expect(output).not.toMatch(/\n\s+at /);
    expect(code).toBe(1);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'serves a current build as it is, with gzip and exercise progress, and exits 0 on %s',
    async (signal) => {
      const { port } = await ports.reserve();
      let served: Promise<Awaited<ReturnType<typeof fetchLocal>>[]> | undefined;
      const { code, output } = await start(onPort(port), (text, child) => {
        if (served || !text.includes('Serving the course')) return;
        served = Promise.all([
          fetchLocal(port, '/', { 'accept-encoding': 'gzip' }),
          fetchLocal(port, EXERCISE_PROGRESS_PATH, { accept: 'application/json' }),
        ]).finally(() => child.kill(signal));
        // Awaited below, once the child has exited: until then a failed fetch is not unhandled.
        served.catch(() => {});
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
