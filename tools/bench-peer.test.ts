import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { docusaurusVersion, generatePeerSite, peerCacheDir } from './bench-peer';
import { ROOT } from './checks/manifest';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'statelab-bench-peer-'));
  temps.push(dir);
  return dir;
};

/** A templates folder laid out as create-docusaurus ships it, with files that say where they are from. */
function fakeTemplates(omit: string[] = []): string {
  const files: Record<string, string> = {
    'shared/docs/intro.mdx': '# Tutorial Intro\n',
    'shared/src/pages/index.module.css': '.hero {}\n',
    'shared/src/css/custom.css': ':root {}\n',
    'shared/gitignore': 'build\n',
    'classic/docusaurus.config.js': 'export default {title: "My Site"};\n',
    'classic/package.json': '{"name": "docusaurus-2-classic-template", "version": "3.10.2"}\n',
    'classic/src/pages/index.js': 'export default function Home() {}\n',
    'classic-typescript/src/pages/index.tsx': 'export default function Home() {}\n',
  };
  const dir = temp();
  for (const [path, text] of Object.entries(files)) {
    if (omit.includes(path)) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('generatePeerSite', () => {
  it('lays the classic template over the shared files, as create-docusaurus does', () => {
    const site = join(temp(), 'site');
    generatePeerSite(fakeTemplates(), site);
    for (const file of ['docs/intro.mdx', 'src/pages/index.js', 'src/css/custom.css'])
      expect(existsSync(join(site, file)), file).toBe(true);
    expect(existsSync(join(site, 'src/pages/index.tsx'))).toBe(false); // JavaScript, the default
    expect(readFileSync(join(site, 'docusaurus.config.js'), 'utf8')).toContain('My Site');
    expect(existsSync(join(site, '.gitignore'))).toBe(true);
    expect(existsSync(join(site, 'gitignore'))).toBe(false);
    expect(JSON.parse(readFileSync(join(site, 'package.json'), 'utf8'))).toEqual({
      name: 'bench-peer',
      version: '0.0.0',
      private: true,
    });
  });

  it('starts from an empty folder: a file left from an older template does not survive', () => {
    const site = join(temp(), 'site');
    mkdirSync(join(site, 'docs'), { recursive: true });
    writeFileSync(join(site, 'docs/old.mdx'), '# left over\n');
    generatePeerSite(fakeTemplates(), site);
    expect(existsSync(join(site, 'docs/old.mdx'))).toBe(false);
  });

  it('refuses a template without the pages the bench measures', () => {
    expect(() =>
      generatePeerSite(fakeTemplates(['shared/docs/intro.mdx']), join(temp(), 'site')),
    ).toThrow('the classic template has no docs/intro.mdx');
  });

  // The real template, when an earlier bench run fetched it into the cache (no network here).
  const cached = join(peerCacheDir(docusaurusVersion()), 'create-docusaurus/package/templates');
  it.runIf(existsSync(cached))('makes a site with the real classic template’s pages', () => {
    const site = join(temp(), 'site');
    generatePeerSite(cached, site);
    const config = readFileSync(join(site, 'docusaurus.config.js'), 'utf8');
    expect(config).toContain("'classic'");
    expect(existsSync(join(site, 'docs/intro.mdx'))).toBe(true);
    expect(existsSync(join(site, 'src/pages/index.js'))).toBe(true);
  });
});

describe('the peer cache', () => {
  it('is git-ignored and named for the installed Docusaurus, the same for core and preset', () => {
    const version = docusaurusVersion();
    const preset = join(ROOT, 'node_modules/@docusaurus/preset-classic/package.json');
    expect((JSON.parse(readFileSync(preset, 'utf8')) as { version: string }).version).toBe(version);
    const dir = peerCacheDir(version);
    expect(dir.endsWith(`docusaurus-${version}`)).toBe(true);
    const ignored = spawnSync('git', ['check-ignore', '-q', join(dir, 'site/package.json')], {
      cwd: ROOT,
    });
    expect(ignored.status).toBe(0);
  });
});
