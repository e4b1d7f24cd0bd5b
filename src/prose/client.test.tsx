// @vitest-environment happy-dom
// The browser's half of static prose (./client.ts), in React's development build, which reports a
// misuse of use() that the production build lets pass: a page the server sent reads its blocks
// back and fetches nothing; a page that must fetch waits for its prose, then shows it, without one
// error; a fetch that fails is asked for again.
// The built site is tested in Chromium: tests/site/static-prose.test.ts.
import { act, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('@docusaurus/router', () => ({ useHistory: () => ({ push: () => undefined }) }));
vi.mock('@docusaurus/useBrokenLinks', () => ({
  default: () => ({ collectLink: () => undefined }),
}));

const { proseOf } = await import('./client');

/** One page's prose, by key. (Strings once read are kept for good, so each test has a page of its own.) */
const proseFor = (page: string) => ({
  [`${page}-0`]: 'One <em>two</em>.',
  [`${page}-1`]: 'Three.',
});

/** A page of two blocks, as the plugin writes it, each block's HTML from `prose`. */
function Page({ page, prose }: { page: string; prose: (key: string) => string }): ReactNode {
  return (
    <main>
      <p data-prose={`${page}-0`} dangerouslySetInnerHTML={{ __html: prose(`${page}-0`) }} />
      <p data-prose={`${page}-1`} dangerouslySetInnerHTML={{ __html: prose(`${page}-1`) }} />
    </main>
  );
}

/** A fetch of the page's prose that the test lets arrive (or fail) when it chooses. */
function gate(page: string) {
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const load = vi.fn(
    () =>
      new Promise<{ default: Record<string, string> }>((resolve, reject) =>
        waiting.push({ resolve: () => resolve({ default: proseFor(page) }), reject }),
      ),
  );
  return {
    load,
    arrive: () => waiting.shift()!.resolve(),
    fail: () => waiting.shift()!.reject(new Error('offline')),
  };
}

let errors: unknown[][] = [];
beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

function watchErrors() {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
}

describe('prose in the browser', () => {
  it('a page the server sent is read back from the document, and nothing is fetched', async () => {
    watchErrors();
    document.body.innerHTML = `<div id="root"><main><p data-prose="p0000bb-0">Sent <b>by</b> the server.</p></main></div>`;
    const { load } = gate('p0000bb');
    const prose = proseOf('p0000bb', load);
    expect(prose('p0000bb-0')).toBe('Sent <b>by</b> the server.');
    expect(load).not.toHaveBeenCalled();
    expect(errors).toEqual([]);
  });

  it('a page that must fetch shows nothing until its prose arrives, then all of it, with no error', async () => {
    watchErrors();
    const { load, arrive } = gate('p0000aa');
    const prose = proseOf('p0000aa', load);
    expect(load).toHaveBeenCalledTimes(1); // as the module loads, not when the page first renders
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    await act(async () => root.render(<Page page="p0000aa" prose={prose} />));
    expect(container.innerHTML).toBe('');
    await act(async () => arrive());
    expect(container.querySelector('main')?.innerHTML).toBe(
      '<p data-prose="p0000aa-0">One <em>two</em>.</p><p data-prose="p0000aa-1">Three.</p>',
    );
    // Rendered again (coming back to the page): no second fetch, no error.
    await act(async () => root.render(<Page page="p0000aa" prose={(key) => prose(key) + ''} />));
    expect(load).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([]);
    root.unmount();
  });

  it('a fetch that fails is asked for again when the page renders again', async () => {
    const { load, fail, arrive } = gate('p0000cc');
    const prose = proseOf('p0000cc', load);
    await act(async () => fail());
    await Promise.resolve();
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    watchErrors();
    await act(async () => root.render(<Page page="p0000cc" prose={prose} />));
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => arrive());
    expect(container.querySelector('[data-prose="p0000cc-1"]')?.innerHTML).toBe('Three.');
    expect(errors).toEqual([]);
    root.unmount();
  });
});
