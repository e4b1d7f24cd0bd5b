// A diagram at its full size, in a modal <dialog> over the page: on a phone a wide diagram shrinks
// to the screen's width (its labels to 4–5 px), and here it keeps the size it was drawn at, which
// scrolls both ways. The browser's <dialog> keeps keyboard focus inside and closes on Escape; the
// caller gets focus back (onClose). Nothing of it is on the page until the reader opens it.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import styles from './styles.module.css';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

export default function FullSize({ title, onClose, children }: Props): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opened = dialog.current;
    opened?.showModal();
    close.current?.focus();
    return () => opened?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      // A tap on the backdrop lands on the <dialog> itself: the view fills the rest of it.
      onClick={(e) => e.target === e.currentTarget && e.currentTarget.close()}
    >
      <div className={styles.bar}>
        <p id={titleId} className={styles.title}>
          {title}
        </p>
        <button
          ref={close}
          type="button"
          className="button button--sm button--secondary"
          onClick={() => dialog.current?.close()}
        >
          Close
        </button>
      </div>
      {/* Focusable, so a keyboard can scroll it (axe: scrollable-region-focusable). */}
      <div className={styles.view} tabIndex={0} role="region" aria-label={`${title}, full size`}>
        {children}
      </div>
    </dialog>
  );
}
