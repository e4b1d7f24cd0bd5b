// `npx tsx tools/time-setup.ts`: how long a newcomer waits, measured as a newcomer meets it. It clones
// this repository's HEAD into a temporary folder, then times, one after the other, each command of
// SETUP_STEPS there: `npm ci` with an empty npm cache (every package downloaded, better-sqlite3
// compiled when no prebuilt binary can be fetched), compiling better-sqlite3 alone, the first
// `npm run build`, `npm test` and `npm run notebook-pages -- --fresh` (every notebook runs). It writes
// src/components/SetupTimes/setup-times.json, which the setup page renders and the README quotes
// (tests/content/setup-times.test.ts holds the README to it). A step that fails stops it, and
// nothing is written. About half an hour on a 2-core machine; it removes the clone when it ends.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import {
  durationText,
  SETUP_STEPS,
  type SetupStep,
  type SetupTimes,
} from '../src/components/SetupTimes/setup-times';

const ROOT = join(__dirname, '..');
const RECORD = join(ROOT, 'src/components/SetupTimes/setup-times.json');

const work = mkdtempSync(join(tmpdir(), 'statelab-time-setup-'));
const clone = join(work, 'statelab');
// A newcomer's shell: no CI (which makes every optional part mandatory), no StateLab overrides,
// and an npm cache of their own, empty.
const env: NodeJS.ProcessEnv = { ...process.env, npm_config_cache: join(work, 'npm-cache') };
for (const name of Object.keys(env))
  if (name === 'CI' || name.startsWith('STATELAB_')) delete env[name];

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

try {
  const commit = git('rev-parse', 'HEAD');
  if (git('status', '--porcelain'))
    console.log('(uncommitted changes are not measured: a clone has HEAD only)');
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
  const measuredAt = new Date().toISOString();
  // The 1-minute load average at each step's start and at the end: what else the machine ran.
  const loads: number[] = [];
  const seconds = {} as Record<SetupStep, number>;
  let installCompiledSqlite = false;
  for (const step of SETUP_STEPS) {
    console.log(`\n== ${step.command}`);
    const [command, ...args] = step.command.split(' ');
    loads.push(loadavg()[0]);
    const started = Date.now();
    const run = spawnSync(command, args, { cwd: clone, env, stdio: 'inherit' });
    seconds[step.id] = Math.round((Date.now() - started) / 1000);
    if (run.status !== 0)
      throw new Error(
        `${step.command} failed (exit ${run.status ?? run.signal}): nothing recorded`,
      );
    console.log(`== ${step.command}: ${seconds[step.id]} s (${durationText(seconds[step.id])})`);
    // node-gyp leaves its object files; a downloaded prebuilt binary comes without them.
    const objects = join(clone, 'node_modules/better-sqlite3/build/Release/obj');
    if (step.id === 'install') installCompiledSqlite = existsSync(objects);
    if (
      step.id === 'compileSqlite' &&
      !(existsSync(objects) && statSync(objects).mtimeMs >= started)
    )
      throw new Error(`${step.command} did not compile better-sqlite3: its time means nothing`);
  }
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8', env }).stdout.trim();
  const record: SetupTimes = {
    $comment:
      'Written by tools/time-setup.ts (npx tsx tools/time-setup.ts); never edit it by hand.',
    measuredAt,
    commit,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${arch()}`,
      node: process.version,
      npm,
      loadAverage: {
        min: Math.round(Math.min(...loads, loadavg()[0]) * 10) / 10,
        max: Math.round(Math.max(...loads, loadavg()[0]) * 10) / 10,
      },
    },
    installCompiledSqlite,
    seconds,
  };
  writeFileSync(RECORD, JSON.stringify(record, null, 2) + '\n');
  console.log(
    `\nWrote ${relative(ROOT, RECORD)}. Now state the same times in the README (its test says how).`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
