// A code block whose height is still an estimate is no anchor for scroll anchoring.
// A Docusaurus client module: it runs after each page renders, the first one included.
//
// A code block far from the screen is not laid out until the reader comes near it; until then its
// height is an estimate (content-visibility, src/css/custom.css), off by a row or two on a phone or
// a tablet, where lines wrap. The browser's scroll anchoring keeps in place the first element on
// the screen, and that can be such a block: one whose last rows are just on the screen, or under the
// navbar, after the reader jumped there. The browser then lays it out and keeps its top where it
// was, and the difference between estimate and real height moves all that the reader sees below
// it (44 px on a tablet, tests/site/resize-place.test.ts). So a block not laid out yet is marked
// (data-estimate, which the CSS turns into overflow-anchor: none) and the browser anchors on what
// follows it. Once laid out, the block keeps its real height even when far again
// (contain-intrinsic-height: auto), and is an anchor like any other part.

const BLOCK = '.theme-code-block';

/** Whether the browser has laid out what is inside `pre`: a block far from the screen skips it. */
function laidOut(pre: Element): boolean {
  const inside = pre.firstElementChild;
  // Browsers without checkVisibility (or without this option, which then reads as laid out) keep
  // the browser's own choice of anchor.
  if (!inside || !('checkVisibility' in inside)) return true;
  return inside.checkVisibility({ contentVisibilityAuto: true } as CheckVisibilityOptions);
}

/** The browser says when it starts or stops laying out a block's code (not every browser does). */
function onLayoutChange(event: Event): void {
  const target = event.target as Element;
  if ((event as Event & { skipped?: boolean }).skipped || !target.matches?.('pre.static-tokens'))
    return;
  target.closest(BLOCK)?.removeAttribute('data-estimate');
}

let listening = false;

export function onRouteDidUpdate(): void {
  if (!listening) {
    listening = true;
    // The event does not bubble: it is caught on its way down.
    window.addEventListener('contentvisibilityautostatechange', onLayoutChange, true);
  }
  for (const pre of Array.from(document.querySelectorAll(`${BLOCK} pre.static-tokens`))) {
    if (!laidOut(pre)) pre.closest(BLOCK)?.setAttribute('data-estimate', '');
  }
}
