// A Docusaurus plugin that writes into every production build what it was built from (a hash of
// the site's inputs, tools/site-inputs.ts), whoever ran the build: `npm start`, `npm run build` or CI.
// `npm start` serves such a build as it is while nothing changed, and builds again otherwise.
import type { LoadContext, Plugin } from '@docusaurus/types';
import { siteInputsHash, STAMP_FILE, writeStamp } from '../../tools/site-inputs';

export default function buildStamp(context: LoadContext): Plugin {
  // `docusaurus build` sets NODE_ENV before it loads plugins; the dev server writes no build.
  const building = process.env.NODE_ENV === 'production';
  // Hashed before the build reads anything, and again after it: a file saved in between may or may
  // not be in the build, so then no stamp is written and the next `npm start` builds again.
  const before = building ? siteInputsHash(context.siteDir) : undefined;
  return {
    name: 'statelab-build-stamp',
    postBuild({ outDir }) {
      const after = siteInputsHash(context.siteDir);
      if (after !== before) {
        console.warn(
          `[statelab] The site's sources changed during the build: no ${STAMP_FILE}, so the next ` +
            '`npm start` builds again.',
        );
        return;
      }
      writeStamp(outDir, after);
    },
  };
}
