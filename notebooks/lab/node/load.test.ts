import { afterEach, describe, expect, it } from 'vitest';
import { countByServer, latencyFigures, percentile, sendLoad } from './load';
import { startServer, type RunningServer } from './server';

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

describe('sendLoad', () => {
  it('sends exactly the number of requests asked for, never more than `concurrency` at once', async () => {
    let inFlight = 0;
    let most = 0;
    const server = await startServer({
      name: 'app-1',
      app: () => (_req, res) => {
        most = Math.max(most, ++inFlight);
        setTimeout(() => {
          inFlight -= 1;
          res.setHeader('x-served-by', 'app-1').end('ok');
        }, 5);
      },
    });
    running.push(server);
    const seen: number[] = [];
    const shots = await sendLoad(server.url, {
      requests: 40,
      concurrency: 4,
      onAnswer: (done) => seen.push(done),
    });
    expect(shots).toHaveLength(40);
    expect(most).toBe(4);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(countByServer(shots)).toEqual({ 'app-1': 40 });
    expect(Math.min(...shots.map((s) => s.ms))).toBeGreaterThanOrEqual(4);
  });

  it('sends nothing more once stopWhen holds', async () => {
    const server = await startServer({ name: 'app-1', app: () => (_req, res) => res.end('ok') });
    running.push(server);
    let answered = 0;
    const shots = await sendLoad(server.url, {
      requests: 1_000,
      concurrency: 1,
      onAnswer: (done) => (answered = done),
      stopWhen: () => answered >= 7,
    });
    expect(shots).toHaveLength(7);
  });

  it('records a refused connection as status 0, "no answer"', async () => {
    const server = await startServer({ name: 'app-1', app: () => (_req, res) => res.end() });
    void server.kill();
    const shots = await sendLoad(server.url, { requests: 3, concurrency: 1 });
    expect(countByServer(shots)).toEqual({ 'no answer': 3 });
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('latencyFigures', () => {
  it('gives the p50, p90 and p99 of the shots and their rate over the seconds given', () => {
    const shots = Array.from({ length: 100 }, (_, i) => ({ status: 200, at: i, ms: i + 1 }));
    expect(latencyFigures(shots, 2)).toEqual({ p50: 50, p90: 90, p99: 99, perSecond: 50 });
  });
});
