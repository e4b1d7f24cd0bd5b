// Docusaurus's CodeBlock (theme-classic 3.10), which does not build a block the server wrote again.
//
// - While the page hydrates, a block of code (a string, as in every Markdown fence) takes back the
//   HTML the server wrote for it as one string, which React leaves as it is (../server-html.ts): one
//   element, not the dozen components and their elements Docusaurus renders per block (the context,
//   layout, container, content, buttons, icons). On a notebook page of forty blocks that was a third
//   of the page's fibers, and React walks every fiber as it hydrates and commits. The block's buttons
//   still come (./Buttons: in an idle moment, or when the reader reaches the block), into the block
//   the server wrote, with the block's code and word wrap in their context as before.
// - After a client-side navigation there is no such HTML: the block renders as Docusaurus's does
//   (./Content/String.tsx, ./Content/index.tsx).
// - Docusaurus keys every code block on useIsBrowser(), so once the page runs it rebuilds every
//   token of every block, in case the reader's colour mode differs from the server's light Prism
//   theme. Not here: the colours are CSS (./Content/tokens.ts), and switch with data-theme.
//   tests/site/browser.test.ts checks a dark load and a toggle.
import React, {
  isValidElement,
  useCallback,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { CodeBlockContextProvider } from '@docusaurus/theme-common/internal';
import ElementContent from '@theme/CodeBlock/Content/Element';
import StringContent from '@theme/CodeBlock/Content/String';
import Buttons, { useReached } from './Buttons';
import type { Props } from '@theme/CodeBlock';
import type { Props as StringProps } from '@theme/CodeBlock/Content/String';
import { serverElement, type ServerElement } from '../server-html';
import { BlockId } from './Container';
import { useCodeBlockMetadata } from './Content/String';
import { useLazyWordWrap } from './word-wrap';

/** As Docusaurus: plain-string children become one string, so the block can be copied. */
function maybeStringifyChildren(children: ReactNode): ReactNode {
  if (React.Children.toArray(children).some((el) => isValidElement(el))) return children;
  return Array.isArray(children) ? children.join('') : children;
}

/** A block's buttons, in the block the server wrote, with the context Docusaurus's would have. */
function ButtonsInPlace({ pre, ...props }: StringProps & { pre: HTMLPreElement }): ReactNode {
  const metadata = useCodeBlockMetadata(props);
  const wordWrap = useLazyWordWrap();
  useLayoutEffect(() => {
    wordWrap.codeBlockRef.current = pre;
  }, [wordWrap.codeBlockRef, pre]);
  return createPortal(
    <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
      <Buttons shown />
    </CodeBlockContextProvider>,
    pre.parentElement!,
  );
}

/** The block as the server wrote it, and its buttons once reached. */
function ServerBlock({
  id,
  server,
  ...props
}: StringProps & { id: string; server: ServerElement }): ReactNode {
  const frame = useRef<HTMLDivElement>(null);
  const pre = useCallback(() => frame.current?.querySelector('pre'), []);
  const block = useCallback(() => pre()?.parentElement, [pre]);
  const reached = useReached(block);
  const code = reached ? pre() : undefined;
  return (
    <>
      <div
        ref={frame}
        id={id}
        className={server.className}
        dangerouslySetInnerHTML={{ __html: server.html }}
      />
      {code && <ButtonsInPlace pre={code} {...props} />}
    </>
  );
}

export default function CodeBlock({ children: rawChildren, ...props }: Props): ReactNode {
  const id = useId();
  const children = maybeStringifyChildren(rawChildren);
  // Only a block the server highlighted to static HTML (./Content: no line numbers or highlighted
  // lines), whose colours are CSS: Docusaurus's renderer writes the server's light colours into
  // each token's style, and a dark page renders those again.
  const [server] = useState(() =>
    typeof children === 'string'
      ? serverElement(id, (el) => !!el.querySelector(':scope > * > pre.static-tokens'))
      : undefined,
  );
  if (typeof children !== 'string')
    return <ElementContent {...(props as object)}>{children}</ElementContent>;
  if (server)
    return (
      <ServerBlock id={id} server={server} {...props}>
        {children}
      </ServerBlock>
    );
  return (
    <BlockId.Provider value={id}>
      <StringContent {...props}>{children}</StringContent>
    </BlockId.Provider>
  );
}
