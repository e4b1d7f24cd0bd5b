import { afterEach, describe, expect, it } from 'vitest';
import { slow } from './faults';
import { startServer, type RunningServer } from './server';

const running: RunningServer[] = [];
afterEach(() => {
  for (const server of running.splice(0)) server.kill();
});

async function timed(url: string) {
  const t0 = performance.now();
  const res = await fetch(url);
  return { ms: performance.now() - t0, body: await res.text() };
}

describe('slow', () => {
  it('delays every answer by the given time, and still answers it', async () => {
    const server = await startServer({
      name: 'app-1',
      app: () => slow((_req, res) => res.end('ok'), 80),
    });
    running.push(server);
    const answer = await timed(`${server.url}/health`);
    expect(answer.body).toBe('ok');
    expect(answer.ms).toBeGreaterThanOrEqual(75);
  });

  it('never answers a request whose client left while it waited', async () => {
    let answered = 0;
    const server = await startServer({
      name: 'app-1',
      app: () =>
        slow((_req, res) => {
          answered += 1;
          res.end('ok');
        }, 100),
    });
    running.push(server);
    await expect(fetch(server.url, { signal: AbortSignal.timeout(20) })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(answered).toBe(0);
  });
});
