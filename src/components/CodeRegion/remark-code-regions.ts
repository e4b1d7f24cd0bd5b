// Gives each <CodeRegion> the code it shows, cut at build time, so a page bundles the lines it shows
// and not the whole file around them (once a page imported each file with raw-loader and cut the
// region in the browser: 25 KiB of source on chapter 4 for 3 KiB shown).
//
//   <CodeRegion file="notebooks/lab/core/cart.ts" region="add-to-cart" />
//     gains code={require("!!…/region-loader.cjs!@site/notebooks/lab/core/cart.ts?region=add-to-cart")}
//
// region-loader.cjs cuts the region when the bundler loads the file, so the bundler watches the file
// and cuts it again when it changes. A missing file or region fails the build here, naming the page
// and its line, and again in the loader should the file change later.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { requireAttribute, type MdNode } from '../Figures/remark-records';
import { extractRegion } from './region';

/** The path of the loader, as the bundler takes it in an inline request. */
const LOADER = join(__dirname, 'region-loader.cjs');

export default function remarkCodeRegions({ siteDir }: { siteDir: string }) {
  return (tree: MdNode, file: { path?: string }) => {
    const visit = (node: MdNode) => {
      if (
        node.name === 'CodeRegion' &&
        (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement')
      ) {
        const where = `${relative(siteDir, file.path ?? '?')}:${node.position?.start.line ?? '?'}`;
        const attributes = node.attributes ?? [];
        const value = (name: string) => attributes.find((a) => a.name === name)?.value;
        const path = value('file');
        const region = value('region');
        if (typeof path !== 'string' || (region !== undefined && typeof region !== 'string'))
          throw new Error(
            `${where}: <CodeRegion> needs file="…" (and region="…" if any) as plain strings, so the build can cut its code`,
          );
        if (attributes.some((a) => a.name === 'code' || a.name === 'source'))
          throw new Error(
            `${where}: <CodeRegion> gets its code from the build (src/components/CodeRegion/remark-code-regions.ts); remove source= or code=`,
          );
        const full = join(siteDir, path);
        if (!existsSync(full))
          throw new Error(`${where}: <CodeRegion file="${path}">: no such file`);
        if (region !== undefined) {
          try {
            extractRegion(readFileSync(full, 'utf8'), region);
          } catch (error) {
            throw new Error(`${where}: ${path}: ${(error as Error).message}`, { cause: error });
          }
        }
        const query = region === undefined ? '' : `?region=${encodeURIComponent(region)}`;
        node.attributes = [
          ...attributes,
          requireAttribute('code', `!!${LOADER}!@site/${path}${query}`),
        ];
      }
      node.children?.forEach(visit);
    };
    visit(tree);
  };
}
