// Checks for exercise 05: a signed session cookie checked by the reader's verifySession on two
// server processes that share only the key and a deny-list (a SQLite file). Tokens are made here
// with the lab's sign(), in the format the starter's signSession shows, and sent as cookies.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { sign } from '../../notebooks/lab/signed-token';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('05-where-state-lives');
const fn = 'verifySession';
const dir = mkdtempSync(join(tmpdir(), 'statelab-05-'));
const KEY = randomBytes(24).toString('base64url'); // a fresh key per run: only real HMACs pass
const servers: ExerciseServer[] = [];
const NAMES = ['app-1', 'app-2'];

beforeAll(async () => {
  const entry = join(__dirname, '05-where-state-lives.server.ts');
  const denyList = join(dir, 'deny-list.sqlite');
  for (const name of NAMES) {
    servers.push(await startExerciseServer(entry, [file, KEY, denyList, name], file, fn));
  }
});

afterAll(() => {
  for (const server of servers) server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One request with the token as the `session` cookie; a stuck server is stopped, not waited on. */
const send = (server: ExerciseServer, method: string, path: string, token: string) =>
  ask(server, path, file, fn, { method, headers: { cookie: `session=${token}` } });

const session = (user: string, ttlMs = 60_000, now = Date.now()) => sign({ user }, KEY, ttlMs, now);

/** Every server must answer 401 for this token. */
async function rejectedEverywhere(token: string, what: string, why?: string) {
  for (const [i, server] of servers.entries()) {
    const answer = await send(server, 'GET', '/me', token);
    if (answer.status === 500 && why && !/TODO/.test(answer.logged)) {
      const error = answer.logged.trim().split('\n')[0];
      throw new Lesson({
        expected: `401 on ${NAMES[i]} for ${what}`,
        got: `500: ${fn} threw ${error}`,
        why,
        where: pointer(file, fn, answer.logged),
      });
    }
    if (answer.status !== 401) {
      throw unexpected(answer, `401 on ${NAMES[i]} for ${what}`, file, fn);
    }
  }
}

describe('exercise 05: a signed session cookie', () => {
  it('accepts a valid session on every server (they share only the key)', async () => {
    const token = session('ada');
    for (const [i, server] of servers.entries()) {
      const answer = await send(server, 'GET', '/me', token);
      if (answer.status !== 200 || (answer.body as { user?: string }).user !== 'ada') {
        throw unexpected(
          answer,
          `200 {"user":"ada"} on ${NAMES[i]}: the token is genuine`,
          file,
          fn,
        );
      }
    }
  });

  it('rejects a tampered payload (a user who edits the cookie to become someone else)', async () => {
    const [, signature] = session('ada').split('.');
    const forged = Buffer.from(
      JSON.stringify({ jti: 'x', user: 'admin', exp: Date.now() + 60_000 }),
    ).toString('base64url');
    await rejectedEverywhere(`${forged}.${signature}`, 'a payload changed to user "admin"');
  });

  it('rejects a token signed with another key', async () => {
    await rejectedEverywhere(
      sign({ user: 'ada' }, 'not the servers key', 60_000),
      'a token signed with a different key',
    );
  });

  it('rejects an expired token', async () => {
    const token = session('ada', 60_000, Date.now() - 120_000); // expired a minute ago
    await rejectedEverywhere(token, 'a correctly signed token that expired a minute ago');
  });

  it('rejects a truncated signature, and a token with no signature, without crashing', async () => {
    const token = session('ada');
    const why =
      'crypto.timingSafeEqual throws when its two buffers differ in length. Compare the lengths first (that leaks only the length, which every HMAC-SHA256 shares: 32 bytes), and answer a wrong length as bad-signature';
    await rejectedEverywhere(token.slice(0, -6), 'a signature cut short by 6 characters', why);
    await rejectedEverywhere(token.split('.')[0], 'a token with no "." and no signature', why);
  });

  it('rejects a logged-out session on every server (the shared deny-list)', async () => {
    const token = session('bob');
    const first = await send(servers[0], 'GET', '/me', token);
    if (first.status !== 200) {
      throw unexpected(first, '200 {"user":"bob"}: a fresh, genuine session', file, fn);
    }
    const out = await send(servers[0], 'POST', '/logout', token);
    if (out.status !== 200) throw unexpected(out, '200: app-1 logs bob out', file, fn);
    await rejectedEverywhere(
      token,
      'a session that logged out on app-1 (its jti is on the deny-list every server shares)',
    );
  });
});
