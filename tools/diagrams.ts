// `npm run diagrams`: draws every Mermaid diagram in docs/ that has no drawing yet into
// static/diagrams/<key>-light.svg and -dark.svg (Mermaid in Debian's Chromium), and deletes
// drawings no page uses. Commit the files it writes. `--check` only reports, and exits 1 if stale.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeDrawing } from '../src/diagrams/drawings';
import { drawingStatus, drawingsDir } from './diagrams/fences';
import { canRender, CHROMIUM, withRenderer } from './diagrams/render';

async function main() {
  const { missing, orphans, fences } = drawingStatus();
  const dir = drawingsDir();
  const unique = [...new Map(missing.map((f) => [f.key, f])).values()];
  if (process.argv.includes('--check')) {
    for (const f of unique) console.log(`no drawing: ${f.where}`);
    for (const o of orphans) console.log(`unused drawing: ${join('static/diagrams', o)}`);
    console.log(
      `${fences.length} diagrams, ${unique.length} without a drawing, ${orphans.length} unused drawings`,
    );
    process.exitCode = unique.length + orphans.length > 0 ? 1 : 0;
    return;
  }
  for (const o of orphans) rmSync(join(dir, o));
  if (unique.length > 0) {
    if (!canRender()) {
      console.error(
        `Drawing diagrams needs Chromium at ${CHROMIUM} and a font of Arial's widths (Debian: apt-get install chromium fonts-liberation).`,
      );
      process.exitCode = 1;
      return;
    }
    mkdirSync(dir, { recursive: true });
    await withRenderer(async (render) => {
      for (const fence of unique) {
        const drawing = await render(fence.source, fence.where);
        writeDrawing(dir, fence.key, drawing);
        console.log(`drew ${fence.where} → static/diagrams/${fence.key}-{light,dark}.svg`);
      }
    });
  }
  console.log(
    `${fences.length} diagrams: ${unique.length} drawn now, ${orphans.length} unused drawings deleted. Commit static/diagrams.`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
