// Checks for exercise 08, the capstone: the nemesis on the reader's mystery shop. For each seed,
// a fleet of the reader's servers (each its own process, with a disk of its own, all given the
// same shared homes) runs the seeded plan of notebooks/lab/node/nemesis.ts: two servers, a third
// joins, one is killed and replaced, the admin changes prices, users shop in two tabs and click
// "add" several times at once, a job runs on every server, and every server is restarted, one a
// round. Then the checker (core/hidden-state.ts) holds the history to what one server would have
// done. Each check is one kind of trouble; its message quotes the history, never the fix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { verdictsOf, type Verdicts } from '../../notebooks/lab/core/hidden-state';
import { runNemesis, type Fleet } from '../../notebooks/lab/node/nemesis';
import { openMailbox } from '../../notebooks/lab/node/mystery-server';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('08-hidden-state');
const fn = 'mysteryShop';
/** The seeds the nemesis runs: each a different plan, users and routing. */
const SEEDS = [1, 2, 3];
const dir = mkdtempSync(join(tmpdir(), 'statelab-08-'));
const running = new Set<ExerciseServer>();
/** Set when the checks are over: a seed still running (another seed failed first) starts no more. */
let over = false;
afterAll(() => {
  over = true;
  for (const server of running) server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One seed's run: a fleet of fresh servers over fresh shared homes. */
async function runSeed(seed: number): Promise<Verdicts> {
  const shared = mkdtempSync(join(dir, `seed-${seed}-`));
  openCatalog(join(shared, 'shop.sqlite')).close(); // the sample products
  const mailbox = openMailbox(shared);
  const servers = new Map<string, ExerciseServer>();
  const fleet: Fleet = {
    async start(name) {
      if (over) throw new Error(`the checks are over: ${name} of seed ${seed} is not started`);
      const server = await startExerciseServer(
        join(__dirname, '08-hidden-state.server.ts'),
        [file, shared, name],
        file,
        fn,
      );
      servers.set(name, server);
      running.add(server);
    },
    kill(name) {
      const server = servers.get(name);
      server?.stop();
      if (server) running.delete(server);
    },
    async request(name, { method, path, body, sid, hopMs, lastAnswer }) {
      const answer = await ask(servers.get(name)!, path, file, fn, {
        method,
        body,
        headers: {
          ...(sid === undefined ? {} : { cookie: `sid=${sid}` }),
          ...(hopMs === undefined ? {} : { 'x-test-hop-ms': String(hopMs) }),
          ...(lastAnswer ? { 'x-test-last-answer': '1' } : {}),
        },
      });
      if (answer.status >= 500) {
        throw unexpected(
          answer,
          `an answer from ${name} to ${method} ${path}, not a 500`,
          file,
          fn,
        );
      }
      return {
        status: answer.status,
        body: answer.body,
        sid: /sid=([^;]+)/.exec(answer.headers['set-cookie'] ?? '')?.[1],
        servedBy: answer.headers['x-served-by'],
      };
    },
    mails: () => mailbox.recipients(),
  };
  try {
    return verdictsOf(await runNemesis(fleet, seed));
  } finally {
    for (const name of servers.keys()) fleet.kill(name) as void;
    mailbox.close();
  }
}

/** The nemesis runs once on every seed; each check reads its part of the verdicts. */
let verdicts: Promise<Verdicts[]> | undefined;
const allVerdicts = () => {
  // The seeds at once: each its own fleet and shared folder. Most of a run is waiting for
  // answers, so three fleets take little longer than one.
  verdicts ??= Promise.all(SEEDS.map(runSeed));
  return verdicts;
};

/** Fails with the history's evidence when any seed found trouble of this kind. */
async function expectNone(
  pick: (v: Verdicts) => string[],
  expected: string,
  why: string,
): Promise<void> {
  const found = (await allVerdicts()).flatMap(pick);
  if (found.length === 0) return;
  const shown = found.slice(0, 3).map((line) => `\n            ${line}`);
  const more = found.length > 3 ? `\n            …and ${found.length - 3} more like these` : '';
  throw new Lesson({
    expected,
    got: `${found.length} time${found.length === 1 ? '' : 's'} it did not:${shown.join('')}${more}`,
    why,
    where: pointer(file, fn),
  });
}

describe('exercise 08: the nemesis finds no hidden state in the shop', () => {
  it('nobody is logged out: a session made on one server is known on every server, through kills and restarts, by an id nobody can guess', () =>
    expectNone(
      (v) => [...v.loggedOut, ...v.sessionIds],
      'a logged-in user to stay logged in, whichever server answers and whichever servers died, with a session id of their own that nobody could guess',
      "one server forgot a user that another had logged in, or a server forgot them when it was replaced: ask of each thing the login learns which process or disk holds it, and whether the next server to answer has that process or disk. Or the login answered before what it wrote had landed, so the very next click found nothing. Or the session id itself was one a stranger could know: the same for two logins, made from another user's id by changing the name in it, short enough to try, or a few characters away from the ids before it (counted, or read off a clock), so that whoever has one tries its neighbours",
    ));

  it('no acknowledged cart item is lost, with two tabs adding at once, and every server shows the same cart', () =>
    expectNone(
      (v) => v.lostItems,
      'every add the shop answered 200 to, in the cart or in an order, as on one server answering one request at a time',
      "an item the shop acknowledged vanished, or a cart the shop showed was not the cart it had. Did it vanish when a server died (then it lived in that server), or when two requests of one user ran at once (then two writers each read the cart, and the second write, an add's or a checkout's, did not include the first one's item)? Did an add answer with a cart only that server knew (then the answer was built from a copy)? Or did the items vanish at a checkout, with no kill and no other tab at that moment (then the checkout emptied the cart without ordering what it held: what does the step that empties it give back? A store's update resolves to the value it wrote, not the one it read)? The rounds in the evidence tell which",
    ));

  it('a user gets the rate limit, however many servers there are and whichever of them restarted', () =>
    expectNone(
      (v) => v.rateLimit,
      'at most the limit of adds accepted per user and minute, as one server would count them, a refusal (429) only once the limit is reached, and nothing of a refused add in the cart',
      'More adds accepted than the limit: it was counted more than once: each server counting its own share (more servers, more adds), or a count that started again after a restart, or two adds at once both reading the old count. A refusal with fewer accepted: the count did not start again with the new minute (does its key, or its expiry, say which minute it counts? an expiry renewed by every add never comes while the adds do). A refused add in a cart or an order: the add changed the cart before it knew it would be refused. Where is the count kept, who else sees it, and what does an add do before it is counted?',
    ));

  it('a price changed through one server is the price every server shows at once', () =>
    expectNone(
      (v) => v.stalePrices,
      "the admin's new price on every server, from the moment the change was answered",
      'some server showed the old price after the change: it answered from a copy it kept. Which copies of the catalogue are there, and which of them did the change reach?',
    ));

  it('a receipt can be fetched from any server, also after the server that wrote it was replaced', () =>
    expectNone(
      (v) => v.missingReceipts,
      'the receipt of every order the shop confirmed, from any server, for as long as the run lasts',
      'the receipt was only where the server that wrote it could read it, and a replaced server comes back as a fresh machine; or it was still on its way when the server died, right after it answered; or it was kept for a while only, and had expired when it was asked for (a receipt that a server other than its writer had served was where every server reads it: the death of a server did not lose it). Where does the checkout write it, for how long, and does the answer wait for that write?',
    ));

  it("every order's confirmation mail is sent exactly once, though the job runs on every server", () =>
    expectNone(
      (v) => v.mails,
      'one confirmation mail per order, whatever the number of servers running the job, and whatever restarted',
      'the job runs on every server, once a minute, at the same moment. A mail sent twice: more than one server decided it was theirs to send, each by what it alone remembered. A mail never sent: the order was noted where the job could not find it',
    ));
});
