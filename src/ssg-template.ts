// The HTML every page is built into: Docusaurus's own template (@docusaurus/core/lib/ssg/
// ssgTemplate.html.js, 3.10) with one change. Docusaurus puts its two scripts (the runtime and
// main, about 125 KiB sent) in the head as <script defer>, fetched while the stylesheet and the page
// still are. Here a small script at the end of the body adds them once the page has painted its
// first text (the paint timing entry "first-contentful-paint"), in the same order, and run in that
// order (async = false). The reader sees the page from its HTML and CSS; the code that makes it
// interactive is fetched right after, so the page becomes interactive later, by about the time it
// took to paint.
//
// What it gains, measured with Lighthouse (mobile, simulated throttling), the same pages built both
// ways, run in turn: Largest Contentful Paint went from 1.2–3.0 s to about 1.0 s. In Lighthouse's
// model of a slow network, the largest paint waits for every request that finished before it,
// scripts included; a real browser fetches deferred scripts at a low priority, so the gain on a
// real phone is smaller than that. `npm run bench` prints the figures of the current build.
//
// Not at the first animation frame: a frame can come before anything is painted, and Chromium marks
// the paint when it reaches the screen, later than the frame; waiting for a frame, the scripts were
// asked for before the first paint on 3 of 4 pages (tests/site/scripts-after-paint.test.ts).
//
// Where the browser puts the reader on the page itself, the scripts load at once, as soon as the
// page is parsed: a page opened at a heading (#somewhere), reloaded, or reached by Back or Forward.
// The browser keeps that place while the page grows only until the load event, and the scripts, and
// the chunks they add, hold that event back until they have run. After the first paint they came
// after it, and a link to a chapter's last heading left it 7 to 495 px below where it belongs
// (tests/site/far-code.test.ts). There the site also starts in one task rather than four
// (statelabBootAtOnce, src/boot/staged-entry.ts), so its chunks are asked for before that event
// too. And the article is marked to be laid out whole (data-whole), not part by part as the reader
// comes near, when the place is in it: a heading or other element of the article, a text (a link
// to #:~:text=..., which the page reads from its navigation's entry: location.hash hides it), or
// wherever the reader was before a reload or Back. The browser may have placed the reader in a
// frame or two before this script, against estimates, but it places them again until the load
// event, which comes after: its last placing is against real heights, whenever its frames come
// (src/css/custom.css says what went wrong without it). A link to an element outside the article,
// or to none, lays nothing out.
//
// A page in a tab the reader is not looking at (or being prerendered) paints nothing: there the
// scripts load at once (and the site starts in one task), and if the tab is hidden before its
// first paint, they load when it is. A browser without paint timing waits for a frame instead; and
// if no paint is reported in 5 s, they load then. Without JavaScript nothing changes: the page is
// the same HTML.

/** How long the page waits for its first paint to be reported before it loads its scripts anyway. */
export const PAINT_WAIT_MS = 5000;

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
  var navigation = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
  var reopened = navigation && navigation.type !== 'navigate';
  if (reopened) {
    // A wheel, touch or key before the site's code runs: the reader has moved on from the place
    // noted before the reload, and it is not given back (src/theme/back-to-place.ts).
    var acted = function () {
      window.statelabActedAt = window.statelabActedAt || performance.now();
    };
    var kinds = ['wheel', 'touchstart', 'keydown', 'pointerdown'];
    for (var k = 0; k < kinds.length; k++) {
      addEventListener(kinds[k], acted, { passive: true, capture: true });
    }
  }
  // A link to a text (#:~:text=...) is hidden from location.hash, not from the navigation's entry.
  var toText = !!navigation && navigation.name.indexOf('#:~:') >= 0;
  var placed = location.hash || toText || reopened;
  var article = document.querySelector('.theme-doc-markdown');
  if (article && (reopened || toText || named(article))) article.setAttribute('data-whole', '');
  function named(article) {
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {}
    var target = id && document.getElementById(id);
    return !!target && article.contains(target);
  }
  if (placed || document.visibilityState === 'hidden') {
    window.statelabBootAtOnce = true;
    return load();
  }
  setTimeout(load, ${PAINT_WAIT_MS});
  try {
    if (PerformanceObserver.supportedEntryTypes.indexOf('paint') < 0) throw new Error('no paint timing');
    new PerformanceObserver(function (list, observer) {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      load();
    }).observe({ type: 'paint', buffered: true });
  } catch (error) {
    requestAnimationFrame(function () { setTimeout(load, 0); });
  }
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
