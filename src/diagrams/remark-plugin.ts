// Turns every ```mermaid fence in the docs into <Diagram>: an <img> of its drawing from
// static/diagrams (no Mermaid JavaScript on the page) or, for a diagram with no drawing yet,
// <DiagramInBrowser>, which that page alone imports (./in-browser.ts). In CI a diagram with no
// drawing, or with no text alternative, fails the build.
import { join, relative } from 'node:path';
import { DIAGRAMS_DIR, DIAGRAMS_URL, diagramAlt, drawingFile } from './config';
import { diagramKey } from './key';
import { drawingSize, hasDrawing } from './drawings';
import { IN_BROWSER, importInBrowser } from './in-browser';

interface MdNode {
  type: string;
  lang?: string | null;
  value?: string;
  children?: MdNode[];
  position?: { start: { line: number } };
  [key: string]: unknown;
}

const attribute = (name: string, value: string) => ({ type: 'mdxJsxAttribute', name, value });

export default function remarkDiagrams({ siteDir }: { siteDir: string }) {
  const dir = join(siteDir, DIAGRAMS_DIR);
  return (tree: MdNode, file: { path?: string }) => {
    let inBrowser = false;
    const visit = (node: MdNode) => {
      node.children?.forEach((child, i, siblings) => {
        if (child.type !== 'code' || child.lang !== 'mermaid') return visit(child);
        const source = child.value ?? '';
        const where = `${relative(siteDir, file.path ?? '?')}:${child.position?.start.line ?? '?'}`;
        const { title, description } = diagramAlt(source);
        if (!title || !description)
          throw new Error(
            `${where}: this diagram has no text alternative. Add an "accTitle: …" and an "accDescr: …" line after its first line.`,
          );
        const key = diagramKey(source);
        const [light, dark] = [drawingFile(key, 'light'), drawingFile(key, 'dark')];
        const drawn = hasDrawing(dir, key);
        if (!drawn && process.env.CI === 'true')
          throw new Error(
            `${where}: this diagram has no drawing. Run \`npm run diagrams\` and commit static/diagrams.`,
          );
        if (!drawn)
          console.warn(
            `[diagrams] ${where} has no drawing: it is drawn in the browser. Run \`npm run diagrams\`.`,
          );
        const { width, height } = drawn ? drawingSize(dir, key) : { width: 0, height: 0 };
        inBrowser ||= !drawn;
        siblings[i] = {
          type: 'mdxJsxFlowElement',
          name: drawn ? 'Diagram' : IN_BROWSER,
          attributes: [
            attribute('title', title),
            attribute('description', description),
            ...(drawn
              ? [
                  attribute('light', `${DIAGRAMS_URL}/${light}`),
                  attribute('dark', `${DIAGRAMS_URL}/${dark}`),
                  attribute('width', String(width)),
                  attribute('height', String(height)),
                ]
              : [attribute('source', source)]),
          ],
          children: [],
        };
      });
    };
    visit(tree);
    if (inBrowser) importInBrowser(tree);
  };
}
