// A Docusaurus plugin that gives theme-common ../theme/react-utils.tsx (its reactUtils, sorting
// without localeCompare) wherever it imports its own lib/utils/reactUtils, in the browser's
// bundle. theme-common imports it by relative paths ('../utils/reactUtils', './reactUtils'), which
// an alias does not see, so the request is replaced before it resolves, when it comes from inside
// theme-common's lib. The server's bundle keeps Docusaurus's (both render the same).
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

export default function reactUtils(context: LoadContext): Plugin {
  const require = createRequire(join(context.siteDir, 'package.json'));
  const lib = dirname(require.resolve('@docusaurus/theme-common')) + sep;
  const standIn = join(context.siteDir, 'src/theme/react-utils.tsx');
  return {
    name: 'statelab-react-utils',
    configureWebpack(_config, isServer, { currentBundler }) {
      if (isServer) return {};
      const { NormalModuleReplacementPlugin } = currentBundler.instance;
      return {
        plugins: [
          new NormalModuleReplacementPlugin(
            /^\.\.?\/(?:\.\.\/)*(?:utils\/)?reactUtils(?:\.js)?$/,
            (data: { context: string; request: string; createData?: unknown }) => {
              if (!data.createData && (data.context + sep).startsWith(lib)) data.request = standIn;
            },
          ),
        ],
      };
    },
  };
}
