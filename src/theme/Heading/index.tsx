// Docusaurus's Heading (theme-classic 3.10), which does not build a heading the server wrote again:
// while the page hydrates, a heading with an id (h2–h6: a table-of-contents entry with its "#"
// link, and no other link) takes back the server's HTML as one string (../server-html.ts), one
// element rather than the heading, its text and code, the <Link> and its anchor. The "#" link is a
// plain link to the heading (<Link> renders one too, for a link within the page). The server
// renders Docusaurus's own, which also tells the build about the anchor (onBrokenAnchors). Found
// by its id only while the page hydrates: the next page may have a heading with the same id.
import { useState, type ReactNode } from 'react';
import Heading from '@theme-original/Heading';
import type { Props } from '@theme/Heading';
import { serverElementWhileHydrating } from '../server-html';

export default function HeadingInPlace(props: Props): ReactNode {
  const { as: As, id } = props;
  const [server] = useState(() =>
    id && As !== 'h1'
      ? serverElementWhileHydrating(
          id,
          // A link in the heading other than its "#" link is <Link>'s: it routes within the app.
          (el) =>
            el.tagName.toLowerCase() === As &&
            el.classList.contains('anchor') &&
            !el.querySelector('a:not(.hash-link)'),
        )
      : undefined,
  );
  if (server)
    return (
      <As id={id} className={server.className} dangerouslySetInnerHTML={{ __html: server.html }} />
    );
  return <Heading {...props} />;
}
