// Every server answers every hostile request, and none dies (issue 11). The corpus
// (hostile-requests.ts) goes byte for byte over raw sockets, so requests no HTTP client would
// send really reach the servers: the shop, the token shop, and the shop behind the balancer, all
// in a process of their own (hostile-target.ts), whose exit would be a crash. Bounded: one pass
// of the corpus per server, one request at a time, each given at most 10 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw, type RawAnswer } from '../notebooks/lab/node/raw-http';
import { HOSTILE_REQUESTS, type Expected, type HostileRequest } from './hostile-requests';

const ROOT = resolve(__dirname, '..');
/** Each shop's bound on idempotency keys in memory, small so the flood below goes past it. */
const MAX_KEYS = 50;
const TARGETS = ['shop', 'token', 'lb'] as const;
type Target = (typeof TARGETS)[number];

let target: ChildProcess;
let ports: Record<Target, number>;
let exit: string | undefined;
let stderr = '';
const statsWaiting: ((keys: { shop: number; lb: number }) => void)[] = [];

beforeAll(async () => {
  target = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/hostile-target.ts', String(MAX_KEYS)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  target.once('exit', (code, signal) => (exit = signal ?? `code ${code}`));
  target.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk).slice(-65_536)));
  ports = await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the target did not start\n${stderr}`)), 30_000);
    target.once('exit', () => fail(new Error(`the target exited (${exit})\n${stderr}`)));
    createInterface({ input: target.stdout! }).on('line', (line) => {
      let message: { ports?: Record<Target, number>; keys?: never };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return; // not a message of the target's (a stray line on its stdout)
      }
      if (message.ports) {
        clearTimeout(timer);
        ready(message.ports);
      } else if (message.keys) statsWaiting.shift()?.(message.keys);
    });
  });
}, 40_000);

afterAll(() => {
  target.stdin!.on('error', () => {}); // a target that already died: nothing to tell it
  target.stdin!.end(); // it exits when its stdin closes
  if (exit === undefined) target.kill('SIGKILL');
});

/** How many idempotency keys each shop keeps in memory now. */
function keysKept(): Promise<{ shop: number; lb: number }> {
  return new Promise((done) => {
    statsWaiting.push(done);
    target.stdin!.write('stats\n');
  });
}

/** A logged-in user's cookies on one server, and a forged cookie with its session name. */
async function logIn(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"user":"fuzz"}',
  });
  expect(res.status).toBe(200);
  const pairs = res.headers.getSetCookie().map((line) => line.split(';')[0]);
  const session = pairs.find((pair) => /^(sid|session)=/.test(pair)) ?? '';
  return { cookie: pairs.join('; '), forged: `${session.split('=')[0]}=forged` };
}

const fill = (send: string | Uint8Array, user: { cookie: string; forged: string }) =>
  typeof send === 'string'
    ? send.replaceAll('{{cookie}}', user.cookie).replaceAll('{{forged}}', user.forged)
    : send;

const within = (expected: Expected, status: number): boolean =>
  Array.isArray(expected)
    ? expected.some((one) => within(one, status))
    : typeof expected === 'number'
      ? status === expected
      : String(status)[0] === expected[0];

/** What is wrong with `answer` to `request` from `server`, or undefined when it is right. */
function wrongWith(server: Target, request: HostileRequest, answer: RawAnswer): string | undefined {
  if (answer.status === 0) {
    if (request.mayReset && /^(EPIPE|ECONNRESET)$/.test(answer.error ?? '')) return undefined;
    return `no answer (${answer.error})`;
  }
  const expected =
    (server === 'token' && request.token) || (server === 'lb' && request.lb) || request.expect;
  if (!within(expected, answer.status)) return `${answer.status}, expected ${expected}`;
  if (request.noBody) return undefined;
  if (!/^application\/json/.test(answer.headers['content-type'] ?? '')) {
    return `content-type ${answer.headers['content-type']}, not JSON`;
  }
  try {
    JSON.parse(answer.body);
  } catch {
    return `a body that is not JSON: ${answer.body.slice(0, 80)}`;
  }
  return undefined;
}

describe('hostile requests: every server answers, none dies', () => {
  it('has a corpus of at least 100 requests, each named once', () => {
    expect(HOSTILE_REQUESTS.length).toBeGreaterThanOrEqual(100);
    const names = HOSTILE_REQUESTS.map((r) => r.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it.each(TARGETS)(
    '%s answers every request with the status it expects, in JSON',
    async (server) => {
      const user = await logIn(ports[server]);
      const wrong: string[] = [];
      for (const request of HOSTILE_REQUESTS) {
        const answer = await sendRaw(ports[server], fill(request.send, user), {
          noBody: request.noBody,
          end: request.end,
          timeoutMs: 10_000,
        });
        const why = wrongWith(server, request, answer);
        if (why) wrong.push(`${request.name}: ${why}`);
      }
      expect(wrong).toEqual([]);
      expect(exit, stderr).toBeUndefined();
    },
    180_000,
  );

  it('ends with every server alive and answering /health, and nothing unexpected logged', async () => {
    expect(exit, stderr).toBeUndefined();
    for (const server of TARGETS) {
      const res = await fetch(`http://127.0.0.1:${ports[server]}/health`);
      expect(res.status, server).toBe(200);
    }
    expect(stderr).toBe('');
  });

  it('keeps its idempotency memory bounded: nothing for requests without a session, at most the bound with one', async () => {
    const before = await keysKept();
    const flood = async (port: number, cookie: string | undefined, count: number) => {
      for (let i = 0; i < count; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/cart`, {
          method: 'POST',
          headers: {
            'idempotency-key': `flood-${cookie ? 'in' : 'out'}-${i}`,
            'content-type': 'application/json',
            ...(cookie ? { cookie } : {}),
          },
          body: '{"productId":1}',
        });
        expect(res.status).toBe(cookie ? 200 : 401);
      }
    };
    await flood(ports.shop, undefined, 200);
    await flood(ports.lb, undefined, 200);
    expect(await keysKept()).toEqual(before);
    await flood(ports.shop, (await logIn(ports.shop)).cookie, 4 * MAX_KEYS);
    await flood(ports.lb, (await logIn(ports.lb)).cookie, 4 * MAX_KEYS);
    expect(await keysKept()).toEqual({ shop: MAX_KEYS, lb: MAX_KEYS });
  }, 120_000);
});
