// What the browser tests need, and where: Debian's Chromium and the built site (build/).
// Outside CI a missing part skips them with a line saying how to enable them; in CI it fails.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '../..');
/** build/ by default; STATELAB_SITE_BUILD points at another build (npx docusaurus build --out-dir DIR). */
export const BUILD = process.env.STATELAB_SITE_BUILD ?? join(ROOT, 'build');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

/** The parts that are missing, each with how to get it; empty when the browser tests can run. */
export function missingForBrowserTests(): string[] {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (Debian: apt-get install chromium)`);
  if (!existsSync(join(BUILD, 'index.html'))) missing.push('the built site build/ (npm run build)');
  return missing;
}

/** Every page of the build as a route: build/docs/intro.html → /docs/intro, build/index.html → /. */
export function routesInBuild(): string[] {
  return readdirSync(BUILD, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map(
      (f) =>
        `/${f
          .replace(/\\/g, '/')
          .replace(/(^|\/)index\.html$/, '')
          .replace(/\.html$/, '')}`,
    )
    .sort();
}

/** Mermaid fences per docs route, from the page sources: docs/03-stateful-servers.mdx → /docs/stateful-servers. */
export function mermaidFencesByRoute(): Map<string, number> {
  const counts = new Map<string, number>();
  const docs = join(ROOT, 'docs');
  for (const file of readdirSync(docs, { recursive: true, encoding: 'utf8' })) {
    if (!/\.mdx?$/.test(file)) continue;
    const id = relative(docs, join(docs, file))
      .replace(/\\/g, '/')
      .replace(/\.mdx?$/, '')
      .replace(/(^|\/)\d+-/g, '$1');
    const fences = readFileSync(join(docs, file), 'utf8').match(/^\s*```mermaid\b/gm)?.length ?? 0;
    counts.set(`/docs/${id}`, fences);
  }
  return counts;
}
