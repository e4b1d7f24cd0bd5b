// An element whose contents need no React once on the page (a table of recorded figures): the server
// renders it in full, and while the page hydrates it takes back the server's HTML as one string
// (./server-html.ts) rather than be built again element by element. After a client-side navigation
// it renders in full. Found by a marker class from React's useId() (./server-html.ts).
//
//   <InPlace as="table" tabIndex={0}>…rows…</InPlace>
import type { ComponentProps, ElementType, ReactNode } from 'react';
import clsx from 'clsx';
import { useServerElement } from './server-html';

export default function InPlace<T extends 'table' | 'figure' | 'div'>({
  as,
  className,
  ...props
}: { as: T } & ComponentProps<T>): ReactNode {
  const As = as as ElementType;
  const { marker, server } = useServerElement();
  if (server)
    return (
      <As
        {...props}
        className={server.className}
        dangerouslySetInnerHTML={{ __html: server.html }}
        children={undefined}
      />
    );
  return <As {...props} className={clsx(className, marker)} />;
}
