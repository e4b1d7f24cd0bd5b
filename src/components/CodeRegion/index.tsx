// Shows real code on a page: a named region of a file imported with raw-loader, e.g.
//   import shop from '!!raw-loader!@site/notebooks/lab/node/shop.ts';
//   <CodeRegion source={shop} file="notebooks/lab/node/shop.ts" region="routes" />
import type { ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import { extractRegion } from './region';

export interface CodeRegionProps {
  /** The file's full text (from `!!raw-loader!@site/...`). */
  source: string;
  /** The file's path from the repository root, shown as the block's title. */
  file: string;
  /** The `// #region name` to show; the whole file when omitted. */
  region?: string;
  language?: string;
}

export default function CodeRegion({
  source,
  file,
  region,
  language = 'ts',
}: CodeRegionProps): ReactNode {
  let code: string;
  try {
    code = region === undefined ? source.trim() : extractRegion(source, region);
  } catch (error) {
    // Fail the build rather than publish a page with missing code.
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  return (
    <CodeBlock language={language} title={file}>
      {code}
    </CodeBlock>
  );
}
