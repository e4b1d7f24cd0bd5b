// Docusaurus prefetches the code of every page a link on screen leads to, as soon as the link shows
// (<Link>: an IntersectionObserver calls window.docusaurus.prefetch). A doc page's sidebar and
// navbar list every chapter and notebook, so as a page loads that is some thirty prefetches in one
// task, each matching the path against every route and adding <link rel="prefetch">: on a phone,
// one of the longest tasks the reader waits on. Here each prefetch waits for an idle moment, a few
// milliseconds' worth per idle callback: the same pages are prefetched, a moment later, in short
// tasks.
// src/theme/Root.tsx installs it once, on its first render (window.docusaurus exists by then).

interface IdleDeadline {
  timeRemaining(): number;
}
type Prefetch = Window['docusaurus']['prefetch'];

/** Gives window.docusaurus a prefetch that queues each call for an idle moment. */
export function prefetchWhenIdle(): void {
  const site = typeof window === 'undefined' ? undefined : window.docusaurus;
  if (!site || (site.prefetch as { whenIdle?: true }).whenIdle) return;
  const prefetch: Prefetch = site.prefetch.bind(site);
  const queue: string[] = [];
  let scheduled = false;
  const later = (run: (deadline: IdleDeadline) => void) =>
    'requestIdleCallback' in window
      ? window.requestIdleCallback(run, { timeout: 2000 })
      : setTimeout(() => run({ timeRemaining: () => 5 }), 50); // Safari has none
  // A few milliseconds a callback, not the whole idle period the browser offers (up to 50 ms): a
  // task that long is what this is here to avoid.
  const run = (deadline: IdleDeadline) => {
    const start = performance.now();
    do void prefetch(queue.shift()!);
    while (queue.length > 0 && performance.now() - start < 5 && deadline.timeRemaining() > 5);
    if (queue.length > 0) later(run);
    else scheduled = false;
  };
  const whenIdle = Object.assign(
    (routePath: string) => {
      queue.push(routePath);
      if (!scheduled) {
        scheduled = true;
        later(run);
      }
      return false as const; // as Docusaurus's prefetch answers for a path it will not fetch now
    },
    { whenIdle: true as const },
  );
  // Docusaurus's object is read-only: the window gets a copy with this prefetch (<Link> reads
  // window.docusaurus each time it prefetches).
  window.docusaurus = { ...site, prefetch: whenIdle };
}
