// The first of an article's parts whose bottom is below a line of the screen: the part the reader
// sees first there. Parts are laid out one below the other, so a binary search finds it; an
// article has no part that is not shown (display: none), whose rectangle would be all zeros and
// break the order. Used by ./lay-out-prose.ts, ./keep-place-on-resize.ts and ./back-to-place.ts,
// the last two of which note the reader's place the same way: partAtLine.

/** The first of `parts` whose bottom is below `line` (px from the top of the screen). */
export function firstPartBelow(parts: Element[], line = 0): Element | undefined {
  let low = 0;
  let high = parts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (parts[mid].getBoundingClientRect().bottom > line) high = mid;
    else low = mid + 1;
  }
  return parts[low];
}

/** The line the reader sees first: the bottom of the navbar, which stays at the top. */
export const firstLine = (): number =>
  document.querySelector('.navbar')?.getBoundingClientRect().bottom ?? 0;

/** The reader's place in `parts`: the part they see first at `line`, its box, and the share of its
 *  height above the line (0 when the part starts on or below it). `orLast`: below every part, the
 *  last one (whose share is then over 1); otherwise none. */
export function partAtLine(
  parts: Element[],
  line: number,
  orLast = false,
): { part: Element; box: DOMRect; share: number } | undefined {
  const part = firstPartBelow(parts, line) ?? (orLast ? parts.at(-1) : undefined);
  if (!part) return undefined;
  const box = part.getBoundingClientRect();
  return { part, box, share: box.top < line && box.height > 0 ? (line - box.top) / box.height : 0 };
}
