// From the terminal to the progress table: the real `npm run check` (one exercise, the list of all,
// and watch re-runs) on a copy of exercise 01, then what the local site's endpoint serves to the
// table (src/plugins/exercise-progress.ts), read over HTTP on 127.0.0.1 after each run.
import { runCheckCommand } from '../tools/checks/check-process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  ExerciseProgress,
  ExerciseRecord,
} from '../src/components/Progress/exercise-progress';
import { EXERCISE_PROGRESS_PATH } from '../src/components/Progress/exercise-progress';
import { PROGRESS_REQUEST } from '../src/components/Progress/useExerciseProgress';
import { exerciseProgressMiddleware } from '../src/plugins/exercise-progress';
import { ROOT } from '../tools/checks/manifest';

// A folder beside notebooks/exercises, so the copy's `../lab` imports resolve as the starter's do.
const exercises = mkdtempSync(join(ROOT, 'notebooks/.tmp-progress-'));
const mine = join(exercises, '01-request-path.ts');
const state = mkdtempSync(join(tmpdir(), 'statelab-state-'));
const progressFile = join(state, 'progress.json'); // where STATELAB_STATE puts it

const server = createServer((req, res) =>
  exerciseProgressMiddleware(() => progressFile)(req, res, () => res.writeHead(404).end()),
);
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(exercises, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

/** `npm run check ...args` on the copy; `until` stops a watch run once it has said enough. */
function check(args: string[], until?: (output: string) => boolean) {
  const run = runCheckCommand(exercises, state, args, until);
  return { ...run, done: run.done.then((r) => r.output) };
}

/** Exercise 01 as the table reads it from the local server now. */
async function served(): Promise<ExerciseRecord | undefined> {
  const reply = await fetch(base + EXERCISE_PROGRESS_PATH, PROGRESS_REQUEST);
  expect(reply.status).toBe(200);
  return ((await reply.json()) as ExerciseProgress).exercises['01'];
}

/** Asks the server until exercise 01 is in `state` (at most 600 times, 100 ms apart). */
async function servedOnce(state: ExerciseRecord['state']): Promise<ExerciseRecord | undefined> {
  let now = await served();
  for (let i = 0; i < 600 && now?.state !== state; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await served();
  }
  return now;
}

const wrongVariant = () =>
  readFileSync(
    join(ROOT, 'tests/fixtures/exercises/01-wrong/swapped-statuses/01-request-path.ts'),
    'utf8',
  ).replaceAll('../../../../../notebooks/lab/', '../lab/');

it('each run of npm run check shows in what the local site serves, without a restart', async () => {
  expect(await served()).toBeUndefined(); // no run yet: the table says "not started"

  // One exercise, untouched: not started, with the count of the checks it ran.
  copyFileSync(join(ROOT, 'notebooks/exercises/01-request-path.ts'), mine);
  await check(['01']).done;
  const untouched = await served();
  expect(untouched).toMatchObject({ id: '01', chapter: '01', state: 'not started', total: 4 });

  // The list of all, with a wrong answer saved: failing, some checks passing.
  writeFileSync(mine, wrongVariant());
  const listed = await check([]).done;
  expect(listed).toMatch(/01 {2}Serve one product from the database\s+failing/);
  const wrong = await served();
  expect(wrong).toMatchObject({ state: 'failing', total: 4 });
  expect(wrong!.passing).toBeGreaterThan(0);
  expect(wrong!.passing).toBeLessThan(4);
  expect(Date.parse(wrong!.checkedAt)).toBeGreaterThanOrEqual(Date.parse(untouched!.checkedAt));

  // Watch mode: each save is checked again, and each verdict reaches the table.
  const watching = check(['01', '--watch'], (output) => /exercise 01 is done/.test(output));
  try {
    for (let i = 0; i < 600 && !/Watching/.test(watching.output()); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    writeFileSync(mine, `${wrongVariant()}\nexport const typo = ;\n`);
    expect(await servedOnce('broken')).toMatchObject({ state: 'broken', passing: 0 });
    copyFileSync(join(ROOT, 'notebooks/solutions/01-request-path.ts'), mine);
    expect(await servedOnce('done')).toMatchObject({ state: 'done', passing: 4, total: 4 });
  } finally {
    watching.child.kill();
    await watching.done;
  }
  // What was served is what the runner wrote.
  expect(JSON.parse(readFileSync(progressFile, 'utf8')).exercises['01']).toEqual(await served());
}, 240_000); // four check runs: slow on a busy machine, never failed by it
