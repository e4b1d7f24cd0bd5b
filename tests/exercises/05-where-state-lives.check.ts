// Checks for exercise 05: a signed session cookie checked by the reader's verifySession on two
// server processes that share only the key and a deny-list (a SQLite file). Tokens are made here
// with the lab's sign(), in the format the starter's signSession shows, and sent as cookies; a
// rejected one comes back as 401 with the reader's verdict, so the checks read its reason too.
//
// What the exercise teaches, one check each (the manifest lists them as its behaviours):
// a genuine session passes on every server; a forged one never does, whatever part was forged
// (payload changed or only written again in other bytes, key, signature emptied, cut,
// lengthened, changed, or spelled with characters that are not base64url so that it decodes to
// fewer bytes; a signature is never taken as checked because it was seen before); anything that is
// not two non-empty parts around one "." is malformed, and nothing makes the server answer 500;
// the signature is checked before any claim is believed; expiry is judged at `now`, from exp on,
// with no grace period, and a session with no numeric exp is refused; the signature is compared
// in constant time (by timingSafeEqual, or WebCrypto's HMAC verify, which the check watches too);
// a logged-out session is refused on every server. A signature that is not 43 base64url characters
// of a 32-byte HMAC may be called malformed or bad-signature: the lab's own verify() says
// malformed.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { sign } from '../../notebooks/lab/node/signed-token';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type Answer,
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
const send = (
  server: ExerciseServer,
  method: string,
  path: string,
  token: string,
  now?: number,
  testHeaders: Record<string, string> = {},
) =>
  ask(server, path, file, fn, {
    method,
    headers: {
      cookie: `session=${token}`,
      ...(now === undefined ? {} : { 'x-statelab-now': String(now) }),
      ...testHeaders,
    },
  });

const session = (user: string, ttlMs = 60_000, now = Date.now()) => sign({ user }, KEY, ttlMs, now);
const base64url = (text: string) => Buffer.from(text).toString('base64url');
const mac = (body: string, key = KEY) => createHmac('sha256', key).update(body).digest();
/** A token for any payload, signed with `key`: how the check makes the tokens sign() cannot. */
const signed = (payload: object, key = KEY) => {
  const body = base64url(JSON.stringify(payload));
  return `${body}.${mac(body, key).toString('base64url')}`;
};
const adminClaims = () => ({ jti: 'x', user: 'admin', exp: Date.now() + 60_000 });

type Reason = 'malformed' | 'bad-signature' | 'expired' | 'revoked';
const reasonOf = (answer: Answer) => (answer.body as { reason?: unknown } | undefined)?.reason;

/** How a token must be refused: with one of `reasons` (a rejection says why: the starter's
 *  Verdict). `why` explains the failure a wrong design shows. `whyThrown` explains a verifier that
 *  threw (500): `why` unless given; null for the usual message, where `why` is only about a token
 *  let in. */
interface Refusal {
  reasons: Reason[];
  why?: string;
  whyThrown?: string | null;
}

/** Every server must answer 401 for this token (`what` says what it is), as `refusal` says. */
async function rejectedEverywhere(token: string, what: string, refusal: Refusal) {
  const { reasons, why, whyThrown = why ?? null } = refusal;
  const said = reasons.map((r) => `"${r}"`).join(' or ');
  for (const [i, server] of servers.entries()) {
    const answer = await send(server, 'GET', '/me', token);
    if (answer.status === 500 && !/Error: TODO/.test(answer.logged)) {
      const error = answer.logged.trim().split('\n')[0];
      throw new Lesson({
        expected: `401 (${said}) on ${NAMES[i]} for ${what}`,
        got: `500: ${fn} threw ${error || 'an error'}`,
        why:
          whyThrown ??
          `${fn} must answer every token, however broken, with a verdict: { ok: false, reason } for one it cannot trust, never an exception`,
        where: pointer(file, fn, answer.logged),
      });
    }
    if (answer.status === 200 && why) {
      throw new Lesson({
        expected: `401 (${said}) on ${NAMES[i]} for ${what}`,
        got: `200 ${JSON.stringify(answer.body)}: the token was accepted`,
        why,
        where: pointer(file, fn),
      });
    }
    if (answer.status !== 401) {
      throw unexpected(answer, `401 (${said}) on ${NAMES[i]} for ${what}`, file, fn);
    }
    const reason = reasonOf(answer);
    if (!reasons.includes(reason as Reason)) {
      throw new Lesson({
        expected: `401 with reason ${said} on ${NAMES[i]} for ${what}`,
        got: `401 ${JSON.stringify(answer.body)}`,
        why: why ?? `the verdict says why a token was refused: here, ${said}`,
        where: pointer(file, fn),
      });
    }
  }
}

async function acceptedEverywhere(token: string, user: string, what: string, now?: number) {
  for (const [i, server] of servers.entries()) {
    const answer = await send(server, 'GET', '/me', token, now);
    if (answer.status !== 200 || (answer.body as { user?: string }).user !== user) {
      throw unexpected(answer, `200 {"user":"${user}"} on ${NAMES[i]}: ${what}`, file, fn);
    }
  }
}

const FORGED =
  'only a signature that is exactly the HMAC of the payload with the key is genuine: compute hmac(payload part, key), decode the signature (base64url), and refuse the token unless both are the same length and timingSafeEqual says they are equal';
const SIGNATURE_FIRST =
  'nothing in the payload can be believed before the signature checks out: anyone can write a payload that says anything. Check the shape, then the signature, and only then read exp and jti';

describe('exercise 05: a signed session cookie', () => {
  it('accepts a genuine session on every server (they share only the key)', async () => {
    await acceptedEverywhere(session('ada'), 'ada', 'the token is genuine');
  });

  it('rejects a payload changed after signing: bad-signature', async () => {
    const token = session('ada');
    const [body, signature] = token.split('.');
    const forged = base64url(JSON.stringify(adminClaims()));
    await rejectedEverywhere(`${forged}.${signature}`, 'a payload changed to user "admin"', {
      reasons: ['bad-signature'],
      why: FORGED,
    });
    // The same claims in other bytes: what was signed is the payload part as it came, not what
    // it means once parsed, so a verifier that parses and signs again lets these through.
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      jti: string;
      user: string;
      exp: number;
    };
    const rewritten: [string, string][] = [
      [JSON.stringify(claims, null, 2), 'pretty-printed (spaces and line breaks added)'],
      [
        JSON.stringify({ exp: claims.exp, user: claims.user, jti: claims.jti }),
        'with its keys in another order',
      ],
      [
        JSON.stringify({ user: claims.user, jti: claims.jti, exp: claims.exp }),
        'with its keys in the order of the Session type',
      ],
    ];
    for (const [json, how] of rewritten) {
      await rejectedEverywhere(
        `${base64url(json)}.${signature}`,
        `a genuine token's claims, unchanged but written again ${how}, with the genuine token's signature`,
        {
          reasons: ['bad-signature'],
          why: `the signature is the HMAC of the payload part's bytes exactly as they came in the token, not of what they mean: the same claims written another way are another payload, and no server signed it. Compute hmac(payload part, key) on the part as it arrived, before parsing it; never parse first and sign the parsed session again (JSON.stringify does not give back the bytes that were signed)`,
        },
      );
    }
    // The same forgeries once every server has accepted the genuine token with that signature: a
    // verifier that remembers signatures it has checked lets the signature carry any payload.
    await acceptedEverywhere(token, 'ada', 'the genuine token');
    const carried: [string, string][] = [
      [`${forged}.${signature}`, 'a payload changed to user "admin"'],
      ...rewritten.map(([json, how]): [string, string] => [
        `${base64url(json)}.${signature}`,
        `the genuine token's claims written again ${how}`,
      ]),
    ];
    for (const [forgery, what] of carried) {
      await rejectedEverywhere(
        forgery,
        `${what}, with the signature of a token every server has just accepted`,
        {
          reasons: ['bad-signature'],
          why: 'this forgery was refused before, and is let through now that a genuine token with the same signature has been accepted: a signature was taken as checked because it had been seen. A signature is genuine only for the payload it was computed on: each token is checked again, hmac(its own payload part, key) against its own signature, and nothing about an earlier token vouches for it',
        },
      );
    }
  });

  it('rejects a token signed with another key: bad-signature', async () => {
    await rejectedEverywhere(
      sign({ user: 'ada' }, 'not the servers key', 60_000),
      'a token signed with another key',
      { reasons: ['bad-signature'], why: FORGED },
    );
  });

  it('rejects a signature that is empty, cut short, too long or one byte off, without crashing', async () => {
    const token = session('ada');
    const [body, signature] = token.split('.');
    const admin = base64url(JSON.stringify(adminClaims()));
    const flipped = Buffer.from(signature, 'base64url');
    flipped[flipped.length - 1] ^= 1;
    const lengths =
      'crypto.timingSafeEqual throws when its two buffers differ in length. Compare the lengths first (that leaks only the length, which every HMAC-SHA256 shares: 32 bytes), and refuse a wrong length: bad-signature (or malformed, since such a signature is not 43 base64url characters of a 32-byte HMAC)';
    // Either verdict is right for a signature that is not the base64url spelling of 32 bytes: the
    // lab's own verify() calls one that does not re-encode to itself malformed.
    const notAnHmac: Reason[] = ['malformed', 'bad-signature'];
    const cases: [string, string, Reason[], string][] = [
      [
        `${admin}.`,
        'an admin payload with an empty signature after the "."',
        ['malformed', 'bad-signature'],
        FORGED,
      ],
      [token.slice(0, -6), 'a signature cut short by 6 characters', notAnHmac, lengths],
      [`${token}AAAA`, 'a signature with 4 characters too many', notAnHmac, lengths],
      [
        `${body}.${signature.slice(0, 42)}*`,
        'a 43-character signature whose last character, "*", is not base64url (it decodes to 31 bytes)',
        notAnHmac,
        "the length that counts is the decoded signature's, in bytes, not its text's: Node's base64url decoder skips characters that are not base64url, so 43 characters (the length of 32 bytes in base64url) can decode to 31 bytes, and timingSafeEqual throws on them. Decode first (Buffer.from(signature, \"base64url\")) and compare that Buffer's length with the HMAC's before timingSafeEqual, or refuse as malformed a signature that does not re-encode to exactly itself",
      ],
      [
        `${body}.${flipped.toString('base64url')}`,
        'a signature with its last byte changed',
        ['bad-signature'],
        FORGED,
      ],
    ];
    for (const [forged, what, reasons, why] of cases) {
      await rejectedEverywhere(forged, what, { reasons, why });
    }
    // The same forgeries once every server has accepted this payload with its genuine signature.
    await acceptedEverywhere(token, 'ada', 'the genuine token');
    const seen: [string, string][] = [
      [`${body}.`, 'an empty signature'],
      [token.slice(0, -6), 'a signature cut short by 6 characters'],
      [`${body}.${flipped.toString('base64url')}`, 'a signature with its last byte changed'],
    ];
    for (const [forged, what] of seen) {
      await rejectedEverywhere(
        forged,
        `${what}, on a payload every server has just accepted with its genuine signature`,
        {
          reasons: ['malformed', 'bad-signature'],
          why: 'forged signatures like this one were refused before any server had accepted this payload, and one is let through now that its genuine token has been: the signature was not checked again. That a payload came once with a genuine signature says nothing of the next token that carries it: each token brings its own signature, and only the HMAC of its payload decides',
        },
      );
    }
  });

  it('answers anything that is not two parts around one "." as malformed, never with a 500', async () => {
    const token = session('ada');
    const [body, signature] = token.split('.');
    const shape =
      'first the shape: exactly two non-empty parts around one "." (token.split(".") gives exactly 2). Anything else is { ok: false, reason: "malformed" }';
    const emptyPart =
      'an empty part is a broken shape, not something to skip: a token is exactly two non-empty parts around one ".". Dropping the empty parts before counting (token.split(".").filter(Boolean), a regex that eats repeated dots) makes "p..s", ".p.s" and "p.s." look like two parts. Count what token.split(".") gives, empty strings included: exactly 2, neither empty, else { ok: false, reason: "malformed" }';
    const cases: [string, string, string][] = [
      ['', 'an empty cookie', shape],
      [body, 'a payload with no "." and no signature', shape],
      [`.${signature}`, 'a signature with no payload', shape],
      ['.', 'a lone "."', shape],
      [`${token}.${signature}`, 'a genuine token with a third part after another "."', shape],
      ['not-a-token-at-all', 'a cookie that is not a token', shape],
      [
        `${body}..${signature}`,
        'a genuine token with its "." doubled (an empty part between)',
        emptyPart,
      ],
      [`.${token}`, 'a genuine token with a "." before it (an empty first part)', emptyPart],
      [`${token}.`, 'a genuine token with a "." after it (an empty third part)', emptyPart],
      [`.${token}.`, 'a genuine token with a "." before and after it', emptyPart],
    ];
    for (const [broken, what, why] of cases) {
      await rejectedEverywhere(broken, what, { reasons: ['malformed'], why });
    }
  });

  it('checks the signature before it believes any claim: a forged token is refused as forged, whatever its payload says', async () => {
    const badSignature = randomBytes(32).toString('base64url');
    const revokedJti = 'revoked-' + randomBytes(6).toString('hex');
    // Put a jti on the deny-list the way the servers do: log a genuine session with it out.
    const genuine = signed({ jti: revokedJti, user: 'eve', exp: Date.now() + 60_000 });
    const out = await send(servers[0], 'POST', '/logout', genuine);
    if (out.status !== 200)
      throw unexpected(out, '200: app-1 logs a genuine session out', file, fn);
    const cases: [string, string][] = [
      [
        `${base64url(JSON.stringify({ jti: 'y', user: 'admin', exp: Date.now() - 60_000 }))}.${badSignature}`,
        'a forged payload that says it expired a minute ago',
      ],
      [
        `${base64url(JSON.stringify({ jti: revokedJti, user: 'admin', exp: Date.now() + 60_000 }))}.${badSignature}`,
        'a forged payload whose jti is on the deny-list',
      ],
      [
        `${base64url('{"user": "admin", not json')}.${badSignature}`,
        'a forged payload that is not JSON',
      ],
      [`${base64url('null')}.${badSignature}`, 'a forged payload that is JSON null'],
      [`***!!!.${badSignature}`, 'a payload part that is not base64url at all'],
    ];
    for (const [forged, what] of cases) {
      await rejectedEverywhere(forged, what, {
        reasons: ['malformed', 'bad-signature'],
        why: SIGNATURE_FIRST,
      });
    }
  });

  it('judges expiry at `now`: a session is expired from its exp on', async () => {
    const issued = Date.now();
    const token = session('ada', 60_000, issued);
    const exp = issued + 60_000;
    await acceptedEverywhere(token, 'ada', `now = exp - 1 ms: the session is still valid`, exp - 1);
    const HOUR = 3_600_000;
    const expiredAt = (answer: Answer) => answer.status === 401 && reasonOf(answer) === 'expired';
    for (const [i, server] of servers.entries()) {
      const at = (now: number) => send(server, 'GET', '/me', token, now);
      for (const [now, what] of [
        [exp, 'now = exp: the session ends at exp (exp <= now is expired)'],
        [exp + HOUR, 'now = an hour after exp'],
      ] as const) {
        const answer = await at(now);
        if (expiredAt(answer)) continue;
        let why = `${fn} is given the time as \`now\` (its last argument): compare exp with it (session.exp <= now is expired), not with Date.now(), and mind the units: exp is in milliseconds, like Date.now()`;
        // Accepted at exp yet expired an hour later: the end was moved past exp, and `now` is
        // read. How far, the check finds by asking at a few moments after exp.
        if (answer.status === 200 && now === exp && expiredAt(await at(exp + HOUR))) {
          let lastAccepted = 0;
          for (const after of [1, 1_000, 10_000, 60_000, 600_000]) {
            if ((await at(exp + after)).status !== 200) break;
            lastAccepted = after;
          }
          why =
            lastAccepted === 0
              ? `the session is still accepted at the very moment it ends and refused 1 ms later: expiry is judged with exp < now. exp is the first moment the session is no longer valid: session.exp <= now is expired`
              : `the session is still accepted at now = exp + ${lastAccepted} ms, and refused an hour after exp: a grace period (a leeway) is added after exp. exp is the moment the session ends, as the server that signed it chose; ${fn} must not extend it. Compare exp with \`now\` as it is: session.exp <= now is expired`;
        }
        throw new Lesson({
          expected: `401 with reason "expired" on ${NAMES[i]}, ${what}`,
          got: `${answer.status} ${JSON.stringify(answer.body)}`,
          why,
          where: pointer(file, fn),
        });
      }
    }
    await rejectedEverywhere(
      session('ada', 60_000, Date.now() - 120_000),
      'a correctly signed token that expired a minute ago',
      { reasons: ['expired'] },
    );
    // Tokens the shop never issues, but a bug in a signer or a key that once leaked could make:
    // correctly signed, with no exp, or an exp that is not a number. The verdict may call them
    // expired or malformed; never accepted.
    const noNumericExp = `a token without a numeric exp must not be accepted, however well signed: session.exp <= now is false when exp is missing (undefined) or not a number (a date string compares as NaN), so such a token never expires, and a session signed by mistake, or with a key that leaked once, stays good forever. The payload is JSON from the token, and the Session type describes it without checking it: refuse the token unless typeof session.exp === "number" (then session.exp <= now is expired)`;
    const noExp: [object, string][] = [
      [
        { jti: randomBytes(9).toString('base64url'), user: 'ada' },
        'a correctly signed token with no exp at all',
      ],
      [
        {
          jti: randomBytes(9).toString('base64url'),
          user: 'ada',
          exp: new Date(issued - 60_000).toISOString(),
        },
        'a correctly signed token whose exp is a date written as a string (a minute ago, as JSON.stringify writes a Date), not a number',
      ],
    ];
    for (const [claims, what] of noExp) {
      // A verifier that throws on such a token lets nobody in: the usual message for a 500.
      await rejectedEverywhere(signed(claims), what, {
        reasons: ['expired', 'malformed'],
        why: noNumericExp,
        whyThrown: null,
      });
    }
    // Correctly signed too, but not a session at all: not JSON, or JSON that is no object.
    const notASession = `the signature says who made a token, not that its payload is a session: a payload that is not JSON makes JSON.parse throw, and JSON null makes session.exp throw. ${fn} must answer every token with a verdict, never an exception: parse in a try, and refuse as malformed a payload that is not an object (typeof session !== "object" || session === null)`;
    const signedText = (text: string) => {
      const body = base64url(text);
      return `${body}.${mac(body).toString('base64url')}`;
    };
    for (const [text, what] of [
      ['not json', 'a correctly signed token whose payload is not JSON ("not json")'],
      ['null', 'a correctly signed token whose payload is JSON null'],
    ]) {
      await rejectedEverywhere(signedText(text), what, {
        reasons: ['malformed', 'expired'],
        why: notASession,
      });
    }
  });

  it('compares the signature in constant time, with crypto.timingSafeEqual', async () => {
    const token = session('ada');
    const [body] = token.split('.');
    const expected = mac(body);
    // Two guesses of the right length: one wrong in every byte (a comparison that stops at a
    // wrong byte stops at the first), one wrong only in its last byte (a comparison of part of
    // the signature finds nothing wrong).
    const guess = Buffer.from(expected.map((byte) => byte ^ (1 + Math.floor(Math.random() * 255))));
    const lastByteOff = Buffer.from(expected);
    lastByteOff[lastByteOff.length - 1] ^= 1;
    const CONSTANT =
      '=== on strings, Buffer.equals and Buffer.compare stop at the first byte that differs, so how long a refusal takes tells a forger how many leading bytes of a guess were right, and a guess can be built byte by byte. timingSafeEqual always looks at every byte.';
    const LIES =
      'A check cannot time this reliably: it makes timingSafeEqual answer the opposite of the truth, once, and watches whether the verdict follows it.';
    // What the server saw compare the signature: timingSafeEqual's two buffers, or the signature
    // and the HMAC a crypto.subtle.verify('HMAC', …) call was given (constant time as well: the
    // check watches it, and makes it lie, the same way).
    type Call = [string, string, 'timingSafeEqual' | 'crypto.subtle.verify'];
    const comparesOf = async (server: ExerciseServer) =>
      ((await send(server, 'GET', '/test/compares', '')).body as { calls: Call[] }).calls;
    /** Asks with timingSafeEqual made to lie once; also what its first call was given. */
    const liedTo = async (server: ExerciseServer, signature: string) => {
      await send(server, 'GET', '/test/compares', '');
      const answer = await send(server, 'GET', '/me', `${body}.${signature}`, undefined, {
        'x-statelab-tse-lies': '1',
      });
      return { answer, first: (await comparesOf(server))[0] as Call | undefined };
    };
    for (const [i, server] of servers.entries()) {
      await send(server, 'GET', '/test/compares', '');
      const answer = await send(server, 'GET', '/me', `${body}.${guess.toString('base64url')}`);
      if (answer.status !== 401) {
        throw unexpected(answer, `401 on ${NAMES[i]} for a wrong signature`, file, fn);
      }
      const calls = await comparesOf(server);
      if (calls.length === 0) {
        throw new Lesson({
          expected: `on ${NAMES[i]}, the guessed signature compared with the real HMAC by crypto.timingSafeEqual`,
          got: `${fn} refused the guess without calling timingSafeEqual (nor crypto.subtle.verify)`,
          why: `${CONSTANT} (A check cannot time this reliably: it watches which function compares the signature. Compare the two Buffers, decoded signature and hmac(body, key), with timingSafeEqual, as the starter asks. WebCrypto's crypto.subtle.verify("HMAC", …) compares in constant time too, and the check recognises it as well; a comparison of your own, or one by ===, Buffer.equals or Buffer.compare, it cannot tell from a leaky one.)`,
          where: pointer(file, fn),
        });
      }
      // The genuine HMAC written in hex is another spelling, not the signature: no second
      // comparison may accept it.
      const hex = await send(server, 'GET', '/me', `${body}.${expected.toString('hex')}`);
      if (hex.status === 200) {
        throw new Lesson({
          expected: `401 on ${NAMES[i]} for the genuine HMAC written in hex (64 characters) instead of base64url`,
          got: `200 ${JSON.stringify(hex.body)}: the token was accepted`,
          why: `a signature is the HMAC in base64url, one spelling only, checked by one constant-time comparison. A second way in (an old hex spelling, compared with === on the text) is a second comparison that stops at the first character that differs: a forger times it and builds the hex signature character by character. Decode the signature from base64url and compare it with timingSafeEqual; nothing else accepts a token`,
          where: pointer(file, fn),
        });
      }
      if (hex.status !== 401) {
        throw unexpected(hex, `401 on ${NAMES[i]} for the HMAC written in hex`, file, fn);
      }
      // The verdict must be timingSafeEqual's: the server makes it answer "different" for a
      // genuine token, once, and the token must then be refused.
      const genuine = await liedTo(server, token.split('.')[1]);
      if (genuine.answer.status === 200) {
        const by = genuine.first?.[2] ?? 'timingSafeEqual';
        throw new Lesson({
          expected: `401 on ${NAMES[i]} for a genuine token when ${by} (made by the check to answer the opposite, once) says its signature differs from the HMAC`,
          got: `200 ${JSON.stringify(genuine.answer.body)}: the token was accepted although ${by} answered false`,
          why: `${by} was called, but its answer did not decide the verdict: another comparison of the signature did, and if that is ===, !==, Buffer.equals or Buffer.compare, it stops at the first byte that differs and leaks how much of a guess was right. (A check cannot time this reliably: it makes ${by} lie once and watches whether ${fn} follows it.)`,
          where: pointer(file, fn),
        });
      }
      if (genuine.answer.status !== 401) {
        throw unexpected(
          genuine.answer,
          `401 on ${NAMES[i]} when timingSafeEqual (made by the check to answer the opposite) says the signature differs`,
          file,
          fn,
        );
      }
      // And the other way: told that a guess is the HMAC, the verdict must take it.
      for (const [forged, what] of [
        [guess, 'a guessed signature wrong in every byte'],
        [lastByteOff, 'a guessed signature wrong only in its last byte'],
      ] as const) {
        const { answer: lied, first } = await liedTo(server, forged.toString('base64url'));
        if (lied.status === 200 && (lied.body as { user?: string }).user === 'ada') continue;
        if (lied.status !== 401) {
          throw unexpected(
            lied,
            `200 {"user":"ada"} on ${NAMES[i]} for ${what} when timingSafeEqual (made by the check to answer the opposite, once) says it equals the HMAC`,
            file,
            fn,
          );
        }
        const [got, why] = !first
          ? [
              'the guess was refused without calling timingSafeEqual',
              `something compared the signature before timingSafeEqual and refused the guess on its own (a first byte, a prefix, === on the text): that comparison stops at the first byte that differs, and a forger who times it learns how many leading bytes of a guess were right. ${CONSTANT} Check only the length first, then let timingSafeEqual decide. ${LIES}`,
            ]
          : first[0] === first[1]
            ? [
                'timingSafeEqual was given two equal byte strings for a guess that is not the signature (so, made to lie, it answered "different")',
                `timingSafeEqual was not given the whole signature and the whole HMAC: the guess differs from the HMAC, yet what it compared was the same, so it compared only a part of them (a cut-short tag: every byte left out is a byte a forger need not guess, and a signature wrong in them is accepted). Give timingSafeEqual the whole decoded signature and the whole hmac(body, key). ${LIES}`,
              ]
            : [
                `the guess was refused although ${first[2]} answered "equal"`,
                `${first[2]} was called, but its answer did not decide the verdict: another comparison of the signature refused the guess, and if that is ===, !==, Buffer.equals or Buffer.compare, it stops at the first byte that differs and leaks how much of a guess was right. Let ${first[2]}'s answer alone decide. ${LIES}`,
              ];
        throw new Lesson({
          expected: `200 {"user":"ada"} on ${NAMES[i]} for ${what}, when timingSafeEqual (made by the check to answer the opposite of the truth, once) says it equals the HMAC`,
          got: `401 ${JSON.stringify(lied.body)}: ${got}`,
          why,
          where: pointer(file, fn),
        });
      }
    }
  });

  it('rejects a logged-out session on every server (the shared deny-list): revoked', async () => {
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
      {
        reasons: ['revoked'],
        why: 'a logged-out session is still correctly signed and not expired: only the deny-list knows. Look its jti up in the deny-list every server shares (await denyList.get(session.jti)), after the signature checks out, and ask it on every request: an answer kept in this process (a "not revoked" remembered for a while) is out of date the moment any server logs the session out',
      },
    );
    for (const [i, server] of servers.entries()) {
      const answer = await send(server, 'GET', '/me', token, undefined, {
        'x-statelab-deny-list-down': '1',
      });
      if (answer.status === 200) {
        throw new Lesson({
          expected: `no 200 on ${NAMES[i]} for the logged-out session while the deny-list's store cannot be reached (its get rejects): 401, or a 500 for the error`,
          got: `200 ${JSON.stringify(answer.body)}: the logged-out session was accepted`,
          why: `when the deny-list cannot be read, nothing says the session was not revoked: ${fn} went on as if the deny-list had answered "not there". A logged-out session is then good again for as long as the store is unreachable, which an attacker holding a stolen cookie may be able to arrange`,
          where: pointer(file, fn),
        });
      }
      // A store that answers, only late: the session is still on the deny-list.
      const late = await send(server, 'GET', '/me', token, undefined, {
        'x-statelab-deny-list-slow': '1',
      });
      if (late.status === 200) {
        throw new Lesson({
          expected: `401 ("revoked") on ${NAMES[i]} for the logged-out session while the deny-list's store is slow (its get answers "on the list" after about a second, and only once any time limit the request set has run out, however long: for a limit, that long has passed)`,
          got: `200 ${JSON.stringify(late.body)}: the logged-out session was accepted`,
          why: `${fn} did not wait for the deny-list's answer: after a time limit it went on as if the session were not on the list. A slow store says nothing about whether the session was revoked, and one under load is slow for everyone, so every logged-out session comes back to life. Await the deny-list's answer; if you must limit the wait, a lookup that does not answer in time refuses the session (or fails), it never lets it in`,
          where: pointer(file, fn),
        });
      }
      // A time limit that refuses the session when it runs out (401, or a 500 for its error) is
      // right: only a 200 lets a logged-out session in.
      if (late.status !== 401 && !(late.status === 500 && !/Error: TODO/.test(late.logged))) {
        throw unexpected(
          late,
          `401 ("revoked") on ${NAMES[i]} for the logged-out session while the deny-list's store is slow, or a 500 for a time limit's error`,
          file,
          fn,
        );
      }
    }
    // A store that does not answer at all (for 5 s, then its get fails), on one server: whatever
    // gives up waiting before that (a timer, the clock polled, anything) and lets the session in
    // answers 200. Waiting, refusing, or failing is right.
    const stalled = await send(servers[0], 'GET', '/me', token, undefined, {
      'x-statelab-deny-list-stalled': '1',
    });
    if (stalled.status === 200) {
      throw new Lesson({
        expected: `no 200 on ${NAMES[0]} for the logged-out session while the deny-list's store does not answer (its get fails after 5 s; a time limit the request set runs out first, however long: for a limit, that long has passed)`,
        got: `200 ${JSON.stringify(stalled.body)}: the logged-out session was accepted`,
        why: `${fn} gave up waiting for the deny-list and went on as if the session were not on the list. A store that does not answer says nothing about whether the session was revoked, and one under load is slow for everyone, so every logged-out session comes back to life. Await the deny-list's answer; if you must limit the wait (a timer, or the clock), a lookup that does not answer in time refuses the session (or fails), it never lets it in`,
        where: pointer(file, fn),
      });
    }
    await acceptedEverywhere(
      session('bob'),
      'bob',
      "bob's new session: only the logged-out one is refused",
    );
  });
});
