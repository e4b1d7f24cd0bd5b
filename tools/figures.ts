// `npm run figures`: runs the notebooks that measure, then writes their figures into
// src/generated/figures.ts, which the doc pages read (src/components/Figures). The notebooks
// write notebooks/.figures/<slug>.json themselves; `npm run figures -- --no-run` only copies
// those files in. Figures are this machine's: the generated file is never committed with them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFailure, runNotebook } from './notebook-runner';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED = join(ROOT, 'src/generated/figures.ts');
/** The notebooks whose figures a page shows. */
export const MEASURING_NOTEBOOKS = ['07-price-of-statelessness'];

/** The text of src/generated/figures.ts holding these figures ({} in git). */
export function figuresModule(figures: Record<string, unknown>): string {
  const header = readFileSync(GENERATED, 'utf8').split('\nconst figures')[0];
  const value = JSON.stringify(figures, null, 2);
  return `${header}\nconst figures: Record<string, unknown> = ${value};\nexport default figures;\n`;
}

async function main(): Promise<number> {
  const run = !process.argv.includes('--no-run');
  const figures: Record<string, unknown> = {};
  for (const slug of MEASURING_NOTEBOOKS) {
    if (run) {
      const result = await runNotebook(join(ROOT, 'notebooks', `${slug}.ipynb`));
      if (!result.ok) {
        console.error(result.failure ? formatFailure(result.failure) : `${slug} failed`);
        return 1;
      }
    }
    const file = join(ROOT, 'notebooks/.figures', `${slug}.json`);
    if (!existsSync(file)) {
      console.error(`${slug}: no ${file} — run the notebook first (or drop --no-run)`);
      return 1;
    }
    figures[slug] = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    console.log(`${slug}: figures from ${file}`);
  }
  writeFileSync(GENERATED, figuresModule(figures));
  console.log(`wrote ${GENERATED} (never commit it with figures: git checkout -- it to empty it)`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}
