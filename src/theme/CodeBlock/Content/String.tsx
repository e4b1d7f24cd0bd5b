// Docusaurus's CodeBlockString (theme-classic 3.10) with a lazy word-wrap hook (../word-wrap.ts):
// the same metadata and context, so Docusaurus's and this site's code block parts work unchanged.
import { useMemo, type ReactNode } from 'react';
import { useThemeConfig } from '@docusaurus/theme-common';
import {
  CodeBlockContextProvider,
  createCodeBlockMetadata,
} from '@docusaurus/theme-common/internal';
import CodeBlockLayout from '@theme/CodeBlock/Layout';
import type { Props } from '@theme/CodeBlock/Content/String';
import { useLazyWordWrap } from '../word-wrap';

/** The block's metadata (its code without magic comments, language, title…), as Docusaurus's. */
export function useCodeBlockMetadata(props: Props) {
  const { prism } = useThemeConfig();
  const { children, className, metastring, language, title, showLineNumbers } = props;
  // Memoised (Docusaurus parses the code again on every render): a block renders again when its
  // buttons mount or its word wrap changes, and its code has not changed.
  return useMemo(
    () =>
      createCodeBlockMetadata({
        code: children,
        className,
        metastring,
        magicComments: prism.magicComments,
        defaultLanguage: prism.defaultLanguage,
        language,
        title,
        showLineNumbers,
      }),
    [children, className, metastring, language, title, showLineNumbers, prism],
  );
}

export default function CodeBlockString(props: Props): ReactNode {
  const metadata = useCodeBlockMetadata(props);
  const wordWrap = useLazyWordWrap();
  return (
    <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
      <CodeBlockLayout />
    </CodeBlockContextProvider>
  );
}
