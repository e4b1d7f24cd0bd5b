// mark.js as the search plugin uses it (@easyops-cn/docusaurus-search-local, with
// highlightSearchTermsOnTargetPage): a search result opens its page with the searched words
// highlighted, and every page load first clears old highlights with unmark(). That walks every
// element of the article, twice a load (the plugin's effect runs again once the page knows it is
// in a browser), on every page: on a notebook page, 3,000 elements, with the reader waiting.
// Here unmark() walks only when the article holds a highlight to clear. src/plugins/search-mark.ts
// gives the plugin this module in place of mark.js; ./mark.test.ts and
// tests/site/search-highlight.test.ts check that highlights still come and go.
// mark.js's own build, minified: the alias takes "mark.js" (its dist/mark.js) to this file, so
// this file takes the same code from the file beside it.
import RealMark from 'mark.js/dist/mark.min.js';

type MarkOptions = { done?: (...args: unknown[]) => void } & Record<string, unknown>;
interface Mark {
  mark(keywords: string | string[], options?: MarkOptions): Mark;
  markRegExp(pattern: RegExp, options?: MarkOptions): Mark;
  markRanges(ranges: unknown[], options?: MarkOptions): Mark;
  unmark(options?: MarkOptions): Mark;
}
type MarkConstructor = new (context: unknown) => Mark;

/** A mark.js instance whose unmark() does nothing, at once, where there is nothing to unmark. */
export default function GuardedMark(context: unknown): Mark {
  const mark = new (RealMark as unknown as MarkConstructor)(context);
  if (!(context instanceof Element)) return mark; // a selector or a list: as mark.js does
  const unmark = mark.unmark.bind(mark);
  mark.unmark = (options) => {
    // mark.js marks with element="mark" by default, or the element an option names, always with
    // data-markjs; this plugin uses the default.
    if (context.querySelector('[data-markjs]')) return unmark(options);
    options?.done?.();
    return mark;
  };
  return mark;
}
