// Back (or Forward) to a page of the site, or a reload of it, puts the reader where they were on it.
// A Docusaurus client module: it runs as each page is left and after each page renders.
//
// The browser gives back the scroll position in pixels, measured on the page as it was laid out
// when the reader left it. But the page comes back with its far parts not laid out (each at an
// estimated height: code blocks, printed tables and, on a long chapter, prose; see
// src/css/custom.css), and the estimates above the reader's place are not the heights they had: on
// a notebook page on a phone the reader came back 1,700 to 2,800 px away from where they were, in
// the middle of another code block. So the place in each entry of the history is noted as the
// reader scrolls, the way ./keep-place-on-resize.ts notes it (partAtLine, ./first-part.ts: the
// part of the article at the top of the screen, where its top is, and how far into it that is),
// and when the reader comes back to that entry (Back or Forward) the whole article is laid out at
// once and the place is given back: in the render, and again in the next frame, after the browser
// has put back its own pixels. One long task, on Back only, against a place lost. The same on a
// reload, or on Back to another document: the page is laid out whole from the start there
// (src/ssg-template.ts), and the pixels were measured with estimates (665 px off on a reload).
// Places outlive the page in the tab's sessionStorage: after a reload, Back to an entry of the
// app is the app's to answer.
//
// Noted as the reader scrolls, not as they leave: a link to a heading on the same page (the table
// of contents) is followed by the browser itself, which has scrolled to the heading before the app
// hears of it. Nothing is noted from the moment a navigation begins until its page has rendered,
// when what is on the screen belongs to neither entry.
import type { ClientModule } from '@docusaurus/types';
import { firstLine, firstPartBelow, partAtLine } from './first-part';

/** Where the reader was: the part of the article at the top of what they saw (just below the
 *  navbar), by its index, its top (px from the top of the screen) and the share of its height
 *  above that line; and the article's width then, since a part whose width changed reflows to
 *  another height. */
interface Place {
  path: string;
  part: number;
  top: number;
  share: number;
  width: number;
  /** Inside a code block taller than what is above the screen: the line at the top of the screen,
   *  by its index in the block, and its top. Exact at any width, where the share is not. */
  line?: { index: number; top: number };
}

/** The lines of the code blocks in a part. */
const linesOf = (part: Element) => Array.from(part.querySelectorAll('pre code > *'));

/** When the reader last wheeled, touched or pressed a key (-Infinity: not yet, in this document).
 *  The script at the end of a reloaded page notes any of those that come before this module runs
 *  (statelabActedAt, src/ssg-template.ts). */
let readerActedAt = -Infinity;
/** The place on the screen is the reader's, to be noted as it moves: they have acted, or the page
 *  has put back the place they had. Until then a page loading at a heading is still settling. */
let placeIsTheirs = false;

/** The place in each entry of the history, by its key; the latest few hundred. */
const places = new Map<string, Place>();
const MOST_PLACES = 300;

/** Where the places wait while the page is gone (a reload, another site in the same tab): the
 *  tab's sessionStorage, which lasts as long as the tab's history does. After a reload, Back to
 *  an entry of the app is the app's to answer, not the browser's, and it used to find no place. */
const STORE = 'statelab-places';

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Whether what was read back is a place (sessionStorage is the page's to write, but another
 *  version of the site may have written it). */
function isPlace(value: unknown): value is Place {
  const place = value as Partial<Place> | null;
  const line = place?.line as Partial<NonNullable<Place['line']>> | null | undefined;
  return (
    typeof place === 'object' &&
    place !== null &&
    typeof place.path === 'string' &&
    [place.part, place.top, place.share, place.width].every(isNumber) &&
    (line === undefined ||
      (typeof line === 'object' && line !== null && isNumber(line.index) && isNumber(line.top)))
  );
}

function readPlaces(): void {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(STORE) ?? '[]');
    if (!Array.isArray(saved)) return;
    for (const entry of saved as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isPlace(entry[1])) continue;
      places.set(entry[0], entry[1]);
    }
    while (places.size > MOST_PLACES) places.delete(places.keys().next().value!);
  } catch {
    // No storage (the browser's settings block it), or not JSON: places last as the page does.
  }
}

/** Notes the place as it is now, and keeps every place for the next document of this tab: as the
 *  page goes (a reload, another site), and as it is hidden (a phone may end a tab in the
 *  background without telling the page it goes). */
function savePlaces(): void {
  note();
  try {
    sessionStorage.setItem(STORE, JSON.stringify([...places]));
  } catch {
    // No storage, or full: places older than these must not come back after a reload.
    try {
      sessionStorage.removeItem(STORE);
    } catch {
      // No storage at all: nothing was kept.
    }
  }
}

/** The key of the entry of the history the reader is on. The router gives each entry it makes a
 *  key; one the browser made itself (a link to a heading) or the first page loaded has none, and
 *  gets one here, in the same place, where the router reads it when the reader comes back: only
 *  once the reader has done something, since while a page loaded at a heading is still settling,
 *  a change of its entry could stop the browser keeping the heading in view. */
function entryKey(): string | undefined {
  const state = (window.history.state ?? {}) as { key?: unknown };
  if (typeof state.key === 'string') return state.key;
  if (!placeIsTheirs) return undefined;
  const key = Math.random().toString(36).slice(2, 8);
  window.history.replaceState({ ...state, key }, '');
  return key;
}

/** From a navigation's start until its page has rendered. */
let navigating = false;
let navigatingTimer: ReturnType<typeof setTimeout> | undefined;
function startNavigating(): void {
  navigating = true;
  clearTimeout(navigatingTimer);
  navigatingTimer = setTimeout(() => (navigating = false), 5000); // a page that never came
}

function note(): void {
  // Nothing before the reader has done anything: there is no place of theirs yet, and reading
  // the layout on every scroll of a page still loading at a heading could move when the browser
  // lays out what keeps the heading in view.
  if (navigating || !placeIsTheirs) return;
  const article = document.querySelector('.theme-doc-markdown');
  if (!article) return;
  const parts = Array.from(article.children);
  const seen = firstLine();
  const at = partAtLine(parts, seen, true);
  if (!at) return;
  const { part, box, share } = at;
  const lines = box.top < seen ? linesOf(part) : [];
  const line = lines.length > 0 ? firstPartBelow(lines, seen) : undefined;
  const key = entryKey();
  if (key === undefined) return;
  places.delete(key); // the latest last
  places.set(key, {
    path: window.location.pathname,
    part: parts.indexOf(part),
    top: box.top,
    share,
    width: article.getBoundingClientRect().width,
    line: line && { index: lines.indexOf(line), top: line.getBoundingClientRect().top },
  });
  if (places.size > MOST_PLACES) places.delete(places.keys().next().value!);
}

if (typeof window !== 'undefined') {
  readPlaces();
  window.addEventListener('pagehide', savePlaces);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') savePlaces();
  });
  // Back to this page from the browser's cache: another page of the tab may have noted places since.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) readPlaces();
  });
  const early = (window as { statelabActedAt?: number }).statelabActedAt;
  if (early !== undefined) {
    readerActedAt = early;
    placeIsTheirs = true;
  }
  const mark = () => {
    readerActedAt = performance.now();
    placeIsTheirs = true;
  };
  for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown'])
    window.addEventListener(type, mark, { passive: true, capture: true });
  // A press may follow a link, a key may go Back: the place as it is now, before either moves it.
  for (const type of ['keydown', 'pointerdown'])
    window.addEventListener(type, note, { passive: true, capture: true });
  window.addEventListener('popstate', startNavigating, { capture: true });
  let queued = false;
  window.addEventListener(
    'scroll',
    () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        note();
      });
    },
    { passive: true },
  );
}

/** The page was reloaded, or reached again by Back or Forward from another document: the browser
 *  puts back its pixels, measured on the page as it was laid out then (with estimates where the
 *  reader had not been), on a page now laid out whole (src/ssg-template.ts); the place noted before
 *  is more exact. */
function reopened(): boolean {
  const navigation = performance.getEntriesByType?.('navigation')[0] as
    PerformanceNavigationTiming | undefined;
  return navigation?.type === 'reload' || navigation?.type === 'back_forward';
}

export const onRouteUpdate: ClientModule['onRouteUpdate'] = ({ location, previousLocation }) => {
  if (!previousLocation) return;
  startNavigating();
  // React may keep the article's element for the next page: that one is laid out as usual.
  if (location.pathname !== previousLocation.pathname) {
    document.querySelector('.theme-doc-markdown')?.removeAttribute('data-whole');
  }
};

export const onRouteDidUpdate: ClientModule['onRouteDidUpdate'] = ({
  location,
  previousLocation,
}) => {
  navigating = false;
  clearTimeout(navigatingTimer);
  // Reloaded, the reader may have scrolled already, as the page loaded: then the place is theirs.
  const first = !previousLocation;
  const key = !first || (reopened() && readerActedAt === -Infinity) ? entryKey() : undefined;
  const place = key === undefined ? undefined : places.get(key);
  const article = document.querySelector('.theme-doc-markdown');
  if (!place || place.path !== location.pathname || !article) return;
  const parts = Array.from(article.children);
  for (const part of parts) part.setAttribute('data-laid-out', '');
  article.setAttribute('data-whole', ''); // code blocks and tables too (src/css/custom.css)
  const came = performance.now();
  const giveBack = () => {
    const part = parts[place.part];
    if (!part?.isConnected || readerActedAt > came) return;
    const line = place.line && linesOf(part)[place.line.index];
    if (line && place.line) {
      window.scrollBy({
        top: line.getBoundingClientRect().top - place.line.top,
        behavior: 'instant',
      });
      return;
    }
    const box = part.getBoundingClientRect();
    // At another width the part has reflowed: the same share of it, not the same pixels.
    const sameWidth = article.getBoundingClientRect().width === place.width;
    const top = sameWidth || place.share === 0 ? place.top : firstLine() - place.share * box.height;
    window.scrollBy({ top: box.top - top, behavior: 'instant' });
  };
  giveBack();
  requestAnimationFrame(giveBack); // after the browser's own restoration, which comes later
  placeIsTheirs = true; // however it moves now (a scrollbar dragged, find in the page), it is noted
};
