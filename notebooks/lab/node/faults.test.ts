import { afterEach, describe, expect, it } from 'vitest';
import { lateChecks, slow } from './faults';
import { startServer, type RunningServer } from './server';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill()));
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
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    let left!: () => void;
    const clientLeft = new Promise<void>((resolve) => (left = resolve));
    const answer = slow((_req, res) => {
      answered += 1;
      res.end('ok');
    }, 1_000);
    const server = await startServer({
      name: 'app-1',
      app: () => (req, res) => {
        res.once('close', left);
        arrived();
        answer(req, res);
      },
    });
    running.push(server);
    // The client gives up once the server has its request, long before the 1 s wait ends. (A
    // timer on the client's side could fire before the request even reached a busy server.)
    const client = new AbortController();
    const sent = fetch(server.url, { signal: client.signal });
    await requestArrived;
    client.abort();
    await expect(sent).rejects.toThrow();
    await clientLeft;
    // Past the time the answer was due: slow() dropped it when the client left.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(answered).toBe(0);
  });
});

describe('lateChecks', () => {
  it('answers /health late only while busy, and every other request at once', async () => {
    let busy = true;
    const server = await startServer({
      name: 'app-1',
      app: () =>
        lateChecks(
          (_req, res) => res.end('ok'),
          5_000,
          () => busy,
        ),
    });
    running.push(server);
    const order: string[] = [];
    const check = fetch(`${server.url}/health`).then(() => order.push('health'));
    await fetch(`${server.url}/products`).then(() => order.push('products'));
    expect(order).toEqual(['products']); // the check, sent first, is still waiting
    busy = false;
    const prompt = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2_000) });
    expect(await prompt.text()).toBe('ok'); // not busy: no 5-second wait
    void check.catch(() => undefined); // cut when the server is killed after the test
  });
});
