// Docusaurus's CodeBlock (theme-classic 3.10) without its remount after hydration. Docusaurus keys
// every code block on useIsBrowser(), so once the page runs it rebuilds every token of every block,
// in case the reader's colour mode differs from the server's light Prism theme. On a notebook page
// (1,800 elements) Lighthouse measured that as one 1.5 s task (performance 69; 96 without it).
// The colour mode reaches the blocks as an ordinary update after hydration, so the colours still
// change: tests/site/browser.test.ts checks a dark load and a toggle.
import React, { isValidElement, type ReactNode } from 'react';
import ElementContent from '@theme/CodeBlock/Content/Element';
import StringContent from '@theme/CodeBlock/Content/String';
import type { Props } from '@theme/CodeBlock';

/** As Docusaurus: plain-string children become one string, so the block can be copied. */
function maybeStringifyChildren(children: ReactNode): ReactNode {
  if (React.Children.toArray(children).some((el) => isValidElement(el))) return children;
  return Array.isArray(children) ? children.join('') : children;
}

export default function CodeBlock({ children: rawChildren, ...props }: Props): ReactNode {
  const children = maybeStringifyChildren(rawChildren);
  const Content = typeof children === 'string' ? StringContent : ElementContent;
  return <Content {...(props as object)}>{children as string}</Content>;
}
