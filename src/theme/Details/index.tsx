// Docusaurus's Details (theme-classic 3.10). A <details> with a plain summary and plain prose only
// inside (../plain-prose.ts) takes back the server's HTML while the page hydrates: one element, not
// the summary, the collapsible and their state. It then opens and closes as the browser's own
// <details> does, as it did before the page's JavaScript ran: without the slide, and with the
// arrow Docusaurus's styles turn on [open] (theme-common's Details, without .isBrowser). Anything
// else inside and it is Docusaurus's, as before.
import { isValidElement, type ReactNode } from 'react';
import clsx from 'clsx';
import Details from '@theme-original/Details';
import type { Props } from '@theme/Details';
import { isPlainProse } from '../plain-prose';
import { useServerElement } from '../server-html';

const plainSummary = (summary: ReactNode) =>
  summary === undefined ||
  typeof summary === 'string' ||
  (isValidElement<{ children?: ReactNode }>(summary) &&
    summary.type === 'summary' &&
    typeof summary.props.children === 'string');

export default function DetailsInPlace(props: Props): ReactNode {
  const plain = isPlainProse(props.children) && plainSummary(props.summary);
  const { marker, server } = useServerElement(plain);
  if (server)
    return (
      <details className={server.className} dangerouslySetInnerHTML={{ __html: server.html }} />
    );
  return <Details {...props} className={clsx(props.className, marker)} />;
}
