// `npm run dev` (tools/site-server.mjs) fails when the site is not served: Docusaurus alone exits 0
// when its port is taken. It refuses a port that is not a decimal port number before Docusaurus
// reads it as another one. And it still stops with 0 when it is told to stop.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heldPorts, runToEnd } from './site-testing';

const ROOT = join(__dirname, '..');
const DEADLINE_MS = 120_000; // Docusaurus loads the site config first: seconds, more when busy

/** Runs the wrapper to its end (or the deadline, then kills it), with everything it printed. */
function siteServer(args: string[], onOutput?: (output: string, stop: () => void) => void) {
  return runToEnd(
    [join(ROOT, 'tools/site-server.mjs'), ...args],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, deadlineMs: DEADLINE_MS },
    onOutput && ((output, child) => onOutput(output, () => child.kill('SIGTERM'))),
  );
}

describe('npm run dev', { timeout: DEADLINE_MS + 10_000 }, () => {
  const ports = heldPorts();
  afterAll(() => ports.closeAll());

  it('exits 1, after Docusaurus says why, when its port is taken', async () => {
    const { port } = await ports.hold();

    const { code, output } = await siteServer(['start', '--port', String(port), '--no-open']);

    expect(output).toContain(`Something is already running on port ${port}`);
    expect(output).toContain('stopped without serving the site');
    expect(code).toBe(1);
  });

  it('exits 1 when its port is taken on [::1] only, where localhost may lead', async () => {
    const { port } = await ports.hold('::1');

    const { code, output } = await siteServer(['start', '--port', String(port), '--no-open']);

    expect(output).toContain(`Something is already running on port ${port}`);
    expect(code).toBe(1);
  });

  // Docusaurus reads the port with parseInt: 0x1F90 is port 0, "8080abc" is 8080.
  it.each(['--port 0x1F90', '--port 8080abc', '-p abc', '--port=70000'])(
    'refuses %s before starting Docusaurus, saying what was wrong',
    async (given) => {
      const { code, output } = await siteServer(['start', ...given.split(' '), '--no-open']);
      const value = given.split(/[ =]/)[1];
      expect(output).toContain(
        `--port must be a port number, 1 to 65535 in decimal, not "${value}"`,
      );
      expect(output).not.toContain('Starting the development server');
      expect(code).toBe(1);
    },
  );

  // commander takes a short option's value attached (-p8080abc), and Docusaurus's default port is
  // PORT, read with parseInt as well.
  it.each([
    [['-p8080abc'], {}, '--port', '8080abc'],
    [[], { PORT: '8080abc' }, 'PORT', '8080abc'],
    [[], { PORT: '0x1F90' }, 'PORT', '0x1F90'],
  ])('refuses %j with %j before starting Docusaurus', async (args, env, from, value) => {
    const { code, output } = await runToEnd(
      [join(ROOT, 'tools/site-server.mjs'), 'start', ...args, '--no-open'],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, deadlineMs: DEADLINE_MS },
    );
    expect(output).toContain(
      `${from} must be a port number, 1 to 65535 in decimal, not "${value}"`,
    );
    expect(output).not.toContain('Starting the development server');
    expect(code).toBe(1);
  });

  it('exits 0 when it is told to stop', async () => {
    let stopped = false;
    const { port } = await ports.reserve();
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
