// Code blocks as static highlighted HTML: one string, not one React element per token. A notebook
// page holds 1,200–3,900 tokens, chapter 6 as many in nginx, HAProxy and YAML; hydrating them as
// elements cost most of a page's Total Blocking Time. Prism colours them by class, and CSS colours
// the block: the colours come from the site's own light and dark Prism themes (./tokens.ts, in
// src/theme/Root). Each line is a span of its own (./lines.ts), so a phone can wrap it
// (src/css/custom.css). Every language Prism knows on the server (prism-react-renderer's own, and
// the config's additionalLanguages, which Docusaurus loads on the server too) is highlighted here;
// any other ('text') is escaped as plain text. The browser renders this only after a client-side
// navigation: while a page hydrates, the block takes back the HTML the server wrote (../index.tsx),
// so a page from the server never loads Prism (../prism). Tokens the site's themes draw as plain text (punctuation,
// operators) lose their spans (./tokens.ts). Blocks with line numbers or highlighted lines keep
// Docusaurus's renderer.
import { lazy, useMemo, type ComponentType, type CSSProperties, type ReactNode } from 'react';
import clsx from 'clsx';
import type { Prism as PrismType, PrismTheme } from 'prism-react-renderer';
import { useThemeConfig } from '@docusaurus/theme-common';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
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
  const plain = lineNumbersStart === undefined && Object.keys(lineClassNames).length === 0;
  // Prism: loaded on demand in the browser (../prism).
  const Prism = plain ? prismForRender() : undefined;
  const html = useMemo(() => {
    if (!Prism) return '';
    const themes = [prism.theme, prism.darkTheme ?? prism.theme] as PrismTheme[];
    return highlightedLines(Prism, code, language, plainTypes(themes, DROPPABLE));
  }, [Prism, code, language, prism]);
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
      <code className={styles.codeBlockLines} dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
