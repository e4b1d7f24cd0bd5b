// Docusaurus's theme-common lib/hooks/useWindowSize.js (3.10), in the browser's bundle, with one
// change: the size first found once the page is mounted is set in a transition. Until then every
// reader of it has 'ssr', as the server rendered; on a phone the size then removes the desktop
// sidebar and table of contents and sets up the drawer, one render of the whole page that was a
// long task. As a transition React does it a few milliseconds at a time (./after-mount.ts: at once
// if the reader taps or types first, or the drawer would open empty). A resize later is an
// ordinary update, as in Docusaurus. src/plugins/stand-ins.ts puts this module in place of theirs.
import { useLayoutEffect, useState } from 'react';
import { setAfterMount } from './after-mount';

type WindowSize = 'desktop' | 'mobile' | 'ssr';

// The same as Infima's breakpoint: JS and CSS must agree (facebook/docusaurus#9603).
const DESKTOP_BREAKPOINT = 996;

function getWindowSize(desktopBreakpoint: number): WindowSize {
  return window.innerWidth > desktopBreakpoint ? 'desktop' : 'mobile';
}

/** The window's size as 'desktop' or 'mobile'; 'ssr' until the page is mounted. */
export function useWindowSize({ desktopBreakpoint = DESKTOP_BREAKPOINT } = {}): WindowSize {
  const [windowSize, setWindowSize] = useState<WindowSize>('ssr');
  // A layout effect, so the first-input listeners are there from the commit that hydrates the
  // page (a passive effect runs a task later, and a tap in between could open the drawer empty).
  useLayoutEffect(() => {
    const update = () => setWindowSize(getWindowSize(desktopBreakpoint));
    const stop = setAfterMount(update);
    window.addEventListener('resize', update);
    return () => {
      stop();
      window.removeEventListener('resize', update);
    };
  }, [desktopBreakpoint]);
  return windowSize;
}
