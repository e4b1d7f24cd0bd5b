// A Docusaurus plugin that makes Rspack's persistent cache (node_modules/.cache/rspack) start over
// when one of the site's own loaders changes, as it does when docusaurus.config.ts changes: a page's
// bundle holds what they cut from the files it quotes (CodeRegion/region-loader.cjs, the region a
// page shows; Figures/record-loader.cjs, what a page shows of a recorded run), and a cached cut made
// by an older loader would otherwise outlive it.
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

export const SITE_LOADERS = [
  'src/components/CodeRegion/region-loader.cjs',
  'src/components/CodeRegion/region.ts',
  'src/components/Figures/record-loader.cjs',
  'src/components/NotebookOutput/svg.ts',
];

export default function siteLoaders(context: LoadContext): Plugin {
  return {
    name: 'statelab-site-loaders',
    configureWebpack(config) {
      const cache = (config.experiments as { cache?: unknown } | undefined)?.cache;
      if (cache && typeof cache === 'object' && 'buildDependencies' in cache) {
        const dependencies = (cache as { buildDependencies?: string[] }).buildDependencies;
        dependencies?.push(...SITE_LOADERS.map((file) => join(context.siteDir, file)));
      }
      return {};
    },
  };
}
