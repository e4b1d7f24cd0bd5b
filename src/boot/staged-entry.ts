// The browser bundle's entry (src/plugins/staged-boot.ts): Docusaurus's own client entry
// (@docusaurus/core/lib/client/clientEntry.js), started in four tasks instead of one.
//
// Run as one script, the start of the site was the longest task a page had after its first
// paint (issue 18): it evaluated React DOM, built every route, asked for the page's chunks (a
// <script> for each), then ran Docusaurus's app, all before the browser could do anything else.
// Lighthouse counts every millisecond of a task past 50 as blocking time: one task of 360 ms
// blocks for 310 ms, four tasks of 90 ms for 160 ms. Here each part is a task of its own, in the
// order clientEntry.js itself needs them; a module runs once, so when clientEntry.js requires
// them they are already there. The page hydrates as before: Docusaurus waits for the page's
// chunks, then hydrates in a transition (React works in slices of about 5 ms).
//
// A page where the browser puts the reader itself (opened at a heading, reloaded, reached by
// Back: the loader at the end of the page sets statelabBootAtOnce, src/ssg-template.ts) starts in
// one task, as before: the browser keeps that place only until the load event, and the page's
// chunks must be asked for before it (tests/site/far-code.test.ts). So does a tab the reader is
// not looking at: no one taps it, and a hidden tab's timers may wait a second each.
//
// `npm run bench` prints each page's blocking time; tests/site/staged-boot.test.ts checks the start
// comes in tasks, and at once where the reader was placed.
/* eslint-disable @typescript-eslint/no-require-imports -- each part is required in its own task */
import { runInTasks } from './stages';

declare global {
  interface Window {
    statelabBootAtOnce?: boolean;
  }
}

type Preload = { default: (pathname: string) => Promise<void> };

runInTasks(
  [
    () => require('react-dom/client'),
    () => require('@generated/routes'),
    // A chunk that fails to load is reported once, by Docusaurus's entry (it waits on this load).
    () =>
      void (require('@docusaurus/core/lib/client/preload') as Preload)
        .default(location.pathname)
        .catch(() => {}),
    () => require('@docusaurus/core/lib/client/clientEntry.js'),
  ],
  window.statelabBootAtOnce === true,
);
