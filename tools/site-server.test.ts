// `npm run dev` (tools/site-server.mjs) fails when the site is not served: Docusaurus alone exits 0
// when its port is taken. And it still stops with 0 when it is told to stop.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const DEADLINE_MS = 120_000; // Docusaurus loads the site config first: seconds, more when busy

/** Runs the wrapper to its end (or the deadline, then kills it), with everything it printed. */
function siteServer(args: string[], onOutput?: (output: string, stop: () => void) => void) {
  const child = spawn(process.execPath, [join(ROOT, 'tools/site-server.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const deadline = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  const collect = (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output, () => child.kill('SIGTERM'));
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

describe('npm run dev', { timeout: DEADLINE_MS + 10_000 }, () => {
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

  it('exits 1, after Docusaurus says why, when its port is taken', async () => {
    const { port } = await heldPort();

    const { code, output } = await siteServer(['start', '--port', String(port), '--no-open']);

    expect(output).toContain(`Something is already running on port ${port}`);
    expect(output).toContain('stopped without serving the site');
    expect(code).toBe(1);
  });

  it('exits 0 when it is told to stop', async () => {
    let stopped = false;
    const { port, free } = await heldPort();
    await free();
    const { code } = await siteServer(
      ['start', '--port', String(port), '--no-open'],
      (output, stop) => {
        if (!stopped && output.includes('Starting the development server')) {
          stopped = true;
          stop();
        }
      },
    );
    expect(stopped).toBe(true);
    expect(code).toBe(0);
  });
});
