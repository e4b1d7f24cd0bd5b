// The stand-ins plugin (./stand-ins.ts) replaces exactly the imports Docusaurus's own modules make
// of the three modules it stands in for, as Docusaurus 3.10 writes them, in the browser's bundle
// only; an import of the same name from anywhere else is left alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LoadContext } from '@docusaurus/types';
import { describe, expect, it } from 'vitest';
import standIns from './stand-ins';

const SITE = join(__dirname, '../..');
const require = createRequire(join(SITE, 'package.json'));
const themeCommon = dirname(require.resolve('@docusaurus/theme-common'));
const coreClient = join(dirname(require.resolve('@docusaurus/core/package.json')), 'lib/client');

type Data = { context: string; request: string; createData?: unknown };
class FakeReplacement {
  constructor(
    readonly pattern: RegExp,
    readonly replace: (data: Data) => void,
  ) {}
}

/** What the plugin makes of `request` imported from a module in `context`. */
function resolved(context: string, request: string, isServer = false): string {
  const plugin = standIns({ siteDir: SITE } as LoadContext);
  const config = plugin.configureWebpack!(
    {} as never,
    isServer,
    { currentBundler: { instance: { NormalModuleReplacementPlugin: FakeReplacement } } } as never,
    {} as never,
  ) as { plugins?: FakeReplacement[] };
  const data: Data = { context, request };
  for (const p of config.plugins ?? []) if (p.pattern.test(data.request)) p.replace(data);
  return data.request;
}

describe('the stand-ins plugin', () => {
  // Each import as Docusaurus's module writes it (read from the module, so an upgrade that moves it
  // fails here), and the file it then gets.
  it.each([
    [join(themeCommon, 'index.js'), './hooks/useWindowSize', 'src/theme/use-window-size.ts'],
    [
      join(themeCommon, 'contexts/navbarMobileSidebar.js'),
      '../hooks/useWindowSize',
      'src/theme/use-window-size.ts',
    ],
    [join(coreClient, 'App.js'), './browserContext', 'src/theme/browser-context.tsx'],
    [
      join(coreClient, 'exports/useIsBrowser.js'),
      '../browserContext',
      'src/theme/browser-context.tsx',
    ],
    [join(themeCommon, 'utils/scrollUtils.js'), './reactUtils', 'src/theme/react-utils.tsx'],
  ])("%s: %s is the site's %s", (importer, request, standIn) => {
    expect(readFileSync(importer, 'utf8')).toContain(`'${request}'`);
    expect(resolved(dirname(importer), request)).toBe(join(SITE, standIn));
    expect(existsSync(join(SITE, standIn))).toBe(true);
  });

  // Every import of the three, anywhere in those packages' directories: none is left to
  // Docusaurus's own (which would put two copies in the bundle, theirs still used by some).
  it.each([
    ['theme-common/lib', 'reactUtils', 'src/theme/react-utils.tsx'],
    ['core/lib/client', 'browserContext', 'src/theme/browser-context.tsx'],
    ['theme-common/lib', 'useWindowSize', 'src/theme/use-window-size.ts'],
  ])("every import in %s of %s is the site's", (where, name, standIn) => {
    const dir = where === 'core/lib/client' ? coreClient : themeCommon;
    const imports = (readdirSync(dir, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...readFileSync(join(dir, file), 'utf8').matchAll(/from '(\.[^']*)'/g)]
          .map((m) => m[1])
          .filter((request) => request.replace(/\.js$/, '').split('/').pop() === name)
          .map((request) => [dirname(join(dir, file)), request] as const),
      );
    expect(imports.length, `imports of ${name}`).toBeGreaterThan(1);
    const missed = imports.filter(
      ([from, request]) => resolved(from, request) !== join(SITE, standIn),
    );
    expect(missed).toEqual([]);
  });

  it("leaves the server's bundle, and the same names imported from elsewhere, alone", () => {
    expect(resolved(coreClient, './browserContext', true)).toBe('./browserContext');
    expect(resolved(join(SITE, 'src/theme'), './browserContext')).toBe('./browserContext');
    expect(resolved(join(SITE, 'src'), '../hooks/useWindowSize')).toBe('../hooks/useWindowSize');
  });
});
