// What a process leaves when it is ended from outside, as Jupyter ends a kernel whose notebook failed
// before its clean-up cell (exit-cleanup.ts): a Node process that made a temp folder and started a
// real part (`sleep`, through spawnPart) gets SIGTERM, and neither may be left behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const scripts = mkdtempSync(join(tmpdir(), 'statelab-exit-cleanup-test-'));
afterAll(() => rmSync(scripts, { recursive: true, force: true }));

/**
 * Runs `body` in a Node process of its own (through tsx, as a notebook's kernel would load the
 * lab), after it made a temp folder and started `sleep 600`; resolves once it printed both.
 */
async function aProcessThatMadeThings(body = '') {
  const file = join(scripts, `child-${Math.random().toString(36).slice(2)}.ts`);
  const lab = (name: string) => JSON.stringify(join(__dirname, name));
  writeFileSync(
    file,
    [
      `import { tempFolder } from ${lab('exit-cleanup')};`,
      `import { spawnPart } from ${lab('real-part')};`,
      `const dir = tempFolder('statelab-exit-test-');`,
      `const part = spawnPart('sleep', ['600'], 'SIGKILL');`,
      body,
      `console.log(JSON.stringify({ dir, pid: part.child.pid }));`,
      `setInterval(() => {}, 1000); // runs on, as a kernel whose servers still listen`,
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk));
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const made = await vi.waitFor(
    () => JSON.parse(/\{"dir".*\}/.exec(out)?.[0] ?? 'not yet') as { dir: string; pid: number },
    { timeout: 30_000, interval: 50 },
  );
  return { child, ended, made, output: () => out };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('what a process made is removed when it is ended from outside', () => {
  it(
    'removes its temp folders and stops its real parts when it gets SIGTERM',
    {
      timeout: 60_000,
    },
    async () => {
      const { child, ended, made } = await aProcessThatMadeThings();
      expect(existsSync(made.dir)).toBe(true);
      expect(isRunning(made.pid)).toBe(true);

      child.kill('SIGTERM');

      expect(await ended).toEqual({ code: 128 + 15, signal: null });
      expect(existsSync(made.dir), `${made.dir} was left behind`).toBe(false);
      await vi.waitFor(() => expect(isRunning(made.pid), 'sleep was left running').toBe(false), {
        timeout: 10_000,
      });
    },
  );

  it(
    'leaves SIGTERM to a process that handles it itself, and still cleans up when it exits',
    {
      timeout: 60_000,
    },
    async () => {
      const { child, ended, made, output } = await aProcessThatMadeThings(
        `process.on('SIGTERM', () => { console.log('finishing first'); setTimeout(() => process.exit(0), 200); });`,
      );

      child.kill('SIGTERM');

      expect(await ended).toEqual({ code: 0, signal: null });
      expect(output()).toContain('finishing first');
      expect(existsSync(made.dir)).toBe(false);
      await vi.waitFor(() => expect(isRunning(made.pid)).toBe(false), { timeout: 10_000 });
    },
  );
});

// A SIGKILLed process runs no exit handler, so only the OS can end what it started: Linux's parent
// death signal, which spawnPart asks for through util-linux's setpriv (real-part.ts).
const canAskParentDeath = existsSync('/usr/bin/setpriv') && process.platform === 'linux';
if (!canAskParentDeath && !process.env.CI) {
  console.warn('exit-cleanup: skipped the SIGKILL test: it needs Linux and /usr/bin/setpriv');
}

describe.skipIf(!canAskParentDeath && !process.env.CI)('a process ended by SIGKILL', () => {
  it('takes its real parts with it', { timeout: 60_000 }, async () => {
    const { child, ended, output } = await aProcessThatMadeThings(
      [
        `const node = spawnPart(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], 'SIGKILL');`,
        `console.log(JSON.stringify({ node: node.child.pid }));`,
      ].join('\n'),
    );
    const { node } = JSON.parse(/\{"node".*\}/.exec(output())![0]) as { node: number };
    try {
      expect(isRunning(node)).toBe(true);
      child.kill('SIGKILL'); // as Jupyter ends a kernel that does not stop when asked
      expect(await ended).toEqual({ code: null, signal: 'SIGKILL' });
      await vi.waitFor(() => expect(isRunning(node), 'the part was left running').toBe(false), {
        timeout: 10_000,
      });
    } finally {
      if (isRunning(node)) process.kill(node, 'SIGKILL');
    }
  });
});
