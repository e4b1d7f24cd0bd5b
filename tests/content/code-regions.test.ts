// Code on the pages is real code: every <CodeRegion> names a file it imports with raw-loader,
// and a region that exists in that file. (The region cutter's own tests are beside it:
// src/components/CodeRegion/region.test.ts.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regionNames } from '../../src/components/CodeRegion/region';
import { codeRegionUses, listDocs, ROOT } from './docs';

const uses = listDocs().flatMap((doc) =>
  codeRegionUses(doc.text).map(
    (use) => [`${doc.file} shows ${use.file}${use.region ? ` #${use.region}` : ''}`, use] as const,
  ),
);

describe('<CodeRegion> on the pages', () => {
  it.each(uses)('%s: imported, and the region exists', (_where, { file, region, importedFrom }) => {
    expect(importedFrom, 'source={…} must come from an import of "!!raw-loader!@site/…"').toBe(
      file,
    );
    const path = join(ROOT, file);
    expect(existsSync(path), `${file} does not exist`).toBe(true);
    if (region !== undefined) {
      expect(regionNames(readFileSync(path, 'utf8'))).toContain(region);
    }
  });
});
