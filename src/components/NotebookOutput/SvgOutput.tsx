// An image/svg+xml output on a notebook page: an <img> of the SVG (svg.ts says why), as a file of the
// build (../Figures/record-loader.cjs gives its address and size) or, as recorded, a data: URL.
import type { ReactNode } from 'react';
import { svgAlt, svgDataUrl, svgSize, type SvgFile } from './svg';
import styles from './styles.module.css';

export default function SvgOutput({
  svg,
  plain,
}: {
  svg: string | SvgFile;
  plain: unknown;
}): ReactNode {
  const { width, height } = typeof svg === 'string' ? svgSize(svg) : svg;
  return (
    <img
      className={styles.svg}
      src={typeof svg === 'string' ? svgDataUrl(svg) : svg.src}
      alt={svgAlt(plain)}
      width={width}
      height={height}
      loading="lazy"
      decoding="async"
    />
  );
}
