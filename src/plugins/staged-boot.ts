// A Docusaurus plugin that makes src/boot/staged-entry.ts the browser bundle's entry in a production
// build: it starts Docusaurus's own client entry in several tasks rather than one (see that
// file). The development server (`npm run dev`) keeps Docusaurus's entry, with its hot reload.
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

export default function stagedBoot(context: LoadContext): Plugin {
  return {
    name: 'statelab-staged-boot',
    configureWebpack(config, isServer) {
      if (isServer || config.mode !== 'production') return {};
      config.entry = join(context.siteDir, 'src/boot/staged-entry.ts');
      return {};
    },
  };
}
