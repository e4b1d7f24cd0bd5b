// A Docusaurus plugin that gives the search plugin ../search/mark.ts (mark.js loaded only when a
// page has words to highlight, whose unmark() skips a page with none) wherever it imports mark.js.
// The search plugin imports it by its resolved path (its generated.js:
// `export { default as Mark } from "<…>/mark.js/dist/mark.js"`), so the alias is that path;
// ../search/mark.ts loads mark.js from its minified build beside it.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

export default function searchMark(context: LoadContext): Plugin {
  const require = createRequire(join(context.siteDir, 'package.json'));
  return {
    name: 'statelab-search-mark',
    configureWebpack(_config, isServer) {
      if (isServer) return {};
      return {
        resolve: {
          alias: { [require.resolve('mark.js')]: join(context.siteDir, 'src/search/mark.ts') },
        },
      };
    },
  };
}
