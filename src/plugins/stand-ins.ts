// A Docusaurus plugin that puts a few modules of the site's own in place of Docusaurus's, in the
// browser's bundle only (the server renders the same with theirs). Each stand-in is Docusaurus's
// module with one change, said at its top:
// - src/theme/react-utils.tsx for theme-common's utils/reactUtils: sorts without localeCompare;
// - src/theme/browser-context.tsx for core's client/browserContext: useIsBrowser() turns true in
//   a transition;
// - src/theme/use-window-size.ts for theme-common's hooks/useWindowSize: the first size is set in
//   a transition.
// Docusaurus imports these modules by relative paths ('./reactUtils', '../hooks/useWindowSize'),
// which an alias does not see, so each request is replaced before it resolves, when it comes from
// inside the package's own directory.
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

interface StandIn {
  /** The directory the importing module is in, or under. */
  within: string;
  /** The request as Docusaurus's modules write it. */
  request: RegExp;
  /** The site's module, from the site's directory. */
  file: string;
}

export default function standIns(context: LoadContext): Plugin {
  const require = createRequire(join(context.siteDir, 'package.json'));
  const themeCommon = dirname(require.resolve('@docusaurus/theme-common')) + sep;
  const coreClient =
    join(dirname(require.resolve('@docusaurus/core/package.json')), 'lib/client') + sep;
  const standIns: StandIn[] = [
    {
      within: themeCommon,
      request: /^\.\.?\/(?:\.\.\/)*(?:utils\/)?reactUtils(?:\.js)?$/,
      file: 'src/theme/react-utils.tsx',
    },
    {
      within: coreClient,
      request: /^\.\.?\/(?:\.\.\/)*browserContext(?:\.js)?$/,
      file: 'src/theme/browser-context.tsx',
    },
    {
      within: themeCommon,
      request: /^\.\.?\/(?:\.\.\/)*(?:hooks\/)?useWindowSize(?:\.js)?$/,
      file: 'src/theme/use-window-size.ts',
    },
  ];
  return {
    name: 'statelab-stand-ins',
    configureWebpack(_config, isServer, { currentBundler }) {
      if (isServer) return {};
      const { NormalModuleReplacementPlugin } = currentBundler.instance;
      return {
        plugins: standIns.map(
          ({ within, request, file }) =>
            new NormalModuleReplacementPlugin(
              request,
              (data: { context: string; request: string; createData?: unknown }) => {
                if (!data.createData && (data.context + sep).startsWith(within))
                  data.request = join(context.siteDir, file);
              },
            ),
        ),
      };
    },
  };
}
