// The side-by-side experiment of notebook 06, run small: the lab's balancer, a real nginx and a
// real HAProxy (the committed sticky configs) in front of the same stateful process servers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareFronts, type FrontOptions } from './front-comparison';
import { haproxyTestGate } from './haproxy-server';
import { nginxTestGate } from './nginx-server';

const deploy = (file: string) =>
  readFileSync(new URL(`../../deploy/${file}`, import.meta.url), 'utf8');

const OPTIONS: FrontOptions = {
  nginxConfig: deploy('nginx/shop-sticky.conf'),
  haproxyConfig: deploy('haproxy/shop-sticky.cfg'),
  users: 12,
  seed: 6,
  roundsBefore: 3,
  minRoundsAfter: 4,
  maxRoundsAfter: 40,
  paceMs: 200,
};

// Their gate tests (nginx-server.test.ts, haproxy-server.test.ts) fail in CI when one is missing.
const run = nginxTestGate().run && haproxyTestGate().run;

describe.runIf(run)('compareFronts (real nginx and HAProxy, process servers)', () => {
  it('kills app-1 behind each front end: each takes it out, and exactly its users log in again', async () => {
    const runs = await compareFronts(['lab balancer', 'nginx', 'HAProxy'], OPTIONS);
    expect(runs.map((r) => r.front)).toEqual(['lab balancer', 'nginx', 'HAProxy']);
    const [first] = runs;
    expect(first.pinned).toBeGreaterThan(0);
    for (const r of runs) {
      expect(r.detectMs, `${r.front} took the dead server out`).toBeDefined();
      expect(r.roundsAfter).toBeGreaterThanOrEqual(OPTIONS.minRoundsAfter);
      expect(r.pinned, 'the same seeded users, the same sessions on app-1').toBe(first.pinned);
      expect(r.forcedToLogIn, `${r.front}: the users on app-1, and no one else`).toBe(r.pinned);
    }
  }, 120_000);

  it('without active checks, HAProxy never takes the dead server out (so the test above can fail)', async () => {
    const unchecked = OPTIONS.haproxyConfig.replace(/ check inter 1s fall 3 rise 2/g, '');
    const [haproxy] = await compareFronts(['HAProxy'], {
      ...OPTIONS,
      haproxyConfig: unchecked,
      maxRoundsAfter: 10,
    });
    expect(haproxy.detectMs).toBeUndefined();
    expect(haproxy.roundsAfter).toBe(10);
  }, 120_000);
});
