// The browser bundle's entry (src/plugins/staged-boot.ts): Docusaurus's own client entry
// (@docusaurus/core/lib/client/clientEntry.js), started in several tasks instead of one.
//
// Run as one script, the start of the site was the longest task a page had after its first
// paint (issue 18): it evaluated React DOM, built every route, asked for the page's chunks (a
// <script> for each), then ran Docusaurus's app, all before the browser could do anything else.
// Lighthouse counts every millisecond of a task past 50 as blocking time: one task of 360 ms
// blocks for 310 ms, four tasks of 90 ms for 160 ms. Here each part is a task of its own, in the
// order clientEntry.js itself needs them (the page's chunks, one matched route's a task); a module
// runs once, so when clientEntry.js requires them they are already there. The page hydrates as
// before: Docusaurus waits for the page's chunks, then hydrates in a transition (React works in
// slices of about 5 ms).
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
import { runInTasks, type Step } from './stages';

declare global {
  interface Window {
    statelabBootAtOnce?: boolean;
  }
}

type Routes = { default: { component: { preload?: () => Promise<unknown> } }[] };
type MatchRoutes = {
  matchRoutes: (routes: Routes['default'], path: string) => { route: Routes['default'][number] }[];
};

/**
 * Docusaurus's preload (@docusaurus/core/lib/client/preload.js), one matched route a task: the
 * docs' layout routes, then the page. Each asks for its chunks, a <script> each. As one step, that
 * was the heaviest of the four on a notebook page (a profile of its loads, issue 18): a <script>
 * added while the page loads cost up to 10 ms in Chromium's fetch, against 1-2 ms once loaded.
 */
function preloadEachRoute(): Step[] {
  const routes = (require('@generated/routes') as Routes).default;
  const { matchRoutes } = require('react-router-config') as MatchRoutes;
  const matches = Array.from(new Set([location.pathname, decodeURI(location.pathname)])).flatMap(
    (path) => matchRoutes(routes, path),
  );
  // A chunk that fails to load is reported once, by Docusaurus's entry (it waits on this load).
  return matches.map(
    ({ route }) =>
      () =>
        void route.component.preload?.().catch(() => {}),
  );
}

runInTasks(
  [
    () => void require('react-dom/client'),
    () => void require('@generated/routes'),
    preloadEachRoute,
    () => void require('@docusaurus/core/lib/client/clientEntry.js'),
  ],
  window.statelabBootAtOnce === true,
);
