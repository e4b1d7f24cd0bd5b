// A Mermaid diagram on the site. Drawn ahead of time (npm run diagrams): an <img> of the light or
// dark drawing, with the diagram's accTitle and accDescr as its text alternative, and no Mermaid
// JavaScript. Not drawn yet: ./InBrowser.tsx loads Mermaid and hands over what it drew, and until
// then the reader sees the diagram's text. Either way, "Open full size" (or a tap on the diagram) shows it
// at the size it was drawn at (./FullSize.tsx), where a phone's reader can read its labels.
import { useRef, useState, type ReactNode } from 'react';
import ThemedImage from '@theme/ThemedImage';
import useBaseUrl from '@docusaurus/useBaseUrl';
import useIsBrowser from '@docusaurus/useIsBrowser';
import { sizedByViewBox } from '@site/src/diagrams/config';
import FullSize from './FullSize';
import styles from './styles.module.css';

interface Props {
  title: string;
  description: string;
  /** URLs of the drawings, with their size in CSS pixels. */
  light?: string;
  dark?: string;
  width?: string | number;
  height?: string | number;
  /** The Mermaid text, for a diagram that has no drawing. */
  source?: string;
  /** What Mermaid drew in the browser from `source` so far (./InBrowser.tsx). */
  browser?: BrowserDrawing;
}

/** Mermaid's SVG of a diagram drawn in the browser, or why it could not be drawn. */
export interface BrowserDrawing {
  svg?: string;
  error?: string;
}

export default function Diagram({
  title,
  description,
  light,
  dark,
  width,
  height,
  source,
  browser = {},
}: Props): ReactNode {
  const alt = `${title}. ${description}`;
  const sources = { light: useBaseUrl(light ?? ''), dark: useBaseUrl(dark ?? '') };
  const drawn = Boolean(light && dark);
  const [full, setFull] = useState(false);
  const control = useRef<HTMLButtonElement>(null);
  // Served in the page's HTML, so nothing moves when it starts working (after hydration).
  const ready = useIsBrowser();
  const open = () => setFull(true);
  const image = (size: 'fit' | 'full') =>
    drawn ? (
      <ThemedImage
        sources={sources}
        alt={alt}
        width={Number(width)}
        height={Number(height)}
        decoding="async"
        // Fetched and parsed (an SVG is parsed on the page's main thread) when the reader comes
        // near it, and only in the colour mode shown. Eager, React's server rendering asked for
        // both drawings of every diagram ahead (<link rel=preload>), and the page parsed them all.
        loading={size === 'fit' ? 'lazy' : undefined}
        onClick={size === 'fit' ? open : undefined}
      />
    ) : (
      <div
        className={size === 'fit' ? styles.drawn : undefined}
        role="img"
        aria-label={alt}
        onClick={size === 'fit' ? open : undefined}
        dangerouslySetInnerHTML={{
          __html: size === 'fit' ? (browser.svg ?? '') : sizedByViewBox(browser.svg ?? '').svg,
        }}
      />
    );
  return (
    <figure className={styles.diagram} data-diagram={drawn ? 'drawing' : 'browser'}>
      {drawn || browser.svg ? (
        <>
          {image('fit')}
          <button
            ref={control}
            type="button"
            className={`button button--sm button--secondary ${styles.open}`}
            aria-label={`Open full size: ${title}`}
            disabled={!ready}
            onClick={open}
          >
            Open full size
          </button>
          {full && (
            <FullSize
              title={title}
              onClose={() => {
                setFull(false);
                control.current?.focus();
              }}
            >
              {image('full')}
            </FullSize>
          )}
        </>
      ) : (
        <>
          {browser.error && <p role="alert">This diagram could not be drawn: {browser.error}</p>}
          <pre role="img" aria-label={alt}>
            {source}
          </pre>
        </>
      )}
    </figure>
  );
}
