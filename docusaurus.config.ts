// The StateLab site: the course's chapters (docs/), a landing page (src/pages/) and offline search.
import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import { themes as prismThemes } from 'prism-react-renderer';

const config: Config = {
  title: 'StateLab',
  tagline: 'Stateful vs stateless architecture: build a tiny shop, then break it.',
  favicon: 'img/favicon.svg',
  url: 'https://statelab.example',
  baseUrl: '/',
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',

  // v4 turns on the Rspack bundler, SWC loader and minifiers (from @docusaurus/faster).
  future: { v4: true, faster: true },

  markdown: {
    mermaid: true,
    hooks: { onBrokenMarkdownLinks: 'throw' },
  },
  themes: [
    '@docusaurus/theme-mermaid',
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
      logo: { alt: 'StateLab', src: 'img/logo.svg' },
      items: [{ type: 'docSidebar', sidebarId: 'course', position: 'left', label: 'Course' }],
    },
    footer: {
      style: 'dark',
      copyright: 'StateLab: read it, run it, break it.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      // prism-react-renderer 2 already bundles typescript, tsx, json and yaml; bash and nginx must be added.
      additionalLanguages: ['bash', 'nginx'],
    },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
  } satisfies Preset.ThemeConfig,
};

export default config;
