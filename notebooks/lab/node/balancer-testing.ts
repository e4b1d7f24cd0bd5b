// What the balancer's tests share: backends that say who they are, an LB in front of them, one
// request on a fresh connection, and a bounded wait. Everything started is stopped after each test.
import { request } from 'node:http';
import { afterEach, expect } from 'vitest';
import { startBalancer, type BalancerOptions } from './balancer';
import { roundRobin } from '../core/policies';
import { startServer, type RunningServer } from './server';
import { readAnswer, type Handler } from './http-edge';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

/** Stops `thing` after the test, in reverse order of starting. */
export function stopAfterTest<T extends { stop(): Promise<void> }>(thing: T): T {
  running.push(thing);
  return thing;
}

/** A backend that answers every request, /health included, with its own name. */
export const answerName =
  (name: string): Handler =>
  (_req, res) =>
    res.setHeader('x-served-by', name).end(name);

export async function startBackends(count: number, app: (name: string) => Handler = answerName) {
  const servers: RunningServer[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `app-${i}`;
    servers.push(stopAfterTest(await startServer({ name, app: () => app(name) })));
  }
  return servers;
}

/**
 * Fast checks (every 20 ms), so tests that wait for a verdict wait little, and an LB that starts
 * with every backend in rotation. A check of a backend that is up answers in a millisecond on an
 * idle machine, but on a busy one it can take more than 200 ms: a first check that late leaves the
 * backend out at the start, three in a row take it out later, and a test that counts who answered
 * what sees a 503. A dead backend refuses at once, so the long timeout delays no verdict.
 */
export async function startLb(servers: RunningServer[], options: Partial<BalancerOptions> = {}) {
  const lb = stopAfterTest(
    await startBalancer({
      backends: servers.map((s) => ({ name: s.name, url: s.url })),
      policy: roundRobin(),
      healthCheck: { intervalMs: 20, timeoutMs: 2_000 },
      ...options,
    }),
  );
  await Promise.all(servers.map((s) => lb.waitFor(s.name, true)));
  return lb;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  setCookie: string[];
}

/** One request on a fresh connection, like a new visitor (unless it sends a cookie). */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url,
      { method: init.method, headers: init.headers, agent: false },
      (res) => {
        void readAnswer(res).then((answer) => {
          if (answer.kind === 'cut') return reject(answer.error);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: answer.text,
            setCookie: res.headers['set-cookie'] ?? [],
          });
        });
      },
    );
    req.once('error', reject);
    req.end(init.body);
  });
}

/** Polls a condition, for states no event announces. Bounded (10 s, far more than a busy machine
 *  needs for any of them), so a condition that never comes true fails the test, not its timeout. */
export async function until(condition: () => boolean) {
  const deadline = performance.now() + 10_000;
  while (!condition() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
