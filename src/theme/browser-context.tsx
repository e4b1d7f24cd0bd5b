// Docusaurus's core lib/client/browserContext.js (3.10), in the browser's bundle, with one change:
// the page learns it runs in a browser (useIsBrowser() turns true, once hydrated) in a transition.
// Every component that reads it renders again then (each <details>, the sidebar's categories,
// themed images, the colour-mode toggle...); as an ordinary update that was one task of the whole
// page, as a transition React does it a few milliseconds at a time (./after-mount.ts: at once if
// the reader taps or types first).
// src/plugins/stand-ins.ts puts this module in place of Docusaurus's; the server keeps theirs
// (it never runs the effect).
import React, { useLayoutEffect, useState, type ReactNode } from 'react';
import { setAfterMount } from './after-mount';

export const Context = React.createContext(false);

export function BrowserContextProvider({ children }: { children: ReactNode }): ReactNode {
  const [isBrowser, setIsBrowser] = useState(false);
  // A layout effect: listening for the first input from the hydrating commit on (./use-window-size.ts).
  useLayoutEffect(() => setAfterMount(() => setIsBrowser(true)), []);
  return <Context.Provider value={isBrowser}>{children}</Context.Provider>;
}
