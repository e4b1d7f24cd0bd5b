// Docusaurus's code line (the renderer of blocks that are not highlighted to static HTML, such as
// bash and notebook output), plus the line's indentation as --indent, so that a narrow screen
// wraps what does not fit deeper than the line itself (src/css/custom.css), as ../Content/lines.ts
// does for the static blocks.
import type { CSSProperties, ReactNode } from 'react';
import Line from '@theme-original/CodeBlock/Line';
import type { Props } from '@theme/CodeBlock/Line';
import { indentOf } from '../Content/lines';

export default function LineWithIndent(props: Props): ReactNode {
  const indent = indentOf(props.line.map((token) => token.content).join(''));
  if (!indent) return <Line {...props} />;
  const getLineProps: Props['getLineProps'] = (input) => {
    const lineProps = props.getLineProps(input);
    return { ...lineProps, style: { ...lineProps.style, '--indent': indent } as CSSProperties };
  };
  return <Line {...props} getLineProps={getLineProps} />;
}
