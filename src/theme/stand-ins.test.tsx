// @vitest-environment happy-dom
// Two of the stand-ins for Docusaurus's modules (src/plugins/stand-ins.ts) tell a page, once it is
// mounted, what the server could not know: that it runs in a browser (./browser-context.tsx) and
// how wide the window is (./use-window-size.ts). Each tells it as Docusaurus does, but in a
// transition, so React renders every component that reads it a few milliseconds at a time, with
// the browser free in between, rather than as one task of the whole page (issue 18).
import { useContext, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { expect, it, vi } from 'vitest';
import { BrowserContextProvider, Context } from './browser-context';
import { useWindowSize } from './use-window-size';
import { setAfterMount } from './after-mount';

const READERS = 60;

/**
 * Mounts READERS components that each read `read()`, and take a millisecond to render once it is no
 * longer its first value; returns the values each render saw, and how many turns of the event loop
 * (each one a task the browser could run something else in) the re-render took.
 */
async function mountAndRead<T>(
  read: () => T,
  wrap: (children: ReactNode) => ReactNode = (children) => children,
) {
  let turn = 0;
  let counting = true;
  const count = () => {
    turn += 1;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  const seen: { value: T; turn: number }[] = [];
  function Reader(): ReactNode {
    const value = read();
    if (seen.length >= READERS) {
      const until = performance.now() + 1;
      while (performance.now() < until);
    }
    seen.push({ value, turn });
    return null;
  }
  const root = createRoot(document.createElement('div'));
  root.render(wrap(Array.from({ length: READERS }, (_, i) => <Reader key={i} />)));
  try {
    await vi.waitFor(() => expect(seen.length).toBe(2 * READERS), { timeout: 5_000 });
  } finally {
    counting = false;
  }
  const first = seen.slice(0, READERS);
  const then = seen.slice(READERS);
  return {
    root,
    first: new Set(first.map((s) => s.value)),
    then: new Set(then.map((s) => s.value)),
    turns: new Set(then.map((s) => s.turn)).size,
  };
}

it('useIsBrowser() is false as on the server, then true, in a render the browser gets turns in', async () => {
  const { root, first, then, turns } = await mountAndRead(
    () => useContext(Context),
    (children) => <BrowserContextProvider>{children}</BrowserContextProvider>,
  );
  expect([...first]).toEqual([false]);
  expect([...then]).toEqual([true]);
  // One turn: the whole re-render (60 ms) was one task. A transition yields every few milliseconds.
  expect(turns, 'turns the re-render took').toBeGreaterThan(3);
  root.unmount();
});

it('useWindowSize() is "ssr" as on the server, then the size, in a render the browser gets turns in; a resize is at once', async () => {
  Object.defineProperty(window, 'innerWidth', { configurable: true, value: 412 });
  let turn = 0;
  const resized: number[] = [];
  const { root, first, then, turns } = await mountAndRead(() => {
    const size = useWindowSize();
    if (size === 'desktop') {
      const until = performance.now() + 1;
      while (performance.now() < until);
      resized.push(turn);
    }
    return size;
  });
  expect([...first]).toEqual(['ssr']);
  expect([...then]).toEqual(['mobile']);
  expect(turns, 'turns the re-render took').toBeGreaterThan(3);

  // A resize later is an ordinary update, as in Docusaurus: rendered at once, in one turn.
  let counting = true;
  const count = () => {
    turn += 1;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  Object.defineProperty(window, 'innerWidth', { configurable: true, value: 1280 });
  window.dispatchEvent(new Event('resize'));
  try {
    await vi.waitFor(() => expect(resized).toHaveLength(READERS));
  } finally {
    counting = false;
  }
  expect(new Set(resized).size, 'turns the resize took').toBe(1);
  root.unmount();
});

it("the reader's first tap or key makes the update at once, before the transition, and only once", () => {
  const held: (() => void)[] = [];
  const set = vi.fn();
  const stop = setAfterMount(set, (scope) => held.push(scope)); // a transition not yet rendered
  expect(set).not.toHaveBeenCalled();
  window.dispatchEvent(new Event('pointerdown'));
  expect(set).toHaveBeenCalledTimes(1);
  window.dispatchEvent(new Event('keydown'));
  window.dispatchEvent(new Event('touchstart'));
  expect(set).toHaveBeenCalledTimes(1);
  held.forEach((scope) => scope());
  expect(set).toHaveBeenCalledTimes(2);
  stop();

  // Stopped (the component unmounted) before any input: an input then does nothing.
  const other = vi.fn();
  setAfterMount(other, () => {})();
  window.dispatchEvent(new Event('keydown'));
  expect(other).not.toHaveBeenCalled();
});
