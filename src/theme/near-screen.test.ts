// @vitest-environment happy-dom
// Watching whether an element is near the screen (./near-screen.ts): one observer for every element,
// each watcher told where its element stands and then of each change, a second watcher of the same
// element told the last report at once, and an element no longer watched no longer observed. The
// IntersectionObserver is the test's, so the test says what the browser reports.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

interface FakeObserver {
  callback: IntersectionObserverCallback;
  options?: IntersectionObserverInit;
  observed: Set<Element>;
}
let observers: FakeObserver[] = [];
let near: typeof import('./near-screen');

/** The browser reports where each of these elements stands now. */
function report(...entries: [Element, boolean][]) {
  for (const o of observers) {
    const mine = entries.filter(([el]) => o.observed.has(el));
    if (mine.length === 0) continue;
    o.callback(
      mine.map(([target, isIntersecting]) => ({ target, isIntersecting })) as never,
      o as never,
    );
  }
}

beforeEach(async () => {
  observers = [];
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
        const o: FakeObserver = { callback, options, observed: new Set() };
        observers.push(o);
        Object.assign(this, {
          observe: (el: Element) => o.observed.add(el),
          unobserve: (el: Element) => o.observed.delete(el),
        });
      }
    },
  );
  vi.resetModules();
  near = await import('./near-screen');
});
afterEach(() => vi.unstubAllGlobals());

it('one observer, with the near margin, tells each watcher of its own element', () => {
  const [a, b] = [document.createElement('div'), document.createElement('div')];
  const seenA: boolean[] = [];
  const seenB: boolean[] = [];
  near.watchNearScreen(a, (n) => seenA.push(n));
  near.watchNearScreen(b, (n) => seenB.push(n));
  expect(observers).toHaveLength(1);
  expect(observers[0].options?.rootMargin).toBe(near.NEAR_MARGIN);
  report([a, false], [b, true]);
  report([a, true]);
  expect(seenA).toEqual([false, true]);
  expect(seenB).toEqual([true]);
});

it('a second watcher of an element already reported is told where it stands, once', async () => {
  const el = document.createElement('div');
  near.watchNearScreen(el, () => {});
  report([el, true]);
  const seen: boolean[] = [];
  near.watchNearScreen(el, (n) => seen.push(n));
  await Promise.resolve();
  expect(seen).toEqual([true]);
  report([el, false]);
  expect(seen).toEqual([true, false]);
});

it('a watcher stopped before the first report is never called', async () => {
  const el = document.createElement('div');
  near.watchNearScreen(el, () => {});
  report([el, true]);
  const watcher = vi.fn();
  near.watchNearScreen(el, watcher)(); // stopped at once, before its microtask
  await Promise.resolve();
  report([el, false]);
  expect(watcher).not.toHaveBeenCalled();
});

it('an element stops being observed when its last watcher stops, and can be watched again', () => {
  const el = document.createElement('div');
  const stop1 = near.watchNearScreen(el, () => {});
  const stop2 = near.watchNearScreen(el, () => {});
  stop1();
  expect(observers[0].observed.has(el)).toBe(true);
  stop2();
  expect(observers[0].observed.has(el)).toBe(false);
  const seen: boolean[] = [];
  near.watchNearScreen(el, (n) => seen.push(n));
  expect(observers[0].observed.has(el)).toBe(true);
  report([el, true]);
  expect(seen).toEqual([true]);
});

it('a stop called twice does not stop a later watcher of the same element', () => {
  const el = document.createElement('div');
  const stop = near.watchNearScreen(el, () => {});
  stop();
  const seen: boolean[] = [];
  near.watchNearScreen(el, (n) => seen.push(n));
  stop();
  expect(observers[0].observed.has(el)).toBe(true);
  report([el, true]);
  expect(seen).toEqual([true]);
});
