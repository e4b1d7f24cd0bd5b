// Docusaurus's useCodeWordWrap (theme-common 3.10), lazy. Docusaurus's hook works as every code
// block mounts: it reads the block's width (is it wider than the screen?), looks for a hidden tab
// around it and watches that tab, and sorts its options with localeCompare on every render. On a
// notebook page of forty blocks, as the page loaded, that was a re-render of every block, and the
// first localeCompare alone (the browser loading its collation tables) a 66 ms task on a phone.
// Only the word-wrap button needs to know whether a block scrolls sideways, and the button mounts
// later (./Buttons): so here the block is measured when its buttons are there and it comes near
// the screen (it is laid out then), on a resize while it is near, when the pointer or focus enters
// it (a tab shown since), and after a toggle.
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';

export interface LazyWordWrap {
  readonly codeBlockRef: RefObject<HTMLPreElement | null>;
  readonly isEnabled: boolean;
  readonly isCodeScrollable: boolean;
  toggle(): void;
  /** Reads whether the block scrolls sideways now (a layout read: call it when it matters). */
  measure(): void;
}

export function useLazyWordWrap(): LazyWordWrap {
  const [isEnabled, setIsEnabled] = useState(false);
  const [isCodeScrollable, setIsCodeScrollable] = useState(false);
  const codeBlockRef = useRef<HTMLPreElement>(null);
  const toggled = useRef(false);
  // As Docusaurus: wrapping is a style on the <code>, so the block's HTML is not rendered again.
  const toggle = useCallback(() => {
    const code = codeBlockRef.current?.querySelector('code');
    if (!code) return;
    if (isEnabled) code.removeAttribute('style');
    else {
      code.style.whiteSpace = 'pre-wrap';
      code.style.overflowWrap = 'anywhere'; // even a very long token wraps
    }
    toggled.current = true;
    setIsEnabled((enabled) => !enabled);
  }, [isEnabled]);
  const measure = useCallback(() => {
    const pre = codeBlockRef.current;
    if (!pre) return;
    // Not laid out (content-visibility, far from the screen, or in a tab not shown): its width says
    // nothing yet, and reading it could say "fits" and take away a button that has the focus.
    if (pre.querySelector('code')?.checkVisibility?.({ contentVisibilityAuto: true }) === false) {
      return;
    }
    setIsCodeScrollable(
      pre.scrollWidth > pre.clientWidth || !!pre.querySelector('code')?.hasAttribute('style'),
    );
  }, []);
  // As Docusaurus: after a toggle, measure again (unwrapped, the block may fit now). Not on mount.
  useEffect(() => {
    if (toggled.current) measure();
  }, [isEnabled, measure]);
  return useMemo(
    () => ({ codeBlockRef, isEnabled, isCodeScrollable, toggle, measure }),
    [isEnabled, isCodeScrollable, toggle, measure],
  );
}
