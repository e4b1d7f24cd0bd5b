// Prism when a code block needs it, not at every page's start (./at-start.ts).
//
// - On the server, at once: the server's bundle highlights every block of every page.
// - In the browser, a page from the server never needs it. A page a client-side navigation renders
//   does; its blocks wait for Prism (React's use(): the page before stays on screen meanwhile, as
//   it does while the new page's code loads). Prism starts loading as soon as the reader heads for
//   another page: a link hovered or touched (preload()) or a navigation begun.
import { use } from 'react';
import type { Prism as PrismType } from 'prism-react-renderer';

type Prism = typeof PrismType;

let loading: Promise<Prism> | undefined;

/** Starts loading Prism, once; a failed load is tried again at the next call. */
export function preload(): Promise<Prism> {
  return (loading ??= import('./languages').then(
    (m) => m.default,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  ));
}

/** Prism, in a component's render: on the server at once, in the browser once it has loaded (it
 *  suspends the render until then: React's use(), which, unlike a hook, may be called conditionally). */
export function prismForRender(): Prism {
  if (process.env.STATELAB_SERVER_RENDER)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./languages') as { default: Prism }).default;
  // use() is not a hook: any function a component calls in render may call it, conditionally too.
  // eslint-disable-next-line react-hooks/rules-of-hooks
  return use(preload());
}
