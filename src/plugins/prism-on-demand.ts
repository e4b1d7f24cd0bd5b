// A Docusaurus plugin that takes Prism off every page's start, in the browser's bundle: Docusaurus's
// client module theme-classic/lib/prism-include-languages (which loads Prism and its languages at
// start) becomes src/theme/CodeBlock/prism/at-start.ts, which does nothing; code blocks load Prism
// when they need it (src/theme/CodeBlock/prism/index.ts). The alias is the path Docusaurus requires
// the module by (.docusaurus/client-modules.js). The server's bundle keeps the module.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

export default function prismOnDemand(context: LoadContext): Plugin {
  const require = createRequire(join(context.siteDir, 'package.json'));
  const startModule = require
    .resolve('@docusaurus/theme-classic/lib/prism-include-languages.js')
    .replace(/\.js$/, '');
  return {
    name: 'statelab-prism-on-demand',
    configureWebpack(_config, isServer) {
      if (isServer) return {};
      const standIn = join(context.siteDir, 'src/theme/CodeBlock/prism/at-start.ts');
      return {
        resolve: { alias: { [`${startModule}$`]: standIn, [`${startModule}.js$`]: standIn } },
      };
    },
  };
}
