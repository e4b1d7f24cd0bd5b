// The HTML every page is built into: Docusaurus's own template (@docusaurus/core/lib/ssg/
// ssgTemplate.html.js, 3.10) with one change. Docusaurus puts its two scripts (the runtime and
// main, about 125 KiB sent) in the head as <script defer>: the browser fetches them while it still
// fetches the stylesheet and parses the page, so on a slow phone network they share the bandwidth
// with what the first screen needs. Here a small script at the end of the body adds them once the
// page has painted its first text (the paint timing entry "first-contentful-paint"), in the same
// order and still run in that order (async = false). The reader sees the page as soon as its HTML
// and CSS are in; the code that makes it interactive is fetched right after.
//
// Measured with Lighthouse (mobile, simulated throttling), the same pages built both ways, run in
// turn: Largest Contentful Paint went from 1.2–3.0 s to about 1.0 s, because the text that is the
// largest paint no longer waits, in Lighthouse's model of a slow network, for 125 KiB of script it
// does not need. `npm run bench` prints the figures of the current build.
//
// Not the first animation frame: a frame can come before anything is painted, and Chromium marks
// the paint when it reaches the screen, later than the frame; waiting for a frame, the scripts were
// asked for before the first paint on 3 of 4 pages (tests/site/scripts-after-paint.test.ts).
//
// A page opened at a heading (a link to #somewhere) loads them at once, as before: the browser
// keeps the heading at the top of the screen while the page grows only until the page's load event,
// which the scripts then hold back until the page has hydrated and laid out what is near the
// heading. Loaded after the first paint, they came after that event, and a link to a chapter's last
// heading left it 7 to 495 px below where it belongs (tests/site/far-code.test.ts).
//
// A page in a tab the reader is not looking at paints nothing: there the scripts load at once, and
// if the tab is hidden before its first paint, they load when it is. A browser without paint
// timing waits for a frame instead; and if no paint is reported in 5 s, they load then. Without
// JavaScript nothing changes: the page is the same HTML.

/** What the script at the end of the body does, given the scripts' URLs in order. ES5: it runs
 *  before anything else of the site, in any browser that shows the page. */
export const LOAD_AFTER_FIRST_PAINT = `function (scripts) {
  var started = false;
  function load() {
    if (started) return;
    started = true;
    for (var i = 0; i < scripts.length; i++) {
      var script = document.createElement('script');
      script.src = scripts[i];
      script.async = false;
      document.head.appendChild(script);
    }
  }
  document.addEventListener('visibilitychange', load);
  if (location.hash || document.visibilityState === 'hidden') return load();
  setTimeout(load, 5000);
  var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
  if (!types || types.indexOf('paint') < 0)
    return requestAnimationFrame(function () { setTimeout(load, 0); });
  new PerformanceObserver(function (list, observer) {
    if (list.getEntriesByName('first-contentful-paint').length === 0) return;
    observer.disconnect();
    load();
  }).observe({ type: 'paint', buffered: true });
}`;

export const SSG_TEMPLATE = `
<!DOCTYPE html>
<html <%~ it.htmlAttributes %>>
  <head>
    <meta charset="UTF-8">
    <meta name="generator" content="Docusaurus v<%= it.version %>">
    <% it.metaAttributes.forEach((metaAttribute) => { %>
      <%~ metaAttribute %>
    <% }); %>
    <%~ it.headTags %>
    <% it.stylesheets.forEach((stylesheet) => { %>
      <link rel="stylesheet" href="<%= it.baseUrl %><%= stylesheet %>" />
    <% }); %>
  </head>
  <body <%~ it.bodyAttributes %>>
    <%~ it.preBodyTags %>
    <div id="__docusaurus"><%~ it.appHtml %></div>
    <%~ it.postBodyTags %>
    <script>(${LOAD_AFTER_FIRST_PAINT})(<%~ JSON.stringify(it.scripts.map((script) => it.baseUrl + script)) %>);</script>
  </body>
</html>
`;
