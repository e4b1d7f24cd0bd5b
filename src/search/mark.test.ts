// @vitest-environment happy-dom
// ./mark.ts: mark.js as the search plugin uses it, but unmark() on a page with no highlights does
// not walk the page; with a highlight, mark.js's own unmark() runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import GuardedMark from './mark';

function article(html: string): HTMLElement {
  document.body.innerHTML = `<article>${html}</article>`;
  return document.querySelector('article')!;
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('mark.js for the search plugin', () => {
  it('unmark() on an article with nothing marked leaves it as it is, walks nothing, and says done', () => {
    const root = article('<p>Sticky <b>sessions</b> pin a user.</p>');
    const before = root.innerHTML;
    const walk = vi.spyOn(document, 'createNodeIterator');
    const done = vi.fn();
    const mark = GuardedMark(root);
    expect(mark.unmark({ done })).toBe(mark);
    expect(walk).not.toHaveBeenCalled();
    expect(done).toHaveBeenCalledOnce();
    expect(root.innerHTML).toBe(before);
  });

  it('unmark() on an article with a highlight hands over to mark.js, which walks it', () => {
    // (happy-dom's tree walking is not a browser's: that mark.js then takes the highlights away is
    // checked in Chromium, tests/site/search-highlight.test.ts.)
    const root = article('<p><mark data-markjs="true">Sticky</mark> sessions.</p>');
    const walk = vi.spyOn(document, 'createNodeIterator');
    GuardedMark(root).unmark();
    expect(walk).toHaveBeenCalled();
  });
});
