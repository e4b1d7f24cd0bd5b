// Starting a real part and waiting for it (real-part.ts), with Node itself as the part: a program
// that exits, one that runs on, and one that does not exist. Each ends within its bound.
import { describe, expect, it } from 'vitest';
import { spawnPart, waitUntilReady } from './real-part';

const node = (script: string) => spawnPart(process.execPath, ['-e', script], 'SIGKILL');

describe('spawnPart and waitUntilReady', () => {
  it('says ready once the check passes, and keeps what the part wrote', async () => {
    const part = node("console.log('up'); setTimeout(() => {}, 10_000)");
    try {
      expect(await waitUntilReady(part, () => part.output().includes('up'), 10_000)).toBe('ready');
    } finally {
      part.child.kill('SIGKILL');
      await part.exited;
    }
    expect(part.hasExited()).toBe(true);
  });

  it('says exited when the part exits before it is ready, with its output kept', async () => {
    const part = node("console.error('bad config'); process.exit(3)");
    expect(await waitUntilReady(part, () => false, 10_000)).toBe('exited');
    await part.exited;
    expect(part.child.exitCode).toBe(3);
    expect(part.output()).toContain('bad config');
  });

  it('says timed out when the part runs on but never gets ready', async () => {
    const part = node('setTimeout(() => {}, 10_000)');
    try {
      expect(await waitUntilReady(part, () => false, 100)).toBe('timed out');
    } finally {
      part.child.kill('SIGKILL');
      await part.exited;
    }
  });

  it('says exited, and its exit resolves, when the program cannot be started at all', async () => {
    const part = spawnPart('/nonexistent/statelab-part', [], 'SIGKILL');
    expect(await waitUntilReady(part, () => false, 10_000)).toBe('exited');
    await part.exited; // resolves although no 'exit' event ever comes
    expect(part.output()).toMatch(/ENOENT/);
  });
});
