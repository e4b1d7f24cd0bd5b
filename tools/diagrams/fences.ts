// The Mermaid diagrams the site's pages hold, and which of them have drawings in static/diagrams.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIAGRAMS_DIR, drawingFile } from '../../src/diagrams/config';
import { diagramKey } from '../../src/diagrams/key';
import { hasDrawing } from '../../src/diagrams/drawings';

export const ROOT = join(__dirname, '../..');

export interface Fence {
  /** docs/…/page.mdx:line of the opening fence. */
  where: string;
  source: string;
  key: string;
}

/** Every ```mermaid fence in docs/**\/*.md(x), its text as the Markdown parser sees it. */
export function mermaidFences(root = ROOT): Fence[] {
  const docs = join(root, 'docs');
  const fences: Fence[] = [];
  for (const file of readdirSync(docs, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!/\.mdx?$/.test(file)) continue;
    const lines = readFileSync(join(docs, file), 'utf8').split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)(`{3,}|~{3,})mermaid\s*$/.exec(lines[i]);
      if (!open) continue;
      const [, indent, marker] = open;
      const body: string[] = [];
      let j = i + 1;
      for (
        ;
        j < lines.length && !new RegExp(`^\\s*${marker[0]}{${marker.length},}\\s*$`).test(lines[j]);
        j++
      )
        body.push(
          lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart(),
        );
      const source = body.join('\n');
      fences.push({
        where: `${relative(root, join(docs, file))}:${i + 1}`,
        source,
        key: diagramKey(source),
      });
      i = j;
    }
  }
  return fences;
}

export const drawingsDir = (root = ROOT) => join(root, DIAGRAMS_DIR);

/** Fences with no drawing, and drawing files no fence uses. */
export function drawingStatus(root = ROOT): {
  missing: Fence[];
  orphans: string[];
  fences: Fence[];
} {
  const fences = mermaidFences(root);
  const dir = drawingsDir(root);
  const wanted = new Set(
    fences.flatMap((f) => [drawingFile(f.key, 'light'), drawingFile(f.key, 'dark')]),
  );
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.svg')) : [];
  return {
    fences,
    missing: fences.filter((f) => !hasDrawing(dir, f.key)),
    orphans: present.filter((f) => !wanted.has(f)),
  };
}
