// A Docusaurus plugin that tells the site's code which bundle it is in, at build time:
// process.env.STATELAB_SERVER_RENDER is true in the server's bundle (which renders each page's HTML)
// and false in the browser's, so the bundler drops from the browser's what only the server needs
// (src/components/Island: the server's own copy of an island's component).
import type { Plugin } from '@docusaurus/types';

export default function serverRenderFlag(): Plugin {
  return {
    name: 'statelab-server-render-flag',
    configureWebpack(_config, isServer, utils) {
      const { DefinePlugin } = utils.currentBundler.instance;
      return {
        plugins: [
          new DefinePlugin({ 'process.env.STATELAB_SERVER_RENDER': JSON.stringify(isServer) }),
        ],
      };
    },
  };
}
