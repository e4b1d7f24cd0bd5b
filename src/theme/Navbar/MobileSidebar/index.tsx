// Docusaurus's mobile navbar drawer (theme-classic 3.10), built a moment later. On a phone,
// Docusaurus builds the closed drawer right after the page hydrates: its header, the navbar's
// links and every link of the docs sidebar, in the one render that follows hydration, where a
// phone waits on it. Here it is built in an idle moment (../../idle-queue.ts), or at once when the
// reader opens it first: the same drawer, with its slide-in, by the time anyone reaches for it.
import { useEffect, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useNavbarMobileSidebar } from '@docusaurus/theme-common/internal';
import NavbarMobileSidebar from '@theme-original/Navbar/MobileSidebar';
import { whenIdle } from '../../idle-queue';

export default function NavbarMobileSidebarWhenIdle(): ReactNode {
  const { shown, shouldRender } = useNavbarMobileSidebar();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready || !shouldRender) return;
    return whenIdle(() => flushSync(() => setReady(true)));
  }, [ready, shouldRender]);
  return ready || shown ? <NavbarMobileSidebar /> : null;
}
