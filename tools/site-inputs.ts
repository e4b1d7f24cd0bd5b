// What the built site is made from, and whether build/ was made from what is here now. Every
// production build records a hash of its inputs in the build (src/plugins/build-stamp.ts); `npm start`
// builds again only when that record is missing or differs, so a second start opens in seconds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Everything `docusaurus build` reads from this repository: the pages and the notebook pages with
 * their recorded runs (docs/, src/), static files and diagram drawings (static/), the lab and deploy
 * files that pages show as code (notebooks/lab, notebooks/deploy), the configuration, and the locked
 * package versions. tools/site-inputs.test.ts checks that every file the site imports lies in here.
 * The reader's exercises and the notebooks they run are not inputs: editing them never rebuilds.
 */
export const SITE_INPUTS = [
  'docs',
  'src',
  'static',
  'notebooks/lab',
  'notebooks/deploy',
  'tools/checks/progress.ts', // the exercise-progress plugin's, with what it imports
  'tools/checks/manifest.ts',
  'tools/site-inputs.ts', // the build-stamp plugin's
  'docusaurus.config.ts',
  'sidebars.ts',
  'tsconfig.json',
  '.browserslistrc',
  'package.json',
  'package-lock.json',
];

/** The file in a build that says what it was built from. */
export const STAMP_FILE = '.statelab-build.json';

interface Stamp {
  /** sha256 over SITE_INPUTS: each file's path and bytes, in a fixed order. */
  inputs: string;
  builtAt: string;
}

/** A hash of every input's path and bytes (not their times: a checkout that changes no byte keeps it). */
export function siteInputsHash(root: string, inputs = SITE_INPUTS): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    const full = join(root, path);
    if (!existsSync(full)) return void hash.update(`missing\0${path}\0`);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) add(`${path}/${name}`);
      return;
    }
    hash.update(`file\0${path}\0${statSync(full).size}\0`).update(readFileSync(full));
  };
  for (const input of [...inputs].sort()) add(input);
  return hash.digest('hex');
}

export function writeStamp(buildDir: string, inputs: string, builtAt = new Date()): void {
  const stamp: Stamp = { inputs, builtAt: builtAt.toISOString() };
  writeFileSync(join(buildDir, STAMP_FILE), JSON.stringify(stamp, null, 2) + '\n');
}

/** Why the build at buildDir cannot be served as it is, or undefined when it is current. */
export function staleBecause(buildDir: string, root: string): string | undefined {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(join(buildDir, STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return existsSync(join(buildDir, 'index.html'))
      ? 'the build says nothing of what it was built from'
      : 'there is no build yet';
  }
  if (stamp.inputs !== siteInputsHash(root))
    return 'pages or settings changed since the last build';
  if (!existsSync(join(buildDir, 'index.html'))) return 'the build has no index.html';
  return undefined;
}
