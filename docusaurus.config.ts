// The StateLab site: the course's chapters (docs/), a landing page (src/pages/) and offline search.
import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import { themes as prismThemes, type PrismTheme } from 'prism-react-renderer';
import remarkDiagrams from './src/diagrams/remark-plugin';
import remarkRecords from './src/components/Figures/remark-records';
import remarkCodeRegions from './src/components/CodeRegion/remark-code-regions';
import remarkDownload from './src/components/NotebookOutput/remark-download';
import rehypeStaticProse from './src/prose/rehype-static-prose';
import rehypeDropBlankText from './src/prose/rehype-drop-blank-text';
import mermaidOnDemand from './src/diagrams/mermaid-on-demand';
import exerciseProgress from './src/plugins/exercise-progress';
import buildStamp from './src/plugins/build-stamp';
import serverRenderFlag from './src/plugins/server-render-flag';
import siteLoaders from './src/plugins/site-loaders';
import searchMark from './src/plugins/search-mark';
import prismOnDemand from './src/plugins/prism-on-demand';
import standIns from './src/plugins/stand-ins';
import earlyColourMode from './src/plugins/early-colour-mode';
import stagedBoot from './src/plugins/staged-boot';
import docsChunk from './src/plugins/docs-chunk';
import { EDIT_URL_ENV, editUrlFor } from './src/edit-url';
import { SSG_TEMPLATE } from './src/ssg-template';

/** WCAG contrast ratio of two #rrggbb / rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const parts = c.startsWith('#')
      ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16))
      : (c.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    const [r, g, b2] = parts.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The Prism theme with every token colour that fails WCAG AA (4.5:1) against the code background
 * moved toward black (light theme) or white (dark theme) until it passes; axe flagged several.
 */
function accessible(theme: PrismTheme, toward: 'black' | 'white'): PrismTheme {
  const background = theme.plain.backgroundColor ?? (toward === 'black' ? '#ffffff' : '#000000');
  const fix = (color: string) => {
    const parts = color.startsWith('#')
      ? [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
      : (color.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    let [r, g, b] = parts;
    for (
      let step = 0;
      step < 40 && contrast(`rgb(${r}, ${g}, ${b})`, background) < 4.6;
      step += 1
    ) {
      const target = toward === 'black' ? 0 : 255;
      [r, g, b] = [r, g, b].map((v) => Math.round(v + (target - v) * 0.08));
    }
    return `rgb(${r}, ${g}, ${b})`;
  };
  return {
    ...theme,
    styles: theme.styles.map((s) =>
      s.style.color && /^(#[0-9a-f]{6}|rgb)/i.test(s.style.color)
        ? { ...s, style: { ...s.style, color: fix(s.style.color) } }
        : s,
    ),
  };
}

const config: Config = {
  title: 'StateLab',
  tagline: 'Stateful vs stateless architecture: build a tiny shop, then break it.',
  favicon: 'img/favicon.svg',
  url: 'https://statelab.example',
  baseUrl: '/',
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',

  // v4 turns on the Rspack bundler, SWC loader and minifiers (from @docusaurus/faster). All but
  // gitEagerVcs, which reads the whole Git history at every build (about a second) for "last
  // updated" dates that no page shows.
  future: { v4: true, faster: { gitEagerVcs: false } },
  // Docusaurus's page template, its scripts added after the first paint (src/ssg-template.ts).
  ssrTemplate: SSG_TEMPLATE,
  // Docusaurus's "your site did not load properly" banner: an inline script on the home page that
  // adds it to the body, hidden by CSS, when no script of the site has run by DOMContentLoaded. The
  // site's scripts now run after that (src/ssg-template.ts), and the base URL is tested anyway.
  baseUrlIssueBanner: false,

  markdown: {
    hooks: { onBrokenMarkdownLinks: 'throw' },
  },
  // After each page renders: lays out, in idle moments, the article it did not lay out at load;
  // keeps the reader's place in it when its width changes (a tablet turned, a window resized), and
  // when they come back to it (Back, Forward).
  clientModules: [
    './src/theme/lay-out-prose.ts',
    './src/theme/keep-place-on-resize.ts',
    './src/theme/estimate-no-anchor.ts',
    './src/theme/back-to-place.ts',
  ],
  // exerciseProgress: `npm run dev` serves what `npm run check` last found, for the progress table
  // (`npm start` serves it itself: tools/static-server.ts). buildStamp: what each build was built
  // from, so `npm start` rebuilds only when that changed (tools/site-inputs.ts). serverRenderFlag:
  // which bundle code is in, so an island's server-only copy stays out of the browser's. siteLoaders:
  // the persistent cache starts over when a loader of the site's own changes. standIns: a few of
  // Docusaurus's modules, each with one change, in the browser's bundle. earlyColourMode: a click on
  // the colour-mode button before the page has hydrated is answered, not lost.
  plugins: [
    mermaidOnDemand,
    docsChunk,
    exerciseProgress,
    buildStamp,
    serverRenderFlag,
    siteLoaders,
    searchMark,
    prismOnDemand,
    standIns,
    earlyColourMode,
    stagedBoot,
  ],
  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: '/docs',
        highlightSearchTermsOnTargetPage: true,
      },
    ],
  ],

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/docs',
          sidebarPath: './sidebars.ts',
          // "Edit this page": a notebook page links its .ipynb; off unless STATELAB_EDIT_URL is set.
          editUrl: editUrlFor(process.env[EDIT_URL_ENV]),
          // Mermaid fences become images drawn ahead of time (npm run diagrams): no Mermaid JS on the page.
          beforeDefaultRemarkPlugins: [[remarkDiagrams, { siteDir: __dirname }]],
          // <Figure>, <Constant>, <NotebookOutputs>… get their own chapter's recorded run, so a page
          // bundles that one record, not every chapter's (src/components/Figures/remark-records.ts).
          // <CodeRegion> gets the region it shows, cut at build time, not the whole file
          // (src/components/CodeRegion/remark-code-regions.ts).
          // A notebook's download link saves it as NN-slug.ipynb, not under the build's hashed name.
          remarkPlugins: [
            [remarkRecords, { siteDir: __dirname }],
            [remarkCodeRegions, { siteDir: __dirname }],
            remarkDownload,
          ],
          // Plain prose (paragraphs, lists, tables without internal links or components) is written
          // by the server and read back from the page, not shipped as JavaScript
          // (src/prose/rehype-static-prose.ts); the line breaks between blocks, which HTML does not
          // draw, are not React text nodes (src/prose/rehype-drop-blank-text.ts).
          rehypePlugins: [
            [rehypeStaticProse, { client: '@site/src/prose/client', siteDir: __dirname }],
            rehypeDropBlankText,
          ],
        },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],

  themeConfig: {
    colorMode: { defaultMode: 'light', respectPrefersColorScheme: true },
    navbar: {
      title: 'StateLab',
      // alt '': the title beside the logo already says StateLab (axe: image-redundant-alt).
      logo: { alt: '', src: 'img/logo.svg', width: 32, height: 32 },
      items: [{ type: 'docSidebar', sidebarId: 'course', position: 'left', label: 'Course' }],
    },
    footer: {
      style: 'dark',
      copyright: 'StateLab: read it, run it, break it.',
    },
    prism: {
      theme: accessible(prismThemes.github, 'black'),
      darkTheme: accessible(prismThemes.dracula, 'white'),
      // prism-react-renderer 2 already bundles typescript, tsx, json and yaml; bash and nginx must be added.
      additionalLanguages: ['bash', 'nginx'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
