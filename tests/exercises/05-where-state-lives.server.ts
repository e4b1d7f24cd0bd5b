// Runs in its own process for the exercise 05 check: one server that knows the signing key and
// answers GET /me with the reader's verifySession, and POST /logout by putting the session's id
// on a deny-list in a SQLite file that every server process shares. Prints {"listening":PORT}.
//   GET  /me              → 200 { user } or 401 with the reader's verdict ({ ok: false, reason })
//   POST /logout          → the session's jti goes on the shared deny-list
//   GET  /test/compares   → every crypto.timingSafeEqual call since the last look, as base64url
//                           pairs, and every HMAC crypto.subtle.verify call, as the signature it
//                           was given and the HMAC (with the servers' key) of the data it was
//                           given: how the check sees whether the signature was compared in
//                           constant time (the time itself is too small to measure reliably).
//                           Each pair's third element names the function.
// Test headers:
//   x-statelab-now: N → verifySession is called with now = N (otherwise Date.now()).
//   x-statelab-tse-lies: 1 → the first crypto.timingSafeEqual (or HMAC crypto.subtle.verify)
//                     call of this request answers the opposite of the truth: how the check sees
//                     whether its answer decides the verdict.
//   x-statelab-deny-list-down: 1 → during this request the deny-list's get rejects, as a store
//                     that cannot be reached does.
//   x-statelab-deny-list-slow: 1 → during this request the deny-list's get answers only after
//                     about a second, as a store under load does (with the true answer), and
//                     only once every time limit the request set has run out. A second in, for
//                     this request alone, the process's clocks (Date.now, performance.now,
//                     process.hrtime) jump ten minutes ahead, and its timers due after 8 s fire
//                     at once (for them, that long has passed); a timer due sooner fires when it
//                     is due, and while the request polls (setImmediate, or an interval) the
//                     answer waits, up to 8 s.
//   x-statelab-deny-list-stalled: 1 → during this request the deny-list's get never answers: after
//                     5 s it fails, as a store that has timed out does. Timers the request set
//                     that are due later than that are fired after a second, as above. Whatever
//                     the code does to give up waiting (a timer, polling the clock, anything that
//                     gives up within 5 s), a 200 means it let the logged-out session in.
import { createHook } from 'node:async_hooks';
import crypto from 'node:crypto';
import { parseCookies } from '../../notebooks/lab/core/cookies';
import { json, type Reply } from '../../notebooks/lab/core/reply';
import { startServer } from '../../notebooks/lab/node/server';
import { sqliteStore } from '../../notebooks/lab/node/sqlite-store';
import type { StateStore } from '../../notebooks/lab/core/store';
import { importExercise } from './watchdog';

/** How late the slow deny-list answers, at least, and at most: well before the check gives up on
 *  an answer (IDLE_BEATS, about 10 s), so that a time limit longer than that, which refuses the
 *  session when it runs out, is still answered. */
const SLOW_MS = 1_000;
const SLOWEST_MS = 8_000;
/** How long the stalled deny-list leaves a get unanswered before it fails: under the check's
 *  patience too, and longer than a time limit a request would put on a lookup. */
const STALL_MS = 5_000;
/** How far the process's clocks jump, a second into a slow or stalled lookup: for a time limit
 *  that reads the clock (Date.now, performance.now, process.hrtime), that long has passed. The
 *  deny-list's own expiries, and this file's waits, read the real clocks. */
const CLOCK_JUMP_MS = 10 * 60_000;
let clockAhead = 0;
/** The request being answered, counted: a lookup still waiting after its request has ended (it
 *  gave up on it) moves no clock of the requests after it. */
let requestNumber = 0;
let answering = false;
/** For the request `request`, if it is still being answered: the clocks jump, and its timers due
 *  after `late` fire now. */
const timePassesFor = (request: number, late: number) => {
  if (!answering || request !== requestNumber) return;
  clockAhead = CLOCK_JUMP_MS;
  fireDueAfter(late);
};
const realNow = performance.now.bind(performance);
const realDateNow = Date.now;
const realHrtime = process.hrtime.bigint;
Date.now = () => realDateNow() + clockAhead;
performance.now = () => realNow() + clockAhead;
const hrtimeAhead = () => realHrtime() + BigInt(clockAhead) * 1_000_000n;
process.hrtime = Object.assign(
  (previous?: [number, number]): [number, number] => {
    let t = hrtimeAhead();
    if (previous) t -= BigInt(previous[0]) * 1_000_000_000n + BigInt(previous[1]);
    return [Number(t / 1_000_000_000n), Number(t % 1_000_000_000n)];
  },
  { bigint: hrtimeAhead },
);
/** The request is polling while a callback of its immediates or timers ran this recently (ms). */
const QUIET_MS = 100;
/** The timers set since the request being answered began (the reader's time limit, if it set
 *  one), until each has fired or been cleared, with when each is due; and when a callback of its
 *  immediates or timers last ran: seen by an async hook, switched on for the requests that meet
 *  the slow deny-list. The slow store's own timers are left out. */
const timersSince = new Map<number, { timer: NodeJS.Timeout; due: number }>();
let lastRan = -Infinity;
const ownTimers = new WeakSet<object>();
const timerWatch = createHook({
  init(id, type, _trigger, resource) {
    if (type === 'Timeout' && !ownTimers.has(resource as object)) {
      const timer = resource as NodeJS.Timeout & { _idleTimeout: number };
      timersSince.set(id, { timer, due: realNow() + timer._idleTimeout });
    }
    if (type === 'Immediate') lastRan = realNow();
  },
  before(id) {
    if (timersSince.has(id)) lastRan = realNow();
  },
  destroy(id) {
    timersSince.delete(id);
  },
});
/** Node's own fields of a timer (lib/internal/timers.js), read to see it and to fire it early. */
type TimerFields = {
  _destroyed: boolean;
  _repeat: number | null;
  _onTimeout: ((...args: unknown[]) => void) | null;
  _timerArgs?: unknown[];
};
/** The request's timers still to fire once: time limits, whether they keep the process alive or
 *  not (an unref'd one, AbortSignal.timeout's). Not intervals: one that logs while the lookup
 *  waits is cleared only once it answers. */
const pendingTimers = () =>
  [...timersSince.values()].filter(({ timer }) => {
    const state = timer as unknown as TimerFields;
    return !state._destroyed && state._repeat === null;
  });
/** Fires now each of the request's timers due after `late`, as Node would once it is due: for
 *  the code that set it, that much time has passed. */
function fireDueAfter(late: number) {
  for (const { timer, due } of pendingTimers()) {
    if (due <= late) continue;
    const state = timer as unknown as TimerFields;
    const [callback, args] = [state._onTimeout, state._timerArgs ?? []];
    if (typeof callback !== 'function') continue; // not Node's timer as we know it: it waits
    clearTimeout(timer);
    try {
      Reflect.apply(callback, timer, args);
    } catch (error) {
      process.nextTick(() => {
        throw error; // as a throw in a timer's callback ends up: uncaught
      });
    }
  }
}
/** setTimeout, left out of the timers watched. */
const ownTimeout = (then: () => void, ms: number) => {
  timerWatch.disable();
  ownTimers.add(setTimeout(then, ms));
  timerWatch.enable();
};

type Verify = (
  token: string,
  key: string,
  denyList: StateStore<true>,
  now?: number,
) => Promise<{ ok: true; session: { user: string; jti: string; exp: number } } | { ok: false }>;

// Watched before the reader's file is loaded: its `import { timingSafeEqual } from 'node:crypto'`
// compiles to a property read of this same module object at every call.
type Compare = 'timingSafeEqual' | 'crypto.subtle.verify';
let compared: [string, string, Compare][] = [];
/** Set for one request by x-statelab-tse-lies: timingSafeEqual's next call answers the opposite. */
let lying = false;
/** The signing key, for the HMAC a crypto.subtle.verify call is recorded with. */
let signingKey = '';
/** Once: the comparison that hears it answers the opposite, a second one in the request the truth. */
const lie = () => {
  const now = lying;
  lying = false;
  return now;
};
const timingSafeEqual = crypto.timingSafeEqual;
crypto.timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
  const text = (v: NodeJS.ArrayBufferView) =>
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64url');
  compared.push([text(a), text(b), 'timingSafeEqual']);
  const equal = timingSafeEqual(a, b);
  return lie() ? !equal : equal;
};
// WebCrypto's HMAC verify is a constant-time comparison too (Node checks the length, then
// compares with CRYPTO_memcmp: HmacTraits::EncodeOutput in src/crypto/crypto_hmac.cc), so it is
// watched the same way: on the prototype, which crypto.subtle and webcrypto.subtle share.
const subtle = Object.getPrototypeOf(crypto.webcrypto.subtle) as {
  verify: (...args: unknown[]) => Promise<boolean>;
};
const subtleVerify = subtle.verify;
const bytesOf = (v: unknown) =>
  ArrayBuffer.isView(v)
    ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
    : v instanceof ArrayBuffer
      ? Buffer.from(v)
      : undefined;
subtle.verify = async function (this: unknown, ...args: unknown[]) {
  const [algorithm, , signature, data] = args;
  const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name?: unknown })?.name;
  const [given, signed] = [bytesOf(signature), bytesOf(data)];
  if (String(name).toUpperCase() !== 'HMAC' || !given || !signed) {
    return subtleVerify.apply(this, args);
  }
  const hmac = crypto.createHmac('sha256', signingKey).update(signed).digest();
  compared.push([given.toString('base64url'), hmac.toString('base64url'), 'crypto.subtle.verify']);
  const lies = lie(); // at the call, as timingSafeEqual's: a comparison started later hears the truth
  const equal = await subtleVerify.apply(this, args);
  return lies ? !equal : equal;
};

async function main() {
  const [file, key, denyFile, name] = process.argv.slice(2);
  signingKey = key;
  const exercise = await importExercise(file);
  if (typeof exercise.verifySession !== 'function') {
    throw new Error(`${file} does not export a function named verifySession`);
  }
  const verifySession = exercise.verifySession as Verify;
  const denyList = sqliteStore<true>(denyFile, 'deny_list', realDateNow); // every server's
  /** The deny-list as it is when its store cannot be reached: every read rejects. */
  const denyListDown: StateStore<true> = {
    ...denyList,
    get: () => Promise.reject(new Error('the deny-list store cannot be reached (a test fault)')),
  };
  /** The deny-list as it is when its store is slow: every read answers a second late, and only
   *  once the time limits the request set (if any) have run out and it has stopped polling. */
  const denyListSlow: StateStore<true> = {
    ...denyList,
    get: (k) =>
      new Promise((resolve, reject) => {
        const [asked, request] = [realNow(), requestNumber];
        const wait = () => {
          const waited = realNow() - asked;
          if (waited >= SLOW_MS) timePassesFor(request, asked + SLOWEST_MS);
          const polling = realNow() - lastRan < QUIET_MS;
          if (waited >= SLOW_MS && pendingTimers().length === 0 && !polling) answer();
          else if (waited >= SLOWEST_MS) answer();
          else ownTimeout(wait, 20);
        };
        const answer = () => void denyList.get(k).then(resolve, reject);
        ownTimeout(wait, 20);
      }),
  };

  /** The deny-list as it is when its store does not answer at all: every read of the request fails
   *  STALL_MS after its first (a retry fails with it, or at once after), and before that the time
   *  limits the request set run out. */
  let stalledSince: number | undefined;
  const denyListStalled: StateStore<true> = {
    ...denyList,
    get: () =>
      new Promise((_resolve, reject) => {
        const [asked, request] = [(stalledSince ??= realNow()), requestNumber];
        const wait = () => {
          const waited = realNow() - asked;
          if (waited >= SLOW_MS) timePassesFor(request, asked + STALL_MS);
          if (waited < STALL_MS) return ownTimeout(wait, 20);
          reject(new Error(`the deny-list store did not answer in ${STALL_MS} ms (a test fault)`));
        };
        ownTimeout(wait, 20);
      }),
  };

  const answer = async (
    method: string,
    path: string,
    token: string,
    now: number | undefined,
    faults: {
      tseLies: boolean;
      denyListDown: boolean;
      denyListSlow: boolean;
      denyListStalled: boolean;
    },
  ): Promise<Reply> => {
    if (method === 'GET' && path === '/test/compares') {
      const calls = compared;
      compared = [];
      return json(200, { calls });
    }
    if (path !== '/me' && path !== '/logout') return json(404, { error: 'no such route' });
    const deny = faults.denyListDown
      ? denyListDown
      : faults.denyListSlow
        ? denyListSlow
        : faults.denyListStalled
          ? denyListStalled
          : denyList;
    lying = faults.tseLies;
    stalledSince = undefined;
    requestNumber += 1;
    answering = true;
    timersSince.clear();
    lastRan = -Infinity;
    if (faults.denyListSlow || faults.denyListStalled) timerWatch.enable();
    let verdict: Awaited<ReturnType<Verify>>;
    try {
      verdict =
        now === undefined
          ? await verifySession(token, key, deny)
          : await verifySession(token, key, deny, now);
    } finally {
      lying = false;
      timerWatch.disable();
      clockAhead = 0;
      answering = false;
    }
    if (!verdict.ok) return json(401, verdict);
    if (method === 'POST' && path === '/logout') {
      await denyList.set(verdict.session.jti, true, verdict.session.exp - realDateNow());
      return json(200, { loggedOut: verdict.session.user });
    }
    return json(200, { user: verdict.session.user });
  };

  const server = await startServer({
    name,
    app: () => (req, res) => {
      const token = parseCookies(req.headers.cookie).session ?? '';
      const nowHeader = req.headers['x-statelab-now'];
      const now = typeof nowHeader === 'string' ? Number(nowHeader) : undefined;
      const faults = {
        tseLies: req.headers['x-statelab-tse-lies'] === '1',
        denyListDown: req.headers['x-statelab-deny-list-down'] === '1',
        denyListSlow: req.headers['x-statelab-deny-list-slow'] === '1',
        denyListStalled: req.headers['x-statelab-deny-list-stalled'] === '1',
      };
      void answer(req.method ?? 'GET', req.url ?? '/', token, now, faults)
        .catch((error: unknown) => {
          console.error(error instanceof Error ? error.stack : error);
          return json(500, { error: 'internal server error' });
        })
        .then((reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json', 'x-served-by': name });
          res.end(JSON.stringify(reply.body));
        });
    },
  });
  console.log(JSON.stringify({ listening: server.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
