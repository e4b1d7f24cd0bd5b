// @vitest-environment happy-dom
// ./mark.ts: mark.js as the search plugin uses it. unmark() on a page with no highlights does not
// walk the page and does not load mark.js; every other call loads mark.js once and reaches it in
// the order made. mark.js itself is a recording stand-in here; tests/site/search-highlight.test.ts
// checks the real one in Chromium.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ contexts: [] as unknown[], calls: [] as string[] }));
vi.mock('mark.js/dist/mark.min.js', () => ({
  default: class {
    constructor(context: unknown) {
      made.contexts.push(context);
    }
    mark(keywords: string[]) {
      made.calls.push(`mark ${keywords.join(',')}`);
      return this;
    }
    unmark(options?: { done?: () => void }) {
      made.calls.push('unmark');
      options?.done?.();
      return this;
    }
  },
}));

import GuardedMark, { loadMarkJs } from './mark';

function article(html: string): HTMLElement {
  document.body.innerHTML = `<article>${html}</article>`;
  return document.querySelector('article')!;
}

/** Lets every pending promise (the import, each queued call) settle. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  made.contexts.length = 0;
  made.calls.length = 0;
});

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('mark.js for the search plugin', () => {
  it('unmark() on an article with nothing marked leaves it as it is, says done at once, and loads nothing', async () => {
    const root = article('<p>Sticky <b>sessions</b> pin a user.</p>');
    const before = root.innerHTML;
    const walk = vi.spyOn(document, 'createNodeIterator');
    const done = vi.fn();
    const mark = GuardedMark(root);
    expect(mark.unmark({ done })).toBe(mark);
    expect(done).toHaveBeenCalledOnce();
    await settled();
    expect(made.contexts).toEqual([]);
    expect(made.calls).toEqual([]);
    expect(walk).not.toHaveBeenCalled();
    expect(root.innerHTML).toBe(before);
  });

  it('unmark() on an article with a highlight hands over to mark.js, on that article', async () => {
    const root = article('<p><mark data-markjs="true">Sticky</mark> sessions.</p>');
    GuardedMark(root).unmark();
    await settled();
    expect(made.contexts).toEqual([root]);
    expect(made.calls).toEqual(['unmark']);
  });

  it('calls made before mark.js arrives reach it in their order, through one instance', async () => {
    const root = article('<p>Sticky sessions.</p>');
    const mark = GuardedMark(root);
    expect(mark.mark(['sticky'])).toBe(mark);
    // Nothing is marked yet, but a mark() is on its way: this unmark() must come after it.
    mark.unmark();
    mark.mark(['sessions']);
    expect(made.calls).toEqual([]); // none runs before mark.js is there
    await settled();
    expect(made.contexts).toEqual([root]);
    expect(made.calls).toEqual(['mark sticky', 'unmark', 'mark sessions']);
  });

  it('loads mark.js once, however many pages ask', async () => {
    const [a, b] = await Promise.all([loadMarkJs(), loadMarkJs()]);
    expect(a).toBe(b);
    expect(loadMarkJs()).toBe(loadMarkJs());
  });

  it("a new instance's unmark() waits for the mark() an earlier one has on its way", async () => {
    // The plugin, for ?_highlight=sticky and then the same page without it, before mark.js arrives:
    // a new Mark each time, then unmark().
    const root = article('<p>Sticky sessions.</p>');
    const first = GuardedMark(root);
    first.unmark();
    first.mark(['sticky']);
    const done = vi.fn();
    GuardedMark(root).unmark({ done });
    expect(done).not.toHaveBeenCalled(); // not skipped: something is about to be marked
    await settled();
    expect(made.calls).toEqual(['mark sticky', 'unmark']);
    expect(done).toHaveBeenCalledOnce();
    // Once nothing is pending or marked (the stand-in marks nothing), unmark() skips again.
    const later = vi.fn();
    GuardedMark(root).unmark({ done: later });
    expect(later).toHaveBeenCalledOnce();
    await settled();
    expect(made.calls).toEqual(['mark sticky', 'unmark']);
  });
});
