// `npm run check` as a reader types it, through the real npm, on a copy of the exercises folder:
// --reset never loses the reader's file, the reference solution is named only once an exercise
// passes, watch mode moves on when one passes and ends when all do, and the flags work without
// the `--` (npm 11 passes them on as npm_config_* settings, with a warning) and say what to type.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FLAGS } from './checks/args';
import { findExercise, loadExercises, ROOT, sha256OfText } from './checks/manifest';
import { starterCopy, starterText } from './checks/reset';

const exercises = loadExercises();
const first = findExercise(exercises, '01')!;
const last = exercises[exercises.length - 1];
const SOLUTIONS = join(ROOT, 'notebooks/solutions');
const state = mkdtempSync(join(ROOT, 'notebooks/.tmp-cli-state-'));
const dirs: string[] = [];
const running = new Set<number>();
afterEach(() => {
  for (const pid of running) stopGroup(pid);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterAll(() => rmSync(state, { recursive: true, force: true }));

/** A copy of the exercises folder with every starter (from the pristine copies: the reader may be
 *  working on notebooks/exercises), beside notebooks/lab so its `../lab` imports resolve. */
function exercisesCopy(solved: string[] = []): string {
  const dir = mkdtempSync(join(ROOT, 'notebooks/.tmp-cli-'));
  dirs.push(dir);
  for (const exercise of exercises)
    writeFileSync(fileIn(dir, exercise.slug), starterText(exercise));
  for (const slug of solved) copyFileSync(join(SOLUTIONS, `${slug}.ts`), fileIn(dir, slug));
  return dir;
}
const fileIn = (dir: string, slug: string) => join(dir, `${slug}.ts`);

function stopGroup(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
  running.delete(pid);
}

interface Run {
  code: number | null;
  output: string;
}

/**
 * `npm run check ...args` on `dir`, in a process group of its own. `until` sees the output so far
 * and may act on it (save a file); once it returns true the whole group is stopped.
 */
function npmCheck(dir: string, args: string[], until?: (output: string) => boolean) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STATELAB_EXERCISES: dir,
    STATELAB_STATE: state,
    NO_COLOR: '1',
  };
  // Only what this test types may reach the runner, not flags the test run itself got from npm.
  for (const flag of FLAGS) delete env[`npm_config_${flag}`];
  const child = spawn('npm', ['run', 'check', ...args], { cwd: ROOT, env, detached: true });
  running.add(child.pid!);
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk;
    if (until?.(output)) stopGroup(child.pid!);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise<Run>((resolve) =>
    child.once('close', (code) => {
      running.delete(child.pid!);
      resolve({ code, output });
    }),
  );
}

const backupsIn = (dir: string, slug: string) =>
  readdirSync(dir).filter((name) => name.startsWith(`${slug}.ts.bak-`));

describe('npm run check -- NN --reset', () => {
  it("puts the starter back and keeps the reader's version beside it, saying where", async () => {
    const dir = exercisesCopy();
    const file = fileIn(dir, first.slug);
    const mine = `${readFileSync(join(SOLUTIONS, `${first.slug}.ts`), 'utf8')}// my notes\n`;
    writeFileSync(file, mine);
    const run = await npmCheck(dir, ['--', '01', '--reset']);
    expect(run.code).toBe(0);
    expect(sha256OfText(file)).toBe(first.starterSha256);
    const backups = backupsIn(dir, first.slug);
    expect(backups).toEqual([expect.stringMatching(/^01-request-path\.ts\.bak-\d{8}-\d{6}$/)]);
    expect(readFileSync(join(dir, backups[0]), 'utf8')).toBe(mine);
    expect(run.output).toContain(
      `Your version is kept in notebooks/${dir.split('/notebooks/')[1]}/${backups[0]}`,
    );
  }, 60_000);

  it('a second reset keeps the first backup: each one gets a name of its own', async () => {
    const dir = exercisesCopy();
    const file = fileIn(dir, first.slug);
    writeFileSync(file, '// first try\n');
    await npmCheck(dir, ['--', '01', '--reset']);
    writeFileSync(file, '// second try\n');
    await npmCheck(dir, ['--', '01', '--reset']);
    const kept = backupsIn(dir, first.slug).map((name) => readFileSync(join(dir, name), 'utf8'));
    expect(kept.sort()).toEqual(['// first try\n', '// second try\n']);
    expect(sha256OfText(file)).toBe(first.starterSha256);
  }, 60_000);

  it('without the --: works as npm passes it on, says what to type, and leaves an untouched starter alone', async () => {
    const dir = exercisesCopy();
    const before = readdirSync(dir).sort();
    const run = await npmCheck(dir, ['01', '--reset']);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/already the untouched starter: nothing to reset/);
    expect(run.output).toContain('what to type: npm run check -- 01 --reset');
    expect(readdirSync(dir).sort()).toEqual(before);
  }, 60_000);

  it('brings back a deleted file (nothing to keep, so no backup)', async () => {
    const dir = exercisesCopy();
    unlinkSync(fileIn(dir, first.slug));
    const run = await npmCheck(dir, ['--', '01', '--reset']);
    expect(run.code).toBe(0);
    expect(sha256OfText(fileIn(dir, first.slug))).toBe(first.starterSha256);
    expect(backupsIn(dir, first.slug)).toEqual([]);
  }, 60_000);

  it('makes a folder that is gone, and puts the starter in it', async () => {
    // STATELAB_EXERCISES names a folder that is not there: `check 01` says to reset, and the
    // reset must work (it crashed with ENOENT, "The check runner itself failed").
    const dir = join(exercisesCopy(), 'gone');
    const told = await npmCheck(dir, ['01']);
    expect(told.output).toContain('Restore the starter with: npm run check -- 01 --reset');
    const run = await npmCheck(dir, ['--', '01', '--reset']);
    expect(run.output).not.toMatch(/runner itself failed/);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/01-request-path\.ts is the starter again/);
    expect(sha256OfText(fileIn(dir, first.slug))).toBe(first.starterSha256);
    expect(readdirSync(dir)).toEqual([`${first.slug}.ts`]);
  }, 60_000);

  it('takes a starter saved with a byte order mark (and CRLF) for the untouched starter', async () => {
    // Some editors on Windows save UTF-8 with a BOM: the starter is still not started, and a
    // reset has nothing to keep (it kept a backup and rewrote the file).
    const dir = exercisesCopy();
    const file = fileIn(dir, first.slug);
    const saved = `\uFEFF${starterText(first).replace(/\n/g, '\r\n')}`;
    writeFileSync(file, saved);
    const run = await npmCheck(dir, ['--', '01', '--reset']);
    expect(run.output).toMatch(/already the untouched starter: nothing to reset/);
    expect(readFileSync(file, 'utf8')).toBe(saved);
    expect(backupsIn(dir, first.slug)).toEqual([]);
    await npmCheck(dir, ['01']);
    const progress = JSON.parse(readFileSync(join(state, 'progress.json'), 'utf8')) as {
      exercises: Record<string, { state: string }>;
    };
    expect(progress.exercises['01'].state).toBe('not started');
  }, 60_000);

  it('takes the starter from a pristine copy the manifest vouches for, and refuses any other', () => {
    for (const exercise of exercises) {
      expect(sha256OfText(starterCopy(exercise)), starterCopy(exercise)).toBe(
        exercise.starterSha256,
      );
    }
    expect(() => starterText({ ...first, starterSha256: '0'.repeat(64) })).toThrow(
      /is not the starter notebooks\/exercises.json names/,
    );
  });
});

describe('the reference solution', () => {
  const solution = `notebooks/solutions/${first.slug}.ts`;

  it('is not named while the exercise fails', async () => {
    const run = await npmCheck(exercisesCopy(), ['01']);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/0 of 4 checks pass/);
    expect(run.output).not.toMatch(/solutions/);
  }, 60_000);

  it('is named once it passes', async () => {
    const run = await npmCheck(exercisesCopy([first.slug]), ['01']);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/exercise 01 is done/);
    expect(run.output).toContain(`Compare with the reference solution: ${solution}`);
  }, 60_000);
});

describe('npm run check -- NN --watch', () => {
  it('moves on to the next exercise once one passes, and says which file it watches now', async () => {
    const dir = exercisesCopy();
    let saved = false;
    let beforeSave = '';
    const run = await npmCheck(dir, ['--', '01', '--watch'], (output) => {
      if (!saved && /0 of 4 checks pass[\s\S]*Watching .*01-request-path\.ts/.test(output)) {
        saved = true;
        beforeSave = output;
        copyFileSync(join(SOLUTIONS, `${first.slug}.ts`), fileIn(dir, first.slug));
      }
      return saved && /Watching .*02-many-servers\.ts/.test(output);
    });
    expect(beforeSave).not.toMatch(/solutions/);
    expect(run.output).toMatch(
      /exercise 01 is done[\s\S]*notebooks\/solutions\/01-request-path\.ts[\s\S]*Moving on to exercise 02[\s\S]*0 of \d+ checks pass[\s\S]*Watching notebooks\/\.tmp-cli-\w+\/02-many-servers\.ts: save it/,
    );
  }, 120_000);

  it('ends with a message once every exercise passes (and works without the --)', async () => {
    const dir = exercisesCopy(exercises.filter((e) => e !== last).map((e) => e.slug));
    let saved = false;
    const run = await npmCheck(dir, [last.id, '--watch'], (output) => {
      if (!saved && /checks pass\. [\s\S]*Watching/.test(output)) {
        saved = true;
        copyFileSync(join(SOLUTIONS, `${last.slug}.ts`), fileIn(dir, last.slug));
      }
      return false; // it ends by itself
    });
    expect(run.output).toContain(`what to type: npm run check -- ${last.id} --watch`);
    expect(run.output).toMatch(
      new RegExp(`exercise ${last.id} is done[\\s\\S]*Moving on to exercise 01[\\s\\S]*`),
    );
    expect(run.output).toMatch(
      new RegExp(`All ${exercises.length} exercises pass\\.[^\\n]*Watch mode ends here`),
    );
    expect(run.code).toBe(0);
  }, 300_000);
});

describe('npm run check 01 --hint, without the --', () => {
  it('gives the hint, and says what to type so it keeps working after npm 11', async () => {
    const run = await npmCheck(exercisesCopy(), ['01', '--hint']);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/Exercise 01 · hint 1 of 3/);
    expect(run.output).toContain('what to type: npm run check -- 01 --hint');
  }, 60_000);

  it('with the --, as documented, needs no such note', async () => {
    const run = await npmCheck(exercisesCopy(), ['--', '01', '--hint']);
    expect(run.output).toMatch(/Exercise 01 · hint \d of 3/);
    expect(run.output).not.toMatch(/what to type/);
  }, 60_000);

  it('gives the hint when its memory cannot be written, and says so in one line', async () => {
    const memory = join(state, 'hints.json');
    rmSync(memory, { force: true });
    mkdirSync(memory); // a folder where the file goes: any write fails
    try {
      const run = await npmCheck(exercisesCopy(), ['--', '01', '--hint']);
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/Exercise 01 · hint 1 of 3/);
      expect(run.output).toMatch(
        /hints\.json could not be written, so the next --hint starts here again/,
      );
      expect(run.output).not.toMatch(/bug in StateLab/);
      expect(run.output).not.toMatch(/was damaged/); // nothing was: it could not be written
    } finally {
      rmSync(memory, { recursive: true, force: true });
    }
  }, 60_000);
});
