// A printed table or text is skipped while far from the screen (content-visibility: auto,
// ./styles.module.css), at an estimated height. Chromium lays a skipped code block out well before
// it comes into view (src/theme/near-screen.ts), but a skipped table or text inside an output's box
// (which scrolls sideways) only once it is within about 100 px of the screen (measured in Chromium
// 156). So a reader's scroll of most of a screen can bring one straight into view, where it grows
// or shrinks from the estimate to its real height and moves what is below it. So each output is laid out for
// good (data-near, which the CSS turns into content-visibility: visible) once it comes within a
// screen of the viewport, ahead of the reader. One laid out above the screen would move what the
// reader sees by as much as its height changed, and Chromium's scroll anchoring does not make up
// for a change made this way (tests/site/far-code.test.ts): so the page scrolls by that much here,
// unless the browser already did. One IntersectionObserver for every output of the page.

/** How close counts as near: a screen above and below. */
export const NEAR_MARGIN = '100% 0px';

let observer: IntersectionObserver | undefined;

/** Lays these out, keeping what is on the screen where it was. */
function layOut(elements: Element[]): void {
  const before = elements.map((el) => el.getBoundingClientRect());
  for (const el of elements) el.setAttribute('data-near', '');
  let shift = 0;
  elements.forEach((el, i) => {
    const was = before[i];
    const now = el.getBoundingClientRect(); // lays it out (one element) and applies any anchoring
    // Above the screen, and its top did not move up by its growth: nothing kept the view in place.
    if (was.bottom <= 0 && Math.round(now.top) === Math.round(was.top)) {
      shift += now.height - was.height;
    }
  });
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
