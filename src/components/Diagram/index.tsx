// A Mermaid diagram on the site. Drawn ahead of time (npm run diagrams): an <img> of the light or
// dark drawing, with the diagram's accTitle and accDescr as its text alternative, and no Mermaid
// JavaScript. Not drawn yet: Mermaid is loaded and draws it in the browser, and until it has, the
// reader sees the diagram's text.
import { useEffect, useId, useState, type ReactNode } from 'react';
import ThemedImage from '@theme/ThemedImage';
import useBaseUrl from '@docusaurus/useBaseUrl';
import { useColorMode } from '@docusaurus/theme-common';
import { mermaidConfig } from '@site/src/diagrams/config';
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
}

function DrawnInBrowser({ source, alt }: { source: string; alt: string }): ReactNode {
  const { colorMode } = useColorMode();
  const id = `diagram-${useId().replace(/[^\w-]/g, '')}`;
  const [svg, setSvg] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    import('mermaid')
      .then(async ({ default: mermaid }) => {
        mermaid.initialize(mermaidConfig(colorMode));
        const drawn = await mermaid.render(id, source);
        if (current) setSvg(drawn.svg);
      })
      .catch((e: unknown) => current && setError(String(e instanceof Error ? e.message : e)));
    return () => {
      current = false;
    };
  }, [source, colorMode, id]);
  if (svg)
    return (
      <div
        className={styles.drawn}
        role="img"
        aria-label={alt}
        dangerouslySetInnerHTML={{ __html: svg }}
      />
    );
  return (
    <>
      {error && <p role="alert">This diagram could not be drawn: {error}</p>}
      <pre aria-label={alt}>{source}</pre>
    </>
  );
}

export default function Diagram({
  title,
  description,
  light,
  dark,
  width,
  height,
  source,
}: Props): ReactNode {
  const alt = `${title}. ${description}`;
  const sources = { light: useBaseUrl(light ?? ''), dark: useBaseUrl(dark ?? '') };
  return (
    <figure className={styles.diagram} data-diagram={light && dark ? 'drawing' : 'browser'}>
      {light && dark ? (
        <ThemedImage
          sources={sources}
          alt={alt}
          width={Number(width)}
          height={Number(height)}
          decoding="async"
        />
      ) : (
        <DrawnInBrowser source={source ?? ''} alt={alt} />
      )}
    </figure>
  );
}
