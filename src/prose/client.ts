// The running half of ./rehype-static-prose.ts: where a page's plain prose comes from, now that the
// browser's bundle does not carry it, and what its links do.
//
// - While the page the server sent hydrates, each block is read back from it (its data-prose key),
//   as one string that React leaves as it is. The page's prose is never downloaded twice.
// - After a client-side navigation there is no such page: the page's module asks for its prose
//   (one small chunk, key → HTML) as soon as the bundler loads it, which Docusaurus does when a
//   link to the page is hovered or touched, and again before it shows the page. If it has not
//   arrived when the page renders, the page suspends (React's use()): the page before it stays on
//   screen until its words have come, as it does while the page's code loads. There is no Suspense
//   boundary around a page on purpose: on the server React writes a large boundary's content out
//   of place, for a script to move in, so a reader without JavaScript would see an empty page.
// - A link into the site inside such a block is a plain <a>, not Docusaurus's <Link>. On the
//   server, linked() tells Docusaurus about it (so onBrokenLinks still checks it); in the browser,
//   useProseLinks() (src/theme/Root.tsx) routes a click on it in the page and loads its page on
//   hover, as <Link> does.
//
// Strings are kept once read, so coming back to a page needs neither.
import { use, useEffect } from 'react';
import { useHistory } from '@docusaurus/router';
import useBrokenLinks from '@docusaurus/useBrokenLinks';

/** Every block's HTML read or fetched so far, by key ("p3a9c1-4"); keys never meet across pages. */
const known = new Map<string, string>();

/** Reads every block of prose in the document into `known`. */
function readDocument(): void {
  for (const el of Array.from(document.querySelectorAll('[data-prose]'))) {
    const key = el.getAttribute('data-prose')!;
    if (!known.has(key)) known.set(key, el.innerHTML);
  }
}

/** The lookup one page's blocks use, given the page's key and how to fetch its prose. */
export function proseOf(
  page: string,
  load: () => Promise<{ default: Record<string, string> }>,
): (key: string) => string {
  let loading: Promise<void> | undefined;
  const fetchAll = () =>
    (loading ??= load().then(
      (m) => {
        for (const [key, html] of Object.entries(m.default)) known.set(key, html);
      },
      (error: unknown) => {
        loading = undefined; // a dropped connection: the next render asks again
        throw error;
      },
    ));
  // Loaded for a page the server did not send: fetch its prose now, alongside the rest of it.
  if (typeof document !== 'undefined' && !document.querySelector(`[data-prose^="${page}-"]`))
    fetchAll().catch(() => undefined);
  return (key) => {
    if (!known.has(key)) readDocument();
    if (!known.has(key)) void fetchAll().catch(() => undefined);
    // Once this page has fetched, every block waits on that one fetch, each render alike: React
    // wants the same use() calls when it renders again after a wait. A fetch that has arrived
    // costs nothing; one under way suspends the page, and the page before it stays meanwhile.
    if (loading) use(loading);
    return known.get(key) ?? '';
  };
}

/** On the server: the block's HTML, after telling Docusaurus about each link into the site in it. */
export function linked(hrefs: string[], html: string): string {
  // A hook: MDX calls this while it renders the page, on the server only, once per block each
  // render (so in the same order every time), from the page's own component.
  // eslint-disable-next-line react-hooks/rules-of-hooks
  const links = useBrokenLinks();
  for (const href of hrefs) links.collectLink(href);
  return html;
}

/** The in-site target of a click or hover on a link in a block of prose, or undefined. */
function target(event: Event): string | undefined {
  if (!(event.target instanceof Element)) return undefined;
  const link = event.target.closest<HTMLAnchorElement>('[data-prose] a[href^="/"]');
  const href = link?.getAttribute('href');
  if (!link || !href || href.startsWith('//') || link.target) return undefined;
  return href;
}

/** Routes clicks on links into the site inside prose blocks in the page, as <Link> would. */
export function useProseLinks(): void {
  const history = useHistory();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const href = target(event);
      const plain =
        event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
      if (!href || !plain || event.defaultPrevented) return;
      event.preventDefault();
      history.push(href);
    };
    const onNear = (event: Event) => {
      const href = target(event);
      if (href) void window.docusaurus.preload(href.split('#')[0]!);
    };
    document.addEventListener('click', onClick);
    document.addEventListener('mouseover', onNear, { passive: true });
    document.addEventListener('touchstart', onNear, { passive: true });
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('mouseover', onNear);
      document.removeEventListener('touchstart', onNear);
    };
  }, [history]);
}
