// An island: a component the page loads and runs only when the reader comes near it, so its code and
// its hydration stay off the page's first load (the quiz at a chapter's end, the simulator).
//
//   export default island('quiz', () => import('./Quiz'),
//     process.env.STATELAB_SERVER_RENDER ? require('./Quiz') : undefined);
//
// The server renders the component in full, as before, from its own copy: the third argument, which
// the browser's bundle leaves out (src/plugins/server-render-flag.ts). While the page hydrates, the
// island takes back the server's HTML as one string (src/theme/server-html.ts), which React leaves
// as it is: the reader sees it at once and nothing moves. Its chunk loads when the island comes
// within a screen of the viewport, or the reader touches, clicks, focuses or submits inside it first
// (a submit before then is held back: it would reload the page); the component then renders in
// place of that HTML, the same markup, and what the reader did to that HTML meanwhile (an answer
// ticked, a button pressed, where the focus was) is done again on it (./carry-over.ts). After a
// client-side navigation there is no server HTML, so it loads at once. The wrapper says where it
// is: data-island="quiz", and data-island-ready once the component runs with the reader's input.
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ComponentType,
  type ReactNode,
} from 'react';
import { flushSync } from 'react-dom';
import { serverHtml } from '@site/src/theme/server-html';
import { focusIn, record, replay, type Recording } from './carry-over';

/** How far outside the viewport an island starts loading: one screen above or below. */
const NEAR = '100% 0px 100% 0px';
/** What a reader does inside an island before it loads, which loads it at once. */
const INTERACTIONS = ['pointerdown', 'touchstart', 'focusin', 'keydown'] as const;

export function island<P extends object>(
  name: string,
  load: () => Promise<{ default: ComponentType<P> }>,
  onServer?: { default: ComponentType<P> },
): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const get = () => (loading ??= load().then((m) => m.default));

  function Island(props: P): ReactNode {
    const id = useId();
    const wrapper = useRef<HTMLDivElement>(null);
    const [html] = useState(() => serverHtml(id));
    const [Component, setComponent] = useState<ComponentType<P> | undefined>(
      () => onServer?.default,
    );

    // What the reader did before the code arrived, and where the focus was: done again on the live
    // component (./carry-over.ts).
    const carried = useRef<{ steps: Recording['steps']; focus: ReturnType<typeof focusIn> }>(
      undefined,
    );

    useEffect(() => {
      const el = wrapper.current;
      if (!el || Component) return undefined;
      // No server HTML (a client-side navigation): nothing to show meanwhile, so load it now.
      if (html === undefined) {
        void get().then((loaded) => setComponent(() => loaded));
        return undefined;
      }
      const recording = record(el);
      let done = false;
      const open = () => {
        if (done) return;
        done = true;
        get().then(
          (loaded) => {
            recording.stop();
            carried.current = { steps: recording.steps, focus: focusIn(el) };
            // Rendered and committed now, in this task: in a later one, a click that landed on the
            // server's HTML after the recording stopped was thrown away by the swap.
            flushSync(() => setComponent(() => loaded));
          },
          // The chunk did not arrive (a dropped connection): the reader's next touch, click, key
          // or focus inside asks for it again, and the server's HTML stays meanwhile.
          () => {
            loading = undefined;
            done = false;
          },
        );
      };
      for (const type of INTERACTIONS) el.addEventListener(type, open, { passive: true });
      // A change or a submit needs no listener of its own: a pointer, a touch, a key or a focus
      // comes first. A recorded submit loads it too, in case a script sent it.
      el.addEventListener('submit', open, true);
      const observer =
        typeof IntersectionObserver === 'undefined'
          ? undefined
          : new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && open(), {
              rootMargin: NEAR,
            });
      if (observer) observer.observe(el);
      else open();
      return () => {
        observer?.disconnect();
        el.removeEventListener('submit', open, true);
        for (const type of INTERACTIONS) el.removeEventListener(type, open);
        if (!done) recording.stop();
      };
    }, [Component, html]);

    useLayoutEffect(() => {
      const el = wrapper.current;
      if (!Component || !el) return;
      const { steps = [], focus = undefined } = carried.current ?? {};
      carried.current = undefined;
      void replay(el, steps, focus).then(() => el.setAttribute('data-island-ready', ''));
    }, [Component]);

    if (Component)
      return (
        <div ref={wrapper} id={id} data-island={name}>
          <Component {...props} />
        </div>
      );
    return (
      <div
        ref={wrapper}
        id={id}
        data-island={name}
        dangerouslySetInnerHTML={html === undefined ? undefined : { __html: html }}
      />
    );
  }

  // A page's props for an island never change: nothing to render again for.
  return memo(Island, () => true) as unknown as ComponentType<P>;
}
