// Runs in its own process for the exercise 08 check: could a stranger make the session id a login
// hands out? Everything a stranger could know is made the same twice: Math.random() returns one
// constant, the clock (Date.now(), new Date()) stands still, and the reader's module is loaded
// twice, two fresh instances in this one process (the same pid; whatever the module keeps at its
// top level, a count of logins say, starts again), each over homes of its own in a folder of its
// own. The same user then logs in on each, at the same moment. An id with a secret in it, from
// crypto.randomBytes or crypto.randomUUID (homes.newId()), differs; one made from the user, the time
// (Date.now(), new Date(), performance.now(), process.hrtime()), Math.random(),
// the process id or a count comes out the same.
//   GET /session-ids  { sids: [first, second], read?: the stack of the first call of Math.random()
//                     or of a clock from the reader's file during the logins }
// Prints {"listening":PORT} when ready.
import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importExercise } from './watchdog';
import { openHomes, type MysteryShopFactory } from '../../notebooks/lab/node/mystery-server';

/** The moment both logins happen at, by every clock the reader's code may read. */
const STILL = Date.UTC(2030, 0, 1, 12, 0, 0);
const USER = 'alice';

async function main() {
  const [file] = process.argv.slice(2);
  // Where the reader's code read Math.random() or the clock during a login: the line to blame.
  let recording = false;
  let read: string | undefined;
  const note = () => {
    if (!recording) return;
    const stack = new Error('read').stack ?? '';
    if (stack.includes(file)) read ??= stack; // the first: later reads (a createdAt) come after the id
  };
  Math.random = () => (note(), 0.5);
  // The high-resolution clocks stand still while the logins run, and only then: before and after,
  // the module being loaded, this probe's server and Node itself read the real ones. A clock that
  // stands still has no time passed since any earlier reading: hrtime(previous) is [0, 0].
  const realNow = performance.now.bind(performance);
  const realHrtime = process.hrtime;
  const realBigint = process.hrtime.bigint;
  performance.now = () => (recording ? (note(), 1_000) : realNow());
  const hrtime = ((previous?: [number, number]) =>
    recording
      ? (note(), previous ? [0, 0] : [1, 0])
      : realHrtime(previous)) as typeof process.hrtime;
  hrtime.bigint = () => (recording ? (note(), 1_000_000_000n) : realBigint());
  process.hrtime = hrtime;
  const RealDate = Date;
  RealDate.now = () => (note(), STILL);
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget: new (...a: unknown[]) => object) {
      if (args.length === 0) note();
      return Reflect.construct(target, args.length === 0 ? [STILL] : args, newTarget) as object;
    },
  });

  /** A fresh instance of the reader's module: loaded again, with what it loaded first. */
  const loaded = new Set(Object.keys(require.cache));
  const fresh = async () => {
    for (const key of Object.keys(require.cache)) {
      if (!loaded.has(key)) delete require.cache[key];
    }
    const exercise = await importExercise(file);
    if (typeof exercise.mysteryShop !== 'function') {
      throw new Error(`${file} does not export a function named mysteryShop`);
    }
    return exercise.mysteryShop as MysteryShopFactory;
  };
  const shops: ReturnType<MysteryShopFactory>[] = [];
  for (let i = 0; i < 2; i += 1) {
    const home = mkdtempSync(join(tmpdir(), `session-ids-${i + 1}-`));
    shops.push((await fresh())(openHomes(home, () => STILL)));
  }

  const reply = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/session-ids') {
      return reply(res, 404, { error: `no route for ${req.method} ${req.url}` });
    }
    void (async () => {
      const sids: (string | undefined)[] = [];
      recording = true;
      try {
        for (const shop of shops) {
          const login = await shop.handle({ method: 'POST', path: '/login', body: { user: USER } });
          sids.push(login.sid);
        }
      } finally {
        recording = false;
      }
      reply(res, 200, { sids, read });
    })().catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      reply(res, 500, { error: 'internal server error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log(JSON.stringify({ listening: (server.address() as AddressInfo).port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
