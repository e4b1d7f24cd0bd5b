// Draws the Mermaid diagrams that notebook runs displayed (the live topology of a cluster, …) into
// static/diagrams/runs/ (committed, like the runs), and records each drawing in its run, so a
// notebook page shows an image instead of loading Mermaid. Without Chromium the pages draw them in
// the browser instead.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAMS_DIR } from '../../src/diagrams/config';
import { diagramKey } from '../../src/diagrams/key';
import { drawingSize, hasDrawing, writeDrawing } from '../../src/diagrams/drawings';
import { displayedDiagrams, type RunRecord } from '../../src/components/NotebookOutput/run';
import { canRender, CHROMIUM, withRenderer } from './render';
import { recordText } from '../recorded-runs';

export const RUN_DRAWINGS = 'runs';

/** Draws what is not drawn yet and writes `drawings` into every run in runsDir. */
export async function drawRunDiagrams(runsDir: string, siteDir: string): Promise<string> {
  const dir = join(siteDir, DIAGRAMS_DIR, RUN_DRAWINGS);
  const files = readdirSync(runsDir).filter((f) => f.endsWith('.json'));
  const records = files.map((f) => JSON.parse(readFileSync(join(runsDir, f), 'utf8')) as RunRecord);
  const wanted = records.flatMap((r) =>
    displayedDiagrams(r).map((d) => ({ ...d, notebook: r.notebook, key: diagramKey(d.source) })),
  );
  const missing = wanted.filter((d) => !hasDrawing(dir, d.key));
  if (missing.length > 0 && !canRender())
    return `${missing.length} diagram(s) in notebook outputs are drawn in the browser: no Chromium at ${CHROMIUM}, or no font of Arial's widths (apt-get install fonts-liberation)`;
  mkdirSync(dir, { recursive: true });
  if (missing.length > 0)
    await withRenderer(async (render) => {
      for (const d of missing) {
        if (hasDrawing(dir, d.key)) continue; // the same diagram, displayed twice
        writeDrawing(dir, d.key, await render(d.source, `${d.notebook}, cell ${d.cell}`));
      }
    });
  files.forEach((file, i) => {
    const record = records[i];
    record.drawings = displayedDiagrams(record).map(({ source }) => {
      const key = diagramKey(source);
      return { source, key, ...drawingSize(dir, key) };
    });
    writeFileSync(join(runsDir, file), recordText(record));
  });
  return `${wanted.length} diagram(s) in notebook outputs: ${missing.length} drawn now`;
}
