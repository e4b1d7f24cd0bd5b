// A Docusaurus plugin: a small script at the top of every page that answers a click on the
// colour-mode button made before the page's own script has run (src/theme/ColorModeToggle). It
// does what the button will do once React owns it: the next mode in the same order (the order is
// ../theme/ColorModeToggle/next-mode.ts, written out here as plain JavaScript), the page's
// data-theme and data-theme-choice, and the choice stored where Docusaurus keeps it (its key and
// storage, from the site's config), so that Docusaurus reads that mode from the page when it
// hydrates. It steps aside, and lets the click through, once React has the button (a fiber on it):
// from then on the button's own handler answers, and a click is never answered twice. Without
// JavaScript the button is not shown: nothing could answer it.
import type { LoadContext, Plugin } from '@docusaurus/types';
import { TOGGLE_ATTRIBUTE } from '../theme/ColorModeToggle/next-mode';

interface ColorModeConfig {
  defaultMode: 'light' | 'dark';
  respectPrefersColorScheme: boolean;
}

/** The script, for a site with this colour-mode config and storage. */
export function earlyColourModeScript(
  { defaultMode, respectPrefersColorScheme }: ColorModeConfig,
  storage: { type: string; key: string },
): string {
  return `(function () {
  var respect = ${JSON.stringify(respectPrefersColorScheme)}, fallback = ${JSON.stringify(defaultMode)};
  function reactOwns(button) {
    for (var key in button) if (key.indexOf('__reactFiber$') === 0) return true;
    return false;
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('button[${TOGGLE_ATTRIBUTE}]') : null;
    if (!button || reactOwns(button)) return;
    event.stopPropagation();
    var root = document.documentElement, choice = root.getAttribute('data-theme-choice');
    var mode = choice === 'light' || choice === 'dark' ? choice : null;
    var next = !respect ? (mode === 'dark' ? 'light' : 'dark')
      : mode === null ? 'light' : mode === 'light' ? 'dark' : null;
    var system = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    root.setAttribute('data-theme', next || (respect ? system : fallback));
    root.setAttribute('data-theme-choice', next || 'system');
    try {
      var store = window[${JSON.stringify(storage.type)}];
      if (next) store.setItem(${JSON.stringify(storage.key)}, next);
      else store.removeItem(${JSON.stringify(storage.key)});
    } catch (error) {}
  }, true);
})();`;
}

export default function earlyColourMode(context: LoadContext): Plugin {
  const { colorMode } = context.siteConfig.themeConfig as { colorMode: ColorModeConfig };
  const { type, namespace } = context.siteStorage;
  return {
    name: 'statelab-early-colour-mode',
    injectHtmlTags() {
      return {
        // Without JavaScript nothing can answer the button: it is not shown.
        headTags: [
          {
            tagName: 'noscript',
            innerHTML: `<style>button[${TOGGLE_ATTRIBUTE}] { display: none; }</style>`,
          },
        ],
        preBodyTags: [
          {
            tagName: 'script',
            innerHTML: earlyColourModeScript(colorMode, { type, key: `theme${namespace}` }),
          },
        ],
      };
    },
  };
}
