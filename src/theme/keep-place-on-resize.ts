// Keeps the reader's place in the article when its width changes: a tablet or phone turned, a
// window made wider or narrower, the docs sidebar coming or going at 997 px. Every line of the
// article reflows then, and the text at the top of the screen used to move away, by hundreds of
// pixels or off the screen: the browser's scroll anchoring stands aside when the width of the
// element it anchors on, or of one around it, changes (a reflow is exactly that).
// A Docusaurus client module: it runs after each page renders, the first one included.
//
// The place is the part of the article (a paragraph, list, code block...) at the top of what the
// reader sees, just below the navbar, and how far into it the reader is, as a share of its height:
// noted as the reader scrolls, and given back, by a scroll of the page's own, each time the
// article's width has changed (a ResizeObserver: after the browser has laid the page out, before
// it paints). The page's own changes of height, as ./lay-out-prose.ts lays parts out, leave the
// width as it is, and that module keeps the place itself.

import { firstLine, partAtLine } from './first-part';

/** Where the reader is: a part of the article, and the share of its height above the line the
 *  reader sees first (0 when the part starts on or below that line). */
interface Place {
  part: Element;
  /** The part's top minus the line's, when the part starts on or below it (>= 0). */
  below: number;
  /** The share of the part's height above the line, when the part starts above it (0 to 1). */
  share: number;
  /** The article's width when this was noted. */
  width: number;
}

let place: Place | undefined;
let stop: (() => void) | undefined;

function note(article: Element): void {
  if (window.scrollY <= 0) {
    place = undefined; // at the top of the page, the top of the page is the place
    return;
  }
  const line = firstLine();
  const at = partAtLine(Array.from(article.children), line);
  place = at && {
    part: at.part,
    below: Math.max(0, at.box.top - line),
    share: at.share,
    width: article.getBoundingClientRect().width,
  };
}

function giveBack(article: Element): void {
  if (!place || !place.part.isConnected) return note(article);
  const line = firstLine();
  const box = place.part.getBoundingClientRect();
  const top = place.share > 0 ? line - place.share * box.height : line + place.below;
  const by = Math.round(box.top - top);
  if (by !== 0) window.scrollBy({ top: by, behavior: 'instant' });
  place.width = article.getBoundingClientRect().width;
}

function keepPlace(article: Element): () => void {
  let queued = false;
  const onScroll = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      // A width that changed since the place was noted is the observer's to answer: noting the
      // place now would note where the reflow left the reader.
      if (place && article.getBoundingClientRect().width !== place.width) return;
      note(article);
    });
  };
  const observer = new ResizeObserver(() => {
    if (!place) return note(article);
    if (article.getBoundingClientRect().width !== place.width) giveBack(article);
  });
  window.addEventListener('scroll', onScroll, { passive: true });
  observer.observe(article);
  return () => {
    window.removeEventListener('scroll', onScroll);
    observer.disconnect();
  };
}

export function onRouteDidUpdate(): void {
  stop?.();
  stop = undefined;
  place = undefined;
  const article = document.querySelector('.theme-doc-markdown');
  if (!article || typeof ResizeObserver === 'undefined') return;
  stop = keepPlace(article);
}
