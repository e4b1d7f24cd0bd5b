// What a page learns once mounted (that it runs in a browser, how wide the window is) is set in a
// transition: every component that reads it renders again, and as a transition React does that a
// few milliseconds at a time rather than as one long task (./browser-context.tsx,
// ./use-window-size.ts). Until it commits, the page is what the server rendered. That must not
// meet the reader's first tap or key: the drawer's button would open a drawer that has no size to
// render for, the colour-mode button would still be disabled. So at the first pointer, touch or
// key the same update is made again, urgent, and React renders it before the event's click.

import { startTransition } from 'react';

const FIRST_INPUT = ['pointerdown', 'touchstart', 'keydown'] as const;

/** Runs `set` in a transition, and again at once at the reader's first pointer, touch or key.
 *  Returns what stops listening (for an effect's cleanup). `transition` is for tests. */
export function setAfterMount(
  set: () => void,
  transition: (scope: () => void) => void = startTransition,
): () => void {
  const urgent = () => {
    stop();
    set();
  };
  const stop = () => {
    for (const type of FIRST_INPUT) window.removeEventListener(type, urgent, { capture: true });
  };
  for (const type of FIRST_INPUT)
    window.addEventListener(type, urgent, { capture: true, passive: true });
  transition(set);
  return stop;
}
