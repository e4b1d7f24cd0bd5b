// Docusaurus prefetches the code of every page a link on screen leads to, as soon as the link shows
// (<Link>: an IntersectionObserver calls window.docusaurus.prefetch). A doc page's sidebar and
// navbar list every chapter and notebook, so as a page loads that is some thirty prefetches in one
// task, each matching the path against every route and adding <link rel="prefetch">: on a phone,
// one of the longest tasks the reader waits on. Here each prefetch waits for an idle moment, a few
// milliseconds' worth per idle callback: the same pages are prefetched, a moment later, in short
// tasks.
// src/theme/Root.tsx installs it once, on its first render (window.docusaurus exists by then).

import { whenIdle } from './idle-queue';

type Prefetch = Window['docusaurus']['prefetch'];

/** Gives window.docusaurus a prefetch that queues each call for an idle moment (./idle-queue.ts). */
export function prefetchWhenIdle(): void {
  const site = typeof window === 'undefined' ? undefined : window.docusaurus;
  if (!site || (site.prefetch as { whenIdle?: true }).whenIdle) return;
  const prefetch: Prefetch = site.prefetch.bind(site);
  const prefetchLater = Object.assign(
    (routePath: string) => {
      whenIdle(() => void prefetch(routePath));
      return false as const; // as Docusaurus's prefetch answers for a path it will not fetch now
    },
    { whenIdle: true as const },
  );
  // Docusaurus's object is read-only: the window gets a copy with this prefetch (<Link> reads
  // window.docusaurus each time it prefetches).
  window.docusaurus = { ...site, prefetch: prefetchLater };
}
