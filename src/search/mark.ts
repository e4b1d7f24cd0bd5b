// mark.js as the search plugin uses it (@easyops-cn/docusaurus-search-local, with
// highlightSearchTermsOnTargetPage): a search result opens its page with the searched words
// highlighted, and every page load first clears old highlights with unmark(). Two changes:
//
// - unmark() walks only when the article holds a highlight to clear. mark.js walks every element
//   of the article, twice a load (the plugin's effect runs again once the page knows it is in a
//   browser), on every page: on a notebook page, 3,000 elements, with the reader waiting.
// - mark.js itself (18 KB minified) is loaded only when there is something to mark or unmark: it
//   was in every page's main bundle, parsed and run as each page loads, and a page opened from a
//   search result is the only one that needs it. Calls made before it arrives are applied in order
//   once it has (the plugin's own call already waits a task, for the page's code blocks).
//
// src/plugins/search-mark.ts gives the plugin this module in place of mark.js; ./mark.test.ts and
// tests/site/search-highlight.test.ts check that highlights still come and go, and that a page
// opened without one does not load mark.js.

type MarkOptions = { done?: (...args: unknown[]) => void } & Record<string, unknown>;
interface Mark {
  mark(keywords: string | string[], options?: MarkOptions): Mark;
  markRegExp(pattern: RegExp, options?: MarkOptions): Mark;
  markRanges(ranges: unknown[], options?: MarkOptions): Mark;
  unmark(options?: MarkOptions): Mark;
}
type MarkConstructor = new (context: unknown) => Mark;

let loading: Promise<MarkConstructor> | undefined;

/** mark.js's own build, minified, in a chunk of its own (mark.<hash>.js), fetched on first use. */
export function loadMarkJs(): Promise<MarkConstructor> {
  loading ??= import(/* webpackChunkName: "mark" */ 'mark.js/dist/mark.min.js').then(
    (m) => m.default as MarkConstructor,
    (error: unknown) => {
      loading = undefined; // a dropped connection: the next call asks again
      throw error;
    },
  );
  return loading;
}

/** A mark.js instance for `context` whose calls run once mark.js has loaded, in the order made;
 *  unmark() where nothing is marked does nothing, at once, and loads nothing. */
export default function GuardedMark(context: unknown): Mark {
  let real: Promise<Mark | undefined> | undefined;
  // Each call waits for the one before it, so an unmark() then a mark() happen in that order.
  let last: Promise<unknown> = Promise.resolve();
  const later =
    (method: keyof Mark) =>
    (...args: unknown[]): Mark => {
      real ??= loadMarkJs().then(
        (RealMark) => new RealMark(context),
        () => undefined, // no mark.js (offline): the page stays as it is, unhighlighted
      );
      last = last
        .then(() => real)
        .then((instance) => {
          (instance?.[method] as ((...a: unknown[]) => Mark) | undefined)?.apply(instance, args);
        })
        .catch((error: unknown) => {
          // A failing call must not stop the next: report it as an uncaught error would be.
          setTimeout(() => {
            throw error;
          });
        });
      return mark;
    };
  const mark: Mark = {
    mark: later('mark'),
    markRegExp: later('markRegExp'),
    markRanges: later('markRanges'),
    unmark: (options) => {
      // mark.js marks with element="mark" by default, or the element an option names, always with
      // data-markjs; this plugin uses the default. A selector or a list of elements goes to mark.js
      // as given, as before.
      if (context instanceof Element && !context.querySelector('[data-markjs]') && !real) {
        options?.done?.();
        return mark;
      }
      return later('unmark')(options);
    },
  };
  return mark;
}
