// mark.js as the search plugin uses it (@easyops-cn/docusaurus-search-local, with
// highlightSearchTermsOnTargetPage): a search result opens its page with the searched words
// highlighted, and every page load first clears old highlights with unmark(). Two changes:
//
// - unmark() walks only when the article holds a highlight to clear. mark.js walks every element
//   of the article, twice a load (the plugin's effect runs again once the page knows it is in a
//   browser), on every page: on a notebook page, 3,000 elements, with the reader waiting.
// - mark.js itself (18 KB minified) is loaded only when there is something to mark or unmark: it
//   was in every page's main bundle, parsed and run as each page loads, and a page opened from a
//   search result is the only one that needs it. Calls made before it arrives are applied in the
//   order made, across instances: the plugin makes one per page or search, and a search cleared
//   or changed before mark.js has arrived must unmark what the one before is about to mark.
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

/** Every call of every instance, in the order made: the plugin makes a new instance for each page
 *  or search it shows, and its unmark() must come after the mark() of the one before. */
let last: Promise<unknown> = Promise.resolve();
/** Calls made and not yet done. */
let pending = 0;

/** A mark.js instance for `context` whose calls run once mark.js has loaded, after every call made
 *  before them (by any instance); unmark() where nothing is marked or on its way to be does
 *  nothing, at once, and loads nothing. */
export default function GuardedMark(context: unknown): Mark {
  let real: Promise<Mark | undefined> | undefined;
  const later =
    (method: keyof Mark) =>
    (...args: unknown[]): Mark => {
      real ??= loadMarkJs().then(
        (RealMark) => new RealMark(context),
        () => undefined, // no mark.js (offline): the page stays as it is, unhighlighted
      );
      const instance = real;
      pending += 1;
      last = last
        .then(() => instance)
        .then((ready) => {
          (ready?.[method] as ((...a: unknown[]) => Mark) | undefined)?.apply(ready, args);
        })
        .catch((error: unknown) => {
          // A failing call must not stop the next: report it as an uncaught error would be.
          setTimeout(() => {
            throw error;
          });
        })
        .finally(() => {
          pending -= 1;
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
      if (context instanceof Element && pending === 0 && !context.querySelector('[data-markjs]')) {
        options?.done?.();
        return mark;
      }
      return later('unmark')(options);
    },
  };
  return mark;
}
