// A printed table is skipped while far from the screen (content-visibility: auto,
// ./styles.module.css), at an estimated height. Chromium lays a skipped code block out well before
// it comes into view (src/theme/near-screen.ts), but a skipped table inside an output's box (which
// scrolls sideways) only once it is within about 100 px of the screen (measured in Chromium 156).
// So a reader's scroll of most of a screen can bring one straight into view, where it grows or
// shrinks from the estimate to its real height and moves what is below it. So each table is laid
// out for good (data-near, which the CSS turns into content-visibility: visible) once it comes
// within a screen of the viewport, ahead of the reader. One laid out above the screen would move
// what the reader sees by as much as its height changed, and Chromium's scroll anchoring does not
// make up for a change made this way (tests/site/far-code.test.ts): so the page scrolls by that
// much here, unless the browser already did. One IntersectionObserver for every table of the page.

/** How close counts as near: a screen above and below. */
export const NEAR_MARGIN = '100% 0px';

let observer: IntersectionObserver | undefined;

/** Lays these out, keeping what is on the screen where it was. */
function layOut(elements: Element[]): void {
  const placed = elements.map((el) => ({ el, rect: el.getBoundingClientRect() }));
  for (const { el, rect } of placed) if (rect.bottom > 0) el.setAttribute('data-near', '');
  // Those above the screen one at a time, from the lowest up, so that nothing laid out after it
  // moves the one being measured: if its top stayed where it was while its height changed, nothing
  // kept the view in place (had the browser's scroll anchoring done so, its top would have moved).
  const above = placed
    .filter(({ rect }) => rect.bottom <= 0)
    .sort((a, b) => b.rect.top - a.rect.top)
    .map(({ el }) => el);
  let shift = 0;
  for (const el of above) {
    const was = el.getBoundingClientRect();
    el.setAttribute('data-near', '');
    const now = el.getBoundingClientRect(); // lays it out
    if (Math.round(now.top) === Math.round(was.top)) shift += now.height - was.height;
  }
  if (shift !== 0) window.scrollBy({ top: shift, behavior: 'instant' });
}

function observerOf(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      const near = entries.filter((e) => e.isIntersecting).map((e) => e.target);
      for (const el of near) observer!.unobserve(el);
      if (near.length > 0) layOut(near);
    },
    { rootMargin: NEAR_MARGIN },
  );
  return observer;
}

/** Marks each element data-near once it is within a screen of the viewport. Returns a stop. */
export function layOutWhenNear(elements: ArrayLike<Element>): () => void {
  if (typeof IntersectionObserver === 'undefined') return () => {};
  const watched = Array.from(elements).filter((el) => !el.hasAttribute('data-near'));
  for (const el of watched) observerOf().observe(el);
  return () => {
    for (const el of watched) observer?.unobserve(el);
  };
}
