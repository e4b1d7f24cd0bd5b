// Code blocks in TypeScript, JavaScript and JSON as static highlighted HTML: one string, not one
// React element per token. A notebook page holds 1,200–3,900 tokens; hydrating them as elements
// cost most of its Total Blocking Time. Prism colours them by class, and CSS colours the block:
// the colours come from the site's own light and dark Prism themes (./tokens.ts, in
// src/theme/Root). Each line is a span of its own (./lines.ts), so a phone can wrap it
// (src/css/custom.css). Other languages, and blocks with line numbers or highlighted lines, keep
// Docusaurus's renderer.
import { useMemo, type ReactNode } from 'react';
import clsx from 'clsx';
import { Prism } from 'prism-react-renderer';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import OriginalContent from '@theme-original/CodeBlock/Content';
import { htmlLines } from './lines';
import styles from './styles.module.css';

/** Languages prism-react-renderer bundles, so the server and the browser highlight alike. */
const STATIC = new Set(['typescript', 'ts', 'tsx', 'javascript', 'js', 'jsx', 'json']);

export default function CodeBlockContent({ className }: { className?: string }): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  const { code, language = '', lineNumbersStart, lineClassNames } = metadata;
  const grammar = STATIC.has(language) ? Prism.languages[language] : undefined;
  const html = useMemo(
    () => (grammar ? htmlLines(Prism.highlight(code, grammar, language)) : ''),
    [code, grammar, language],
  );
  const plain = lineNumbersStart === undefined && Object.keys(lineClassNames).length === 0;
  if (!grammar || !plain) return <OriginalContent className={className} />;
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
      <code className={styles.codeBlockLines} dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
