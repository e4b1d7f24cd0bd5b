// A Docusaurus plugin that puts what every docs page needs before it can hydrate into one chunk of
// the browser's bundle: the docs' layout routes (DocsRoot, DocVersionRoot, DocRoot), the page's
// frame (DocItem), the docs plugin's data and the version's sidebar, and the code they share.
//
// Docusaurus gives each of those a chunk of its own, and splits the code they share into more, so a
// docs page asked for nine chunks as it started (issue 18): six of them under 12 KB, three under
// 1 KB. Each is a <script> the start adds (src/boot/staged-entry.ts), and a <script> added while
// the page loads cost up to 10 ms in Chromium's fetch, against 1-2 ms once loaded. Here a docs page
// asks for two: this one and the page's own. The first docs page a reader opens caches this chunk
// for every other one, as it cached the nine. No route names this chunk, so Docusaurus's prefetch
// of a linked docs page does not fetch it: src/theme/prefetch-when-idle.ts does.
//
// A module goes here when it is in a chunk one of those routes asked for (the `origins` the bundler,
// Rspack, records for each chunk group), and it leaves only those chunks and the docs pages' own: a
// chunk of the 404 page, search or an island that shares a module with the frame keeps its own copy,
// so no page outside the docs asks for this one (an unknown address under /docs/ is inside: the
// docs' layout shows its "not found"). Production only: the development server keeps
// Docusaurus's chunks. tests/site/docs-chunk.test.ts checks what each kind of page asks for.
import type { Plugin } from '@docusaurus/types';

/** The import() requests of the routes every docs page goes through (.docusaurus/registry.js). */
const DOCS_FRAME = [
  /^@theme\/(DocsRoot|DocVersionRoot|DocRoot|DocItem)$/,
  /docusaurus-plugin-content-docs\/default\/(__plugin|p\/docs-[0-9a-f]+)\.json$/,
];
/** The import() request of a docs page's content. */
const DOCS_PAGE = /^@site\/docs\/.+\.mdx?$/;

interface Chunk {
  groupsIterable: Iterable<{ origins?: { request?: string }[] }>;
}
interface ChunkGraph {
  getModuleChunksIterable(module: unknown): Iterable<Chunk>;
}

/** Whether an import() matching one of `requests` asked for `chunk`. */
function askedFor(chunk: Chunk, requests: RegExp[]): boolean {
  for (const group of chunk.groupsIterable)
    for (const { request = '' } of group.origins ?? [])
      if (requests.some((wanted) => wanted.test(request))) return true;
  return false;
}

const isFrameChunk = (chunk: Chunk) => askedFor(chunk, DOCS_FRAME);

export default function docsChunk(): Plugin {
  return {
    name: 'statelab-docs-chunk',
    configureWebpack(config, isServer) {
      const split = config.optimization?.splitChunks;
      if (isServer || config.mode !== 'production' || !split || !split.cacheGroups) return {};
      split.cacheGroups.docs = {
        name: 'docs',
        // Taken out of the frame's chunks and the docs pages' only: any other chunk that shares a
        // module with the frame (the 404 page's, search's, an island's) keeps its own copy of it.
        chunks: (chunk) => askedFor(chunk, [...DOCS_FRAME, DOCS_PAGE]),
        test: (module, { chunkGraph }) =>
          [...(chunkGraph as ChunkGraph).getModuleChunksIterable(module)].some(isFrameChunk),
        enforce: true, // whatever its size, and however many chunks share a module
        priority: 45, // above Docusaurus's 'common' (40), below its one CSS file (50)
      };
      return {};
    },
  };
}
