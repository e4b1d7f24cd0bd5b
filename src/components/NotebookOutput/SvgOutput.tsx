// An image/svg+xml output on a notebook page: an <img> of a data: URL (svg.ts says why).
import type { ReactNode } from 'react';
import { svgAlt, svgDataUrl, svgSize } from './svg';
import styles from './styles.module.css';

export default function SvgOutput({ svg, plain }: { svg: string; plain: unknown }): ReactNode {
  const { width, height } = svgSize(svg);
  return (
    <img
      className={styles.svg}
      src={svgDataUrl(svg)}
      alt={svgAlt(plain)}
      width={width}
      height={height}
      loading="lazy"
      decoding="async"
    />
  );
}
