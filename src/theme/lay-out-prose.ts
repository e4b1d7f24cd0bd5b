// Lays out, a few parts at a time in idle moments, the article a page did not lay out as it
// loaded (content-visibility: auto on each part far below the first screen, src/css/custom.css).
// A Docusaurus client module: it runs after each page renders, the first one included.
//
// Each part is laid out here, inside the idle slice (./idle-queue.ts: a few milliseconds each),
// rather than in the browser's next frame, where a whole batch would be one long task again. A part
// above the screen (the reader followed a link to a heading further down, or scrolled) changes
// height as it is laid out, from the estimate to its real height, and moves everything below it.
// Chromium's scroll anchoring makes up for some of that, not all (on a notebook page a heading the
// reader had come to moved up 84 px): so the part the reader sees at the top of the screen is put
// back where it was, whatever the browser did.
import { whenIdle } from './idle-queue';

/** What the page still has to scroll by: the browser scrolls by whole pixels (or device pixels),
 *  so the rest is carried over rather than lost a fraction at a time. */
let owed = 0;

/** The first of the parts the reader sees: the first whose bottom is below the top of the screen
 *  (parts are laid out one below the other, so a binary search finds it). */
function firstSeen(parts: Element[]): Element | undefined {
  let low = 0;
  let high = parts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (parts[mid].getBoundingClientRect().bottom > 0) high = mid;
    else low = mid + 1;
  }
  return parts[low];
}

/** Lays one part out, keeping the part the reader sees where it was. */
export function layOutPart(part: Element, parts: Element[]): void {
  if (part.hasAttribute('data-laid-out')) return;
  const seen = firstSeen(parts);
  const was = seen?.getBoundingClientRect().top ?? 0;
  part.setAttribute('data-laid-out', '');
  const now = (seen ?? part).getBoundingClientRect().top; // lays the part out, now
  owed += now - (seen ? was : now);
  if (Math.abs(owed) < 0.01) return;
  const from = window.scrollY;
  window.scrollBy({ top: owed, behavior: 'instant' });
  owed -= window.scrollY - from;
}

let cancel: (() => void) | undefined;

/** Queues every part of the page's article for an idle moment; marks the article once all are. */
export function layOutProse(): void {
  cancel?.();
  owed = 0;
  const article = document.querySelector('.theme-doc-markdown');
  if (!article) return;
  const parts = Array.from(article.children);
  const queued = parts
    .filter((part) => !part.hasAttribute('data-laid-out'))
    .map((part) => whenIdle(() => layOutPart(part, parts)));
  queued.push(whenIdle(() => article.setAttribute('data-laid-out', 'all')));
  cancel = () => queued.forEach((unqueue) => unqueue());
}

export function onRouteDidUpdate(): void {
  layOutProse();
}
