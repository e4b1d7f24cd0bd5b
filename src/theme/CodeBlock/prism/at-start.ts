// Stands in for Docusaurus's client module theme-classic/lib/prism-include-languages, which every
// page ran at its start: it loads Prism (prism-react-renderer, with its languages) and the config's
// additionalLanguages, a large part of the site's main script's first run on a phone, before a
// reader can scroll. A page from the server needs no Prism at all: its code blocks take back the
// server's highlighted HTML (../Content). Prism loads when the reader heads for another page,
// whose blocks the browser highlights (./index.ts): a link into the site hovered or touched, or a
// navigation begun (by keyboard, or Back).
// src/plugins/prism-on-demand.ts puts this module in place of Docusaurus's, in the browser's bundle.
import type { ClientModule } from '@docusaurus/types';
import { preload } from './index';

const load = () => void preload().catch(() => undefined); // a failed load is tried again later

if (typeof document !== 'undefined') {
  const near = (event: Event) => {
    if (event.target instanceof Element && event.target.closest('a[href^="/"]')) load();
  };
  document.addEventListener('mouseover', near, { passive: true });
  document.addEventListener('touchstart', near, { passive: true });
}

export const onRouteUpdate: ClientModule['onRouteUpdate'] = ({ location, previousLocation }) => {
  if (previousLocation && previousLocation.pathname !== location.pathname) load();
};
