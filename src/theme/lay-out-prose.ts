// Lays out, a few parts at a time in idle moments, the article a page did not lay out as it
// loaded (content-visibility: auto on each part far below the first screen, src/css/custom.css).
// A Docusaurus client module: it runs after each page renders, the first one included.
//
// Each part is laid out here, inside the idle slice (./idle-queue.ts: a few milliseconds each),
// rather than in the browser's next frame, where a whole batch would be one long task again. A part
// above the screen (the reader followed a link to a heading further down, or scrolled) changes
// height as it is laid out, from the estimate to its real height, and moves everything below it.
// Chromium's scroll anchoring is there to make up for that, but not always does (it left a heading
// 84 px off on a notebook page at 1280 px while it anchored on the docs sidebar, which
// src/css/custom.css no longer lets it): so the part the reader sees at the top of the screen is
// put back where it was, whatever the browser did. No part is laid out while the reader scrolls (a
// wheel, touch or key in the last second): any scroll of the page's own would cut theirs short,
// and the browser lays out what comes near the screen anyway.
//
// A jump to a heading inside the app (a link from search or the table of contents, Back) is
// Docusaurus's scrollIntoView(), measured against the estimates, and the parts the browser then lays
// out around the heading move it (by 2,200 px once): then the whole article is laid out at once,
// and the page scrolls to the heading again. Only on such a jump, not as the page loads.
import { firstPartBelow } from './first-part';
import { whenIdle } from './idle-queue';

/** What the page still has to scroll by: the browser scrolls by whole pixels (or device pixels),
 *  so the rest is carried over rather than lost a fraction at a time. */
let owed = 0;

/** When the reader last wheeled, touched or pressed a key (every scroll of theirs starts so): a
 *  scroll of theirs may be under way, and any scroll of the page's own would cut it short. (Not
 *  scroll events: the browser's own scroll anchoring sends them too.) */
let readerScrolledAt = -Infinity;
/** How long after that the page waits before it lays out another part: a fling goes on after the
 *  finger has left. */
const READER_SCROLL_MS = 1000;

function watchReader(): void {
  const mark = () => (readerScrolledAt = performance.now());
  for (const type of ['wheel', 'touchstart', 'touchmove', 'touchend', 'keydown', 'pointerdown'])
    window.addEventListener(type, mark, { passive: true, capture: true });
}

/** Lays one part out, keeping the part the reader sees where it was. */
function layOutPart(part: Element, parts: Element[]): void {
  if (part.hasAttribute('data-laid-out')) return;
  const seen = firstPartBelow(parts);
  const was = seen?.getBoundingClientRect().top ?? 0;
  part.setAttribute('data-laid-out', '');
  const now = (seen ?? part).getBoundingClientRect().top; // lays the part out, now
  owed += now - (seen ? was : now);
  if (Math.abs(owed) < 1) return; // a fraction of a pixel waits for the next part's
  const from = window.scrollY;
  window.scrollBy({ top: owed, behavior: 'instant' });
  owed -= window.scrollY - from;
}

let cancel: (() => void) | undefined;

/** Lays the page's article out part by part, one idle task each, none while the reader scrolls;
 *  marks the article once all are. After a page change inside the app, React may still be putting
 *  parts in (the rest of an article whose chunks came late, a part in place of another) once the
 *  route has updated: whatever comes is laid out too, and the mark holds only while every part
 *  the article has is laid out. */
export function layOutProse(): void {
  cancel?.();
  owed = 0;
  let article = document.querySelector('.theme-doc-markdown');
  if (!article) return;
  let next = 0;
  let stopped = false;
  /** No step is queued or waiting for the reader. */
  let resting = true;
  let unqueue = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue = () => {
    resting = false;
    unqueue = whenIdle(step);
  };
  const observer = new MutationObserver(() => {
    article?.removeAttribute('data-laid-out');
    next = 0;
    if (resting && !stopped) queue();
  });
  /** Watches `element` for parts put in or taken out; the mark of a page before is dropped (React
   *  may keep the article's element from one page to the next). */
  const watch = (element: Element) => {
    observer.disconnect();
    observer.observe(element, { childList: true });
    element.removeAttribute('data-laid-out');
  };
  function step() {
    resting = true;
    if (stopped) return;
    const since = performance.now() - readerScrolledAt;
    if (since < READER_SCROLL_MS) {
      resting = false;
      timer = setTimeout(queue, READER_SCROLL_MS - since);
      return;
    }
    if (!article?.isConnected) {
      article = document.querySelector('.theme-doc-markdown');
      if (!article) return;
      watch(article);
      next = 0;
    }
    const parts = Array.from(article.children);
    while (next < parts.length && parts[next].hasAttribute('data-laid-out')) next += 1;
    if (next === parts.length) {
      article.setAttribute('data-laid-out', 'all');
      return;
    }
    layOutPart(parts[next], parts);
    queue();
  }
  watch(article);
  queue();
  cancel = () => {
    stopped = true;
    observer.disconnect();
    unqueue();
    clearTimeout(timer);
  };
}

/** A jump inside the app to an element of the article: the article laid out, then the jump again. */
function jumpedTo(hash: string): void {
  const article = document.querySelector('.theme-doc-markdown');
  const target = hash ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
  if (!article || !target || !article.contains(target)) return;
  for (const part of Array.from(article.children)) part.setAttribute('data-laid-out', '');
  target.scrollIntoView();
}

let watching = false;

export function onRouteDidUpdate({
  location,
  previousLocation,
}: {
  location: { hash: string };
  previousLocation: unknown;
}): void {
  if (!watching) {
    watching = true;
    watchReader();
  }
  // On the first page, where the browser itself placed the reader (a link to a heading, a reload),
  // the article was laid out whole from the start (src/ssg-template.ts); after a jump inside the
  // app, Docusaurus scrolled with the estimates.
  if (previousLocation) jumpedTo(location.hash);
  layOutProse();
}
