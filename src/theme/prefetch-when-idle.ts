// Docusaurus prefetches the code of every page a link on screen leads to, as soon as the link shows
// (<Link>: an IntersectionObserver calls window.docusaurus.prefetch). A doc page's sidebar and
// navbar list every chapter and notebook, so as a page loads that is some thirty prefetches in one
// task, each matching the path against every route and adding <link rel="prefetch">: on a phone,
// one of the longest tasks the reader waits on. Here each prefetch waits for an idle moment, a few
// milliseconds' worth per idle callback: the same pages are prefetched, a moment later, in short
// tasks.
//
// A link to a docs page also prefetches, once, the chunk every docs page starts with (the docs'
// frame, src/plugins/docs-chunk.ts): Docusaurus prefetches a page's chunks by the names its routes
// give them, and no route names that one.
// src/theme/Root.tsx installs it once, on its first render (window.docusaurus exists by then).

import { whenIdle } from './idle-queue';

type Prefetch = Window['docusaurus']['prefetch'];

/** The bundler's runtime (Rspack, webpack's API): gca(name) is the address of the chunk so named,
 *  Docusaurus's ChunkAssetPlugin; it says "undefined" in it for a chunk there is not. */
declare const __webpack_require__: { gca?: (chunkName: string) => string } | undefined;

let docsFrameAsked = false;

/** Prefetches the docs' frame for a link to a docs page, unless this page has already loaded it:
 *  as Docusaurus's own helper does, a <link rel="prefetch">, or a fetch where there is none
 *  (Safari). */
function prefetchDocsFrame(routePath: string): void {
  // The development server has no such chunk (src/plugins/docs-chunk.ts is for production builds).
  if (process.env.NODE_ENV !== 'production') return;
  if (docsFrameAsked || !/^\/docs(\/|$)/.test(routePath)) return;
  docsFrameAsked = true;
  const path =
    typeof __webpack_require__ === 'undefined' ? undefined : __webpack_require__.gca?.('docs');
  if (!path || path.includes('undefined')) return; // no chunk of that name
  const href = new URL(path, location.href).href;
  if (performance.getEntriesByName(href).length > 0) return; // a docs page: it has it
  const link = document.createElement('link');
  if (!link.relList?.supports?.('prefetch')) {
    void fetch(href, { credentials: 'include' }).catch(() => {});
    return;
  }
  link.rel = 'prefetch';
  link.href = href;
  document.head.appendChild(link);
}

/** Gives window.docusaurus a prefetch that queues each call for an idle moment (./idle-queue.ts). */
export function prefetchWhenIdle(): void {
  const site = typeof window === 'undefined' ? undefined : window.docusaurus;
  if (!site || (site.prefetch as { whenIdle?: true }).whenIdle) return;
  const prefetch: Prefetch = site.prefetch.bind(site);
  const prefetchLater = Object.assign(
    (routePath: string) => {
      whenIdle(() => {
        // Docusaurus's prefetch answers false where it fetches nothing: a path it has prefetched,
        // or a reader saving data (Save-Data, a 2G connection). Nor then does the frame's.
        if (prefetch(routePath) !== false) prefetchDocsFrame(routePath);
      });
      return false as const; // as Docusaurus's prefetch answers for a path it will not fetch now
    },
    { whenIdle: true as const },
  );
  // Docusaurus's object is read-only: the window gets a copy with this prefetch (<Link> reads
  // window.docusaurus each time it prefetches).
  window.docusaurus = { ...site, prefetch: prefetchLater };
}
