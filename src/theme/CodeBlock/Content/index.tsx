// Code blocks as static highlighted HTML: one string, not one React element per token. A notebook
// page holds 1,200–3,900 tokens, chapter 6 as many in nginx, HAProxy and YAML; hydrating them as
// elements cost most of a page's Total Blocking Time. Prism colours them by class, and CSS colours
// the block: the colours come from the site's own light and dark Prism themes (./tokens.ts, in
// src/theme/Root). Each line is a span of its own (./lines.ts), so a phone can wrap it
// (src/css/custom.css). Every language Prism knows on the server (prism-react-renderer's own, and
// the config's additionalLanguages, which Docusaurus loads on the server too) is highlighted here;
// any other ('text') is escaped as plain text. While the page hydrates, the block takes back the
// HTML the server wrote (../../server-html.ts) rather than highlight the code again, so a page from
// the server never loads Prism (../prism). Tokens the site's themes draw as plain text (punctuation,
// operators) lose their spans (./tokens.ts). Blocks with line numbers or highlighted lines keep
// Docusaurus's renderer.
import {
  lazy,
  useId,
  useMemo,
  type ComponentType,
  type CSSProperties,
  type ReactNode,
} from 'react';
import clsx from 'clsx';
import type { Prism as PrismType, PrismTheme } from 'prism-react-renderer';
import { useThemeConfig } from '@docusaurus/theme-common';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import { serverHtml } from '../../server-html';
import { prismForRender } from '../prism';
import { htmlLines, rowsWrappedAt } from './lines';
import { plainSpansRemoved, plainTypes } from './tokens';
import styles from './styles.module.css';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Token types whose spans may go when the site's themes draw them as plain text (./tokens.ts). */
const DROPPABLE = ['punctuation', 'operator'];

/** Docusaurus's renderer, for blocks with line numbers or highlighted lines. It imports Prism, so
 *  the browser loads it only for such a block (none of the course's pages has one today). */
const OriginalContent: ComponentType<{ className?: string }> = process.env.STATELAB_SERVER_RENDER
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('@theme-original/CodeBlock/Content') as { default: ComponentType }).default
  : lazy(() => import('@theme-original/CodeBlock/Content'));

/** The block's code as highlighted HTML, one span per line, without the spans of `plain` tokens. */
export function highlightedLines(
  Prism: typeof PrismType,
  code: string,
  language: string,
  plain: string[] = [],
): string {
  const grammar = Prism.languages[language];
  if (!grammar) return htmlLines(escapeHtml(code));
  return htmlLines(plainSpansRemoved(Prism.highlight(code, grammar, language), plain));
}

export default function CodeBlockContent({ className }: { className?: string }): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  const { code, language = '', lineNumbersStart, lineClassNames } = metadata;
  const { prism } = useThemeConfig();
  const id = useId();
  const plain = lineNumbersStart === undefined && Object.keys(lineClassNames).length === 0;
  // Read once, while the page hydrates: the same block keeps it on every later render.
  const fromServer = useMemo(() => (plain ? serverHtml(id) : undefined), [plain, id]);
  // Only a block with no server HTML needs Prism (../prism: loaded on demand in the browser).
  const Prism = plain && fromServer === undefined ? prismForRender() : undefined;
  const html = useMemo(() => {
    if (fromServer !== undefined || !Prism) return fromServer ?? '';
    const themes = [prism.theme, prism.darkTheme ?? prism.theme] as PrismTheme[];
    return highlightedLines(Prism, code, language, plainTypes(themes, DROPPABLE));
  }, [fromServer, Prism, code, language, prism]);
  if (!plain) return <OriginalContent className={className} />;
  return (
    <pre
      ref={wordWrap.codeBlockRef}
      tabIndex={0}
      // Its height while content-visibility leaves it unlaid out (src/css/custom.css): its lines, and
      // the rows they wrap into on a tablet and on a phone.
      style={
        {
          '--code-lines': code.split('\n').length,
          '--code-rows-tablet': rowsWrappedAt(code, 76),
          '--code-rows-phone': rowsWrappedAt(code, 36),
        } as CSSProperties
      }
      className={clsx(
        className,
        'prism-code',
        `language-${language}`,
        'static-tokens',
        styles.codeBlock,
        'thin-scrollbar',
      )}
    >
      <code id={id} className={styles.codeBlockLines} dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
