// Docusaurus's code block buttons (theme-classic 3.10: word wrap and copy), mounted a moment later.
// Docusaurus mounts every block's buttons right after the page hydrates, as one render of every
// block: on a notebook page (forty blocks, two buttons and three SVG icons each) a 137 ms task on a
// phone, for buttons that stay transparent until the pointer is over their block. Here each block's
// buttons mount in an idle moment, a few blocks per idle callback (../../idle-queue.ts), or at once
// when the reader reaches the block first: the pointer over it, a tap, or keyboard focus (the
// block's <pre> is focusable, and the buttons come next in the tab order). Every block gets them,
// near the screen or not, so that Tab and Shift+Tab, and a screen reader's list of buttons, find
// each block's. But a block far from the screen is not laid out (content-visibility), and
// measuring it for the word-wrap button would lay it out: so it is measured only once it is near
// the screen (../../near-screen.ts). As with Docusaurus, the server renders none: they need
// JavaScript to work.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import clsx from 'clsx';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import CopyButton from '@theme/CodeBlock/Buttons/CopyButton';
import WordWrapButton from '@theme/CodeBlock/Buttons/WordWrapButton';
import { whenIdle } from '../../idle-queue';
import { watchNearScreen } from '../../near-screen';
import type { LazyWordWrap } from '../word-wrap';
import styles from './styles.module.css';

/** What shows a block's buttons at once. */
const REACHED = ['pointerenter', 'touchstart', 'focusin'] as const;
/** What may have changed whether the block scrolls sideways (a hidden tab shown). */
const REMEASURE = ['pointerenter', 'focusin'] as const;

/**
 * Whether a block's buttons are there yet: from an idle moment (../../idle-queue.ts), or from when
 * the reader reaches the block (`block()`: the element around its <pre>), whichever comes first.
 * `block` must keep its identity across renders.
 */
export function useReached(block: () => Element | null | undefined, already = false): boolean {
  const [shown, setShown] = useState(already);
  useEffect(() => {
    if (shown) return undefined;
    // No block yet (Docusaurus's own renderer, for line numbers, loads lazily): the buttons still
    // mount in an idle moment.
    const el = block();
    const show = () => setShown(true);
    // flushSync: the render happens inside this idle callback, so the queue's time budget counts it.
    const cancelIdle = whenIdle(() => flushSync(show));
    for (const type of REACHED) el?.addEventListener(type, show, { passive: true });
    return () => {
      cancelIdle();
      for (const type of REACHED) el?.removeEventListener(type, show);
    };
  }, [shown, block]);
  return shown;
}

/** The buttons; `shown`: mount them now (a block the server rendered, ../index.tsx, waited already). */
export default function CodeBlockButtons({
  className,
  shown: already = false,
}: {
  className?: string;
  shown?: boolean;
}): ReactNode {
  const { wordWrap } = useCodeBlockContext();
  const { codeBlockRef } = wordWrap;
  // Docusaurus's own hook has no measure(): it measures by itself.
  const measure = (wordWrap as Partial<LazyWordWrap>).measure;
  const block = useCallback(() => codeBlockRef.current?.parentElement, [codeBlockRef]);
  const shown = useReached(block, already);

  useEffect(() => {
    if (!shown || !measure) return;
    const block = codeBlockRef.current?.parentElement;
    if (!block) return;
    // Measured when it comes near the screen, and on a resize while near (../word-wrap.ts measures
    // only a block that is laid out).
    let near = false;
    const stopWatching = watchNearScreen(block, (isNear) => {
      near = isNear;
      if (near) measure();
    });
    const resized = () => {
      if (near) measure();
    };
    // And when the browser lays it out (content-visibility; not every browser says so).
    const laidOut = (event: Event) => {
      if (!(event as Event & { skipped?: boolean }).skipped) measure();
    };
    const pre = codeBlockRef.current;
    pre?.addEventListener('contentvisibilityautostatechange', laidOut);
    window.addEventListener('resize', resized, { passive: true });
    for (const type of REMEASURE) block.addEventListener(type, measure, { passive: true });
    return () => {
      stopWatching();
      pre?.removeEventListener('contentvisibilityautostatechange', laidOut);
      window.removeEventListener('resize', resized);
      for (const type of REMEASURE) block.removeEventListener(type, measure);
    };
  }, [shown, measure, codeBlockRef]);

  if (!shown) return null;
  return (
    <div className={clsx(className, styles.buttonGroup)}>
      <WordWrapButton />
      <CopyButton />
    </div>
  );
}
