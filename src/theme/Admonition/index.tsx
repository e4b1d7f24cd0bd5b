// Docusaurus's Admonition (theme-classic 3.10). One that holds plain prose only (../plain-prose.ts)
// and a plain title takes back the server's HTML while the page hydrates: one element, not the
// layout, heading, icon and content components, and their elements. Anything else inside (a code
// block, a component, a link <Link> renders) and it is Docusaurus's, as before.
import type { ReactNode } from 'react';
import clsx from 'clsx';
import Admonition from '@theme-original/Admonition';
import type { Props } from '@theme/Admonition';
import { isPlainProse } from '../plain-prose';
import { useServerElement } from '../server-html';

export default function AdmonitionInPlace(props: Props): ReactNode {
  const plain =
    isPlainProse(props.children) &&
    (props.title === undefined || typeof props.title === 'string') &&
    props.icon === undefined;
  const { marker, server } = useServerElement(plain);
  if (server)
    return <div className={server.className} dangerouslySetInnerHTML={{ __html: server.html }} />;
  return <Admonition {...props} className={clsx(props.className, marker)} />;
}
