// Shows real code on a page: a named region of a file, cut at build time, e.g.
//   <CodeRegion file="notebooks/lab/node/shop.ts" region="routes" />
// The page names the file and the region; the build gives the component the region's text as
// code={…} (./remark-code-regions.ts), so the page's bundle carries those lines and not the file.
import type { ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';

export interface CodeRegionProps {
  /** The file's path from the repository root, shown as the block's title. */
  file: string;
  /** The `// #region name` to show; the whole file when omitted. */
  region?: string;
  language?: string;
  /** The region's text, from the build. */
  code?: string;
}

export default function CodeRegion({
  file,
  region,
  language = 'ts',
  code,
}: CodeRegionProps): ReactNode {
  if (code === undefined)
    // Fail the build rather than publish a page with missing code.
    throw new Error(
      `<CodeRegion file="${file}"${region ? ` region="${region}"` : ''}>: the build gives it its code ` +
        '(src/components/CodeRegion/remark-code-regions.ts, in docusaurus.config.ts), and did not here: ' +
        'use it in a page under docs/.',
    );
  return (
    <CodeBlock language={language} title={file}>
      {code}
    </CodeBlock>
  );
}
