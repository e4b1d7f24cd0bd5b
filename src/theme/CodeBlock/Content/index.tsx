// Code blocks as static highlighted HTML: one string, not one React element per token. A notebook
// page holds 1,200–3,900 tokens, chapter 6 as many in nginx, HAProxy and YAML; hydrating them as
// elements cost most of a page's Total Blocking Time. Prism colours them by class, and CSS colours
// the block: the colours come from the site's own light and dark Prism themes (./tokens.ts, in
// src/theme/Root). Each line is a span of its own (./lines.ts), so a phone can wrap it
// (src/css/custom.css). Every language Prism knows on the server (prism-react-renderer's own, and
// the config's additionalLanguages, which Docusaurus loads on the server too) is highlighted here;
// any other ('text') is escaped as plain text. While the page hydrates, the block takes back the
// HTML the server wrote (../../server-html.ts) rather than highlight the code again.
// Blocks with line numbers or highlighted lines keep Docusaurus's renderer.
import { useId, useMemo, type ReactNode } from 'react';
import clsx from 'clsx';
import { Prism } from 'prism-react-renderer';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import OriginalContent from '@theme-original/CodeBlock/Content';
import { serverHtml } from '../../server-html';
import { htmlLines } from './lines';
import styles from './styles.module.css';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The block's code as highlighted HTML, one span per line. */
export function highlightedLines(code: string, language: string): string {
  const grammar = Prism.languages[language];
  return htmlLines(grammar ? Prism.highlight(code, grammar, language) : escapeHtml(code));
}

export default function CodeBlockContent({ className }: { className?: string }): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  const { code, language = '', lineNumbersStart, lineClassNames } = metadata;
  const id = useId();
  const plain = lineNumbersStart === undefined && Object.keys(lineClassNames).length === 0;
  const html = useMemo(
    () => (plain ? (serverHtml(id) ?? highlightedLines(code, language)) : ''),
    [plain, id, code, language],
  );
  if (!plain) return <OriginalContent className={className} />;
  return (
    <pre
      ref={wordWrap.codeBlockRef}
      tabIndex={0}
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
