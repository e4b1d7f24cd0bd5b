// Drops the line breaks Markdown leaves between a page's blocks: the "\n" text between two
// paragraphs at the top of a page, between the items of a list, or between the paragraphs of a
// loose item. HTML draws none of them (blank text between blocks collapses to nothing), but MDX
// makes each one a child in the page's React tree, which React matches to a text node while the
// page hydrates and walks at every commit: on a notebook page, 111 of the 153 text nodes React kept
// under the article were such breaks. Only where every other child is a block, so that nothing
// inline sits beside a break (./rehype-static-prose.ts has written most blocks as one string by
// then: it keeps its breaks, which cost React nothing).
import type { HastNode } from './rehype-static-prose';

/** Elements that are blocks: blank text between two of them is never drawn. */
const BLOCK_TAGS = new Set([
  ...['p', 'ul', 'ol', 'li', 'pre', 'blockquote', 'hr', 'div', 'section', 'figure', 'details'],
  ...['table', 'thead', 'tbody', 'tfoot', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
]);

/** Parents that may hold blocks (not a paragraph or heading, whose children are all inline). */
const HOLDS_BLOCKS = new Set([
  'ul',
  'ol',
  'li',
  'blockquote',
  'div',
  'section',
  'figure',
  'details',
]);

const blank = (node: HastNode) => node.type === 'text' && /^\s*$/.test(node.value ?? '');
/** Components the course's pages use that draw a block. A component on lines of its own may still
 *  draw inline (<Figure> is a <strong>, <Constant> a number, <code> a code span): between two such,
 *  the break is the space between them, and stays. */
const BLOCK_COMPONENTS = new Set([
  ...['admonition', 'details', 'Details', 'summary', 'Diagram', 'DiagramInBrowser', 'CodeRegion'],
  ...['NotebookOutputs', 'NotebookRunInfo', 'FigureTable', 'FigureChart', 'Quiz'],
  ...['ClusterSimulator', 'ChapterDone', 'ProgressSummary'],
]);

/** A block: an element above, or one of those components. An import draws nothing, and counts as
 *  one: it is on lines of its own. */
const block = (node: HastNode | undefined) =>
  node === undefined ||
  node.type === 'mdxjsEsm' ||
  (node.type === 'mdxJsxFlowElement' &&
    // A component above, or a block ./rehype-static-prose.ts wrote as HTML (<p data-prose …>).
    (BLOCK_COMPONENTS.has(node.name ?? '') || BLOCK_TAGS.has(node.name ?? ''))) ||
  // (Docusaurus's admonitions are elements of their own by then: <admonition>.)
  (node.type === 'element' && (BLOCK_TAGS.has(node.tagName!) || node.tagName === 'admonition'));

export default function rehypeDropBlankText() {
  return (tree: HastNode) => {
    const visit = (node: HastNode) => {
      const children = node.children;
      if (!children) return;
      const holdsBlocks =
        node.type === 'root' ||
        node.type === 'mdxJsxFlowElement' ||
        (node.type === 'element' && HOLDS_BLOCKS.has(node.tagName!));
      // A break with a block (or the parent's edge) on both sides.
      if (holdsBlocks)
        node.children = children.filter(
          (child, i) => !(blank(child) && block(children[i - 1]) && block(children[i + 1])),
        );
      for (const child of node.children ?? []) visit(child);
    };
    visit(tree);
  };
}
