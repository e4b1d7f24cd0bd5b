// The bench's yardstick: a default Docusaurus classic site of the version StateLab runs, generated
// from create-docusaurus's own template files as `npx create-docusaurus my-site classic` would
// (JavaScript, its default), and built with this repo's installed @docusaurus packages so that
// only the content and the course's own additions differ. State lives in one cache folder,
// .statelab/bench-peer/docusaurus-<version>/ (git-ignored): the template package, the site, its
// build and a stamp saying the build finished; a second bench run reuses it without the network.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './checks/manifest';

/** The peer's pages the bench measures: its home page and its one docs page. */
export const PEER_ROUTES = ['', 'docs/intro'] as const;
/** The peer page every StateLab page is compared with, run by run. */
export const PEER_DOCS_ROUTE = 'docs/intro';
/** The template files those pages come from (create-docusaurus's templates/shared and classic). */
const PAGE_SOURCES = ['src/pages/index.js', 'docs/intro.mdx'];

/** The installed @docusaurus/core, which builds StateLab and so builds the peer too. */
export function docusaurusVersion(root = ROOT): string {
  const pkg = join(root, 'node_modules', '@docusaurus', 'core', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export const peerCacheDir = (version: string, root = ROOT) =>
  join(root, '.statelab', 'bench-peer', `docusaurus-${version}`);

/**
 * Writes the classic site into `dest` from create-docusaurus's templates folder the way its
 * copyTemplate and updatePkg do: templates/shared first, templates/classic over it, `gitignore`
 * renamed to `.gitignore`, and package.json given a name, version 0.0.0 and private. Throws when
 * the template lacks a page the bench measures, rather than comparing with a page that is not there.
 */
export function generatePeerSite(templatesDir: string, dest: string, name = 'bench-peer'): void {
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(templatesDir, 'shared'), dest, { recursive: true });
  cpSync(join(templatesDir, 'classic'), dest, { recursive: true });
  if (existsSync(join(dest, 'gitignore')))
    renameSync(join(dest, 'gitignore'), join(dest, '.gitignore'));
  const pkgPath = join(dest, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    pkgPath,
    `${JSON.stringify({ ...pkg, name, version: '0.0.0', private: true }, null, 2)}\n`,
  );
  const missing = PAGE_SOURCES.filter((f) => !existsSync(join(dest, f)));
  if (missing.length > 0)
    throw new Error(`the classic template has no ${missing.join(', ')}: the peer pages moved`);
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ` +
        `${(result.stderr || result.stdout || String(result.error)).trim().slice(-600)}`,
    );
}

/** create-docusaurus@version's templates folder, fetched once with `npm pack` into the cache. */
function templatesFor(version: string, cache: string): string {
  const unpacked = join(cache, 'create-docusaurus');
  const templates = join(unpacked, 'package', 'templates');
  if (existsSync(templates)) return templates;
  mkdirSync(unpacked, { recursive: true });
  run('npm', ['pack', `create-docusaurus@${version}`, '--pack-destination', unpacked], cache);
  run('tar', ['xzf', `create-docusaurus-${version}.tgz`], unpacked);
  return templates;
}

/**
 * The peer's build folder, built now or reused from the cache when a build of this version
 * finished before. The build runs the repo's own docusaurus binary in the peer's folder: it sits
 * under the repo, so Node resolves @docusaurus/*, React and the rest from the repo's node_modules.
 */
export function peerBuild(log: (line: string) => void = console.log): string {
  const version = docusaurusVersion();
  const cache = peerCacheDir(version);
  const site = join(cache, 'site');
  const build = join(site, 'build');
  const stamp = join(cache, 'built.json');
  if (existsSync(stamp) && existsSync(join(build, 'index.html'))) {
    log(`  peer: default Docusaurus ${version} classic site, reused from ${cache}`);
    return build;
  }
  rmSync(stamp, { force: true });
  const started = performance.now();
  generatePeerSite(templatesFor(version, cache), site);
  run(join(ROOT, 'node_modules', '.bin', 'docusaurus'), ['build', '--out-dir', build], site);
  writeFileSync(stamp, `${JSON.stringify({ version, builtAt: new Date().toISOString() })}\n`);
  const took = ((performance.now() - started) / 1000).toFixed(0);
  log(`  peer: default Docusaurus ${version} classic site, built in ${took} s into ${build}`);
  return build;
}
