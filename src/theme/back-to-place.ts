// Back (or Forward) to a page of the site puts the reader where they were on it.
// A Docusaurus client module: it runs as each page is left and after each page renders.
//
// The browser gives back the scroll position in pixels, measured on the page as it was laid out
// when the reader left it. But the page comes back with its far parts not laid out (each at an
// estimated height: code blocks, printed tables and, on a long chapter, prose; see
// src/css/custom.css), and the estimates above the reader's place are not the heights they had: on
// a notebook page on a phone the reader came back 1,700 to 2,800 px away from where they were, in
// the middle of another code block. So, as a page is left, its place is noted the way
// ./keep-place-on-resize.ts notes it (the part of the article at the top of the screen, and where
// its top was), and when the reader comes back to that same visit of the page (Back or Forward to
// its entry in the history), the whole article is laid out at once and the place is given back:
// in the render, and again in the next frame, after the browser has put back its own pixels. One
// long task, on Back only, against a place lost.
import type { ClientModule } from '@docusaurus/types';
import { firstPartBelow } from './first-part';

/** Where the reader was: the index of a part of the article, and its top (px from the top of the
 *  screen, negative when the reader was inside it). */
interface Place {
  path: string;
  part: number;
  top: number;
}

/** The place on each visit of a page, by its entry in the history (a new entry, a new key; the
 *  first page loaded has none). */
const places = new Map<string, Place>();

type Location = { pathname: string; key?: string };
const entry = (location: Location) => location.key ?? '(the first page loaded)';

/** Lays out every part, code block and table of the article now (the CSS of data-whole). */
function layOutWhole(article: Element): Element[] {
  const parts = Array.from(article.children);
  for (const part of parts) part.setAttribute('data-laid-out', '');
  article.setAttribute('data-whole', '');
  return parts;
}

/** When the reader last wheeled, touched or pressed a key: after that, the place is theirs. */
let readerActedAt = -Infinity;
if (typeof window !== 'undefined') {
  const mark = () => (readerActedAt = performance.now());
  for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown'])
    window.addEventListener(type, mark, { passive: true, capture: true });
}

export const onRouteUpdate: ClientModule['onRouteUpdate'] = ({ location, previousLocation }) => {
  if (!previousLocation) return;
  const article = document.querySelector('.theme-doc-markdown');
  if (!article) return;
  const parts = Array.from(article.children);
  const part = firstPartBelow(parts) ?? parts.at(-1);
  if (part) {
    places.set(entry(previousLocation), {
      path: previousLocation.pathname,
      part: parts.indexOf(part),
      top: part.getBoundingClientRect().top,
    });
  }
  // React may keep the article's element for the next page: that one is laid out as usual.
  if (location.pathname !== previousLocation.pathname) article.removeAttribute('data-whole');
};

export const onRouteDidUpdate: ClientModule['onRouteDidUpdate'] = ({
  location,
  previousLocation,
}) => {
  const place = previousLocation ? places.get(entry(location)) : undefined;
  const article = document.querySelector('.theme-doc-markdown');
  if (!place || place.path !== location.pathname || !article) return;
  const parts = layOutWhole(article);
  const came = performance.now();
  const giveBack = () => {
    const part = parts[place.part];
    if (!part?.isConnected || readerActedAt > came) return;
    window.scrollBy({ top: part.getBoundingClientRect().top - place.top, behavior: 'instant' });
  };
  giveBack();
  requestAnimationFrame(giveBack); // after the browser's own restoration, which comes later
};
