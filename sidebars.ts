// The course in reading order. Every doc appears here exactly once (tests/content/sidebar.test.ts).
import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';

const sidebars: SidebarsConfig = {
  course: [
    { type: 'category', label: 'Start here', collapsed: false, items: ['intro', 'setup'] },
    {
      type: 'category',
      label: 'Chapters',
      collapsed: false,
      items: [
        'request-path',
        'many-servers',
        'stateful-servers',
        'stateless-servers',
        'where-state-lives',
        'state-that-remains',
        'price-of-statelessness',
        'capstone',
        'cheat-sheet',
        'glossary',
      ],
    },
    {
      type: 'category',
      label: 'Notebooks',
      collapsed: true,
      // Generated from notebooks/*.ipynb by `npm run notebook-pages` (tools/notebook-pages.ts).
      items: [
        'notebooks/request-path',
        'notebooks/many-servers',
        'notebooks/stateful-servers',
        'notebooks/stateless-servers',
        'notebooks/where-state-lives',
        'notebooks/state-that-remains',
        'notebooks/price-of-statelessness',
        'notebooks/capstone',
      ],
    },
  ],
};

export default sidebars;
