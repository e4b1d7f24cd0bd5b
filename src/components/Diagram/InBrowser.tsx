// A Mermaid diagram that has no drawing yet (`npm run diagrams` draws it): Mermaid loads and draws
// it in the browser, and until it has, the reader sees the diagram's text. The one module that loads
// Mermaid: a page imports it only when it has such a diagram (src/diagrams/in-browser.ts).
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useColorMode } from '@docusaurus/theme-common';
import { mermaidConfig } from '@site/src/diagrams/config';
import Diagram, { type BrowserDrawing } from './index';

interface Props {
  title: string;
  description: string;
  /** The Mermaid text. */
  source: string;
}

/** Mermaid's SVG for `source`, drawn in the browser. */
function useBrowserDrawing(source: string): BrowserDrawing {
  const { colorMode } = useColorMode();
  const id = `diagram-${useId().replace(/[^\w-]/g, '')}`;
  const [drawing, setDrawing] = useState<BrowserDrawing>({});
  useEffect(() => {
    let current = true;
    import('mermaid')
      .then(async ({ default: mermaid }) => {
        mermaid.initialize(mermaidConfig(colorMode));
        const drawn = await mermaid.render(id, source);
        if (current) setDrawing({ svg: drawn.svg });
      })
      .catch((e: unknown) => {
        if (current) setDrawing({ error: String(e instanceof Error ? e.message : e) });
      });
    return () => {
      current = false;
    };
  }, [source, colorMode, id]);
  return drawing;
}

export default function DiagramInBrowser(props: Props): ReactNode {
  return <Diagram {...props} browser={useBrowserDrawing(props.source)} />;
}
