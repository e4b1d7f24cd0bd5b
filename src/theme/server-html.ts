// What the server rendered, read back while the page hydrates, so that a component whose HTML is
// all static (a highlighted code block, a notebook's printed table) hands React that same string as
// dangerouslySetInnerHTML instead of computing it again or rebuilding it element by element.
// React does not walk or compare the children of such an element when it hydrates, so the
// thousands of spans and cells the server wrote stay as they are, with no fiber behind them: on a
// notebook page that was most of the page's Total Blocking Time.
//
// The element is found by a useId() id, or by a marker class made from one (useServerElement):
// React gives a component the same id on the server and in the hydrating browser, and an id that no
// server HTML carries when it renders the component fresh (a client-side navigation), so then this
// finds nothing and the caller renders as usual.
import { useId, useState } from 'react';

/** The server's HTML inside the element with this id, while it is in the document; else undefined. */
export function serverHtml(id: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return document.getElementById(id)?.innerHTML;
}

/** An element the server wrote, as React would take it back: its class and inner HTML. */
export interface ServerElement {
  html: string;
  className: string;
}

const taken = (el: Element | null | undefined, accept: (el: Element) => boolean) =>
  el && accept(el) ? { html: el.innerHTML, className: el.className } : undefined;

/** The element with this id the server wrote, while it is in the document and `accept` takes it
 *  (its HTML is read only then); else undefined. */
export function serverElement(
  id: string,
  accept: (el: Element) => boolean = () => true,
): ServerElement | undefined {
  if (typeof document === 'undefined') return undefined;
  return taken(document.getElementById(id), accept);
}

/** The element the server wrote that carries this class, as React would take it back. */
function serverElementWithClass(className: string): ServerElement | undefined {
  if (typeof document === 'undefined') return undefined;
  return taken(document.getElementsByClassName(className)[0], () => true);
}

/** A marker class React's useId() makes safe to look up in the page: the same on the server and in
 *  the hydrating browser, and one the server never wrote when the browser renders afresh. */
const markerClass = (id: string) => `server-${id.replace(/[^\w-]/g, '_')}`;

/** For a component that can take back the server's HTML (an admonition of plain prose, a table of
 *  figures): the marker class to put on the element it renders in full, and, while the page the
 *  server sent hydrates, that element as the server wrote it. The lookup happens once, on the
 *  first render, and only if `wanted` is true then; on later renders `wanted` decides only whether
 *  there is a marker. */
export function useServerElement(wanted = true): { marker?: string; server?: ServerElement } {
  const marker = markerClass(useId());
  const [server] = useState(() => (wanted ? serverElementWithClass(marker) : undefined));
  return { marker: wanted ? marker : undefined, server };
}

/** Whether the page the server sent has hydrated: ./Root.tsx says so once React has committed it. */
let hydrated = false;
export function pageHydrated(): void {
  hydrated = true;
}

/** serverElement(), only while the page the server sent hydrates: for an id the page itself gives
 *  (a heading's), which the next page may give too. */
export function serverElementWhileHydrating(
  id: string,
  accept?: (el: Element) => boolean,
): ServerElement | undefined {
  return hydrated ? undefined : serverElement(id, accept);
}
