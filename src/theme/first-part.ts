// The first of an article's parts whose bottom is below a line of the screen: the part the reader
// sees first there. Parts are laid out one below the other, so a binary search finds it; an
// article has no part that is not shown (display: none), whose rectangle would be all zeros and
// break the order. Used by ./lay-out-prose.ts and ./keep-place-on-resize.ts.

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
