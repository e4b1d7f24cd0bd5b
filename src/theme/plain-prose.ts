// Whether a component's children are plain prose only: blocks ../prose/rehype-static-prose.ts wrote
// as HTML (an element with data-prose), and text. Such a box (an admonition, a <details>) has
// nothing inside that needs React, so while the page hydrates it can take back the server's HTML
// as one string (./server-html.ts), as a code block does, rather than be built element by element.
// Links into the site in it still route without a page load: they are in data-prose blocks
// (../prose/client.ts).
import { Children, Fragment, isValidElement, type ReactNode } from 'react';

export function isPlainProse(children: ReactNode): boolean {
  return Children.toArray(children).every((child) => {
    if (typeof child === 'string' || typeof child === 'number') return true;
    if (!isValidElement<{ children?: ReactNode; 'data-prose'?: string }>(child)) return false;
    if (child.type === Fragment) return isPlainProse(child.props.children);
    return typeof child.props['data-prose'] === 'string';
  });
}
