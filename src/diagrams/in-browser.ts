// What a page needs to draw a Mermaid diagram that has no drawing yet: the import of
// <DiagramInBrowser> (src/components/Diagram/InBrowser.tsx), the one module that loads Mermaid. The
// remark plugins add it to a page's MDX only when that page has such a diagram (./remark-plugin.ts,
// ../components/Figures/remark-records.ts), so a build whose diagrams are all drawn holds no Mermaid:
// the bundler does not compile, minify or emit its few megabytes of JavaScript.

/** The name a page's MDX uses for the component. */
export const IN_BROWSER = 'DiagramInBrowser';
const MODULE = '@site/src/components/Diagram/InBrowser';

interface MdRoot {
  children?: { type: string; value?: unknown; data?: unknown }[];
}

const SOURCE = `import ${IN_BROWSER} from ${JSON.stringify(MODULE)};`;

/** Adds `import DiagramInBrowser from "…"` to the page once (MDX also wants its estree). */
export function importInBrowser(tree: MdRoot): void {
  tree.children ??= [];
  if (tree.children.some((node) => node.type === 'mdxjsEsm' && node.value === SOURCE)) return;
  const declaration = {
    type: 'ImportDeclaration',
    specifiers: [
      { type: 'ImportDefaultSpecifier', local: { type: 'Identifier', name: IN_BROWSER } },
    ],
    source: { type: 'Literal', value: MODULE, raw: JSON.stringify(MODULE) },
    attributes: [],
  };
  // At the end: MDX hoists every import to the top of the page's module anyway.
  tree.children.push({
    type: 'mdxjsEsm',
    value: SOURCE,
    data: { estree: { type: 'Program', sourceType: 'module', comments: [], body: [declaration] } },
  });
}
