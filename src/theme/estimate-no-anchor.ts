// A code block whose height is still an estimate is no anchor for scroll anchoring.
// A Docusaurus client module: it runs after each page renders, the first one included.
//
// A code block far from the screen is not laid out until the reader comes near it; until then its
// height is an estimate (content-visibility, src/css/custom.css), off by a row or two on a phone or
// a tablet, where lines wrap. The browser's scroll anchoring keeps in place the first element on
// the screen, and that can be such a block: one whose last rows are just on the screen, or under the
// navbar, after the reader jumped there. The browser then lays it out and keeps its top where it
// was, and the difference between estimate and real height moves all that the reader sees below
// it (44 px on a tablet, tests/site/resize-place.test.ts). So such a block is marked while the
// reader can see what follows it (data-estimate, which the CSS turns into overflow-anchor: none),
// and the browser anchors on that. Once laid out, the block keeps its real height even when far again
// (contain-intrinsic-height: auto), and is an anchor like any other part.

const BLOCK = '.theme-code-block';

/** The blocks the browser has laid out at least once: their height is real from then on. */
const laidOutOnce = new WeakSet<Element>();

/** Whether the browser has laid out what is inside `pre` now: a block far from the screen skips it. */
function laidOut(pre: Element): boolean {
  const inside = pre.firstElementChild;
  // Browsers without checkVisibility (or without this option, which then reads as laid out) keep
  // the browser's own choice of anchor.
  if (!inside || !('checkVisibility' in inside)) return true;
  return inside.checkVisibility({ contentVisibilityAuto: true } as CheckVisibilityOptions);
}

/**
 * Marks each block whose height is an estimate and whose bottom is above the bottom of the screen:
 * what the reader sees below it must not move as it is laid out. A block whose bottom is below the
 * screen is left an anchor: a reader can be inside it with nothing else on the screen, and with no
 * anchor at all a block above, laid out in the same frame, moved the text the reader is on (by
 * 87 px on a phone). Run again on every scroll, which comes before the browser picks its anchor.
 */
function mark(): void {
  for (const pre of Array.from(document.querySelectorAll(`${BLOCK} pre.static-tokens`))) {
    if (laidOutOnce.has(pre)) continue;
    const block = pre.closest(BLOCK);
    if (!block) continue;
    if (laidOut(pre)) {
      laidOutOnce.add(pre);
      block.removeAttribute('data-estimate');
      continue;
    }
    block.toggleAttribute(
      'data-estimate',
      block.getBoundingClientRect().bottom < window.innerHeight,
    );
  }
}

/** The browser says when it starts or stops laying out a block's code (not every browser does). */
function onLayoutChange(event: Event): void {
  const target = event.target as Element;
  if ((event as Event & { skipped?: boolean }).skipped || !target.matches?.('pre.static-tokens'))
    return;
  laidOutOnce.add(target);
  target.closest(BLOCK)?.removeAttribute('data-estimate');
}

let listening = false;

export function onRouteDidUpdate(): void {
  if (!listening) {
    listening = true;
    // The event does not bubble: it is caught on its way down.
    window.addEventListener('contentvisibilityautostatechange', onLayoutChange, true);
    window.addEventListener('scroll', mark, { passive: true });
    window.addEventListener('resize', mark, { passive: true });
  }
  mark();
}
