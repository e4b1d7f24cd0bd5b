// Docusaurus's mobile navbar drawer (theme-classic 3.10), built a moment later. On a phone,
// Docusaurus builds the closed drawer right after the page hydrates: its header, the navbar's
// links and every link of the docs sidebar, in the one render that follows hydration, where a
// phone waits on it. Here it is built in an idle moment (../../idle-queue.ts), or at once when the
// reader opens it first: the same drawer, with its slide-in, by the time anyone reaches for it.
// The idle moment starts it as a transition, which React renders a few milliseconds at a time:
// rendered at once (flushSync), every link of the sidebar was one task of 60-85 ms on a phone.
import { startTransition, useEffect, useState, type ReactNode } from 'react';
import { useNavbarMobileSidebar } from '@docusaurus/theme-common/internal';
import NavbarMobileSidebar from '@theme-original/Navbar/MobileSidebar';
import { whenIdle } from '../../idle-queue';

export default function NavbarMobileSidebarWhenIdle(): ReactNode {
  const { shown, shouldRender } = useNavbarMobileSidebar();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready || !shouldRender) return;
    return whenIdle(() => startTransition(() => setReady(true)));
  }, [ready, shouldRender]);
  return ready || shown ? <NavbarMobileSidebar /> : null;
}
