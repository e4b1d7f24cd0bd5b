// Code on the pages is real code: every <CodeRegion> names a file of the repository and a region
// that exists in that file, and leaves cutting it to the build (src/components/CodeRegion/
// remark-code-regions.ts). (The region cutter's own tests are beside it: region.test.ts.)
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
  it.each(uses)('%s: the file and the region exist', (_where, { file, region, givesCode }) => {
    expect(givesCode, 'the build gives <CodeRegion> its code: remove source={…}').toBe(false);
    const path = join(ROOT, file);
    expect(existsSync(path), `${file} does not exist`).toBe(true);
    if (region !== undefined) {
      expect(regionNames(readFileSync(path, 'utf8'))).toContain(region);
    }
  });
});
