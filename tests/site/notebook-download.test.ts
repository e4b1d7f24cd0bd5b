// "Download the notebook (.ipynb)" on a notebook page saves the file under the notebook's own name
// (03-stateful-servers.ipynb), not under the content-hashed name the build serves it at
// (src/components/NotebookOutput/remark-download.ts), and what it saves is the notebook.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import remarkDownload, {
  notebookFileName,
} from '../../src/components/NotebookOutput/remark-download';
import { openSite, ROOT, siteSuite, type OpenSite } from './browser-env';

/** An <a> as Docusaurus's transformLinks leaves a link to a file: its href requires the file. */
const assetLink = (required: string) => ({
  type: 'mdxJsxTextElement',
  name: 'a',
  attributes: [
    { type: 'mdxJsxAttribute', name: 'target', value: '_blank' },
    {
      type: 'mdxJsxAttribute',
      name: 'href',
      value: {
        type: 'mdxJsxAttributeValueExpression',
        value: `require("${required}").default`,
      },
    },
  ],
  children: [],
});
const LOADER =
  '!/x/node_modules/file-loader/dist/cjs.js?name=assets/files/[name]-[contenthash].[ext]!';

describe('remark-download', () => {
  it('names the saved file after the notebook a link requires, and touches no other link', () => {
    const notebook = assetLink(`${LOADER}./../../notebooks/03-stateful-servers.ipynb`);
    const pdf = assetLink(`${LOADER}./../static/slides.pdf`);
    const tree = { type: 'root', children: [{ type: 'paragraph', children: [notebook, pdf] }] };
    remarkDownload()(tree);
    expect(notebook.attributes.at(-1)).toEqual({
      type: 'mdxJsxAttribute',
      name: 'download',
      value: '03-stateful-servers.ipynb',
    });
    expect(pdf.attributes.map((a) => a.name)).toEqual(['target', 'href']);
  });

  it('reads the file name only from a require of an .ipynb', () => {
    const href = (value: string) => ({ type: 'mdxJsxAttributeValueExpression', value });
    expect(notebookFileName(href(`require("${LOADER}./nb/01-a.ipynb?x").default`))).toBe(
      '01-a.ipynb',
    );
    expect(notebookFileName('/assets/files/01-a-123.ipynb')).toBeUndefined();
    expect(notebookFileName(href('require("./01-a.ipynb.js").default'))).toBeUndefined();
  });
});

const notebooks = readdirSync(join(ROOT, 'notebooks')).filter((f) => /^\d\d-.*\.ipynb$/.test(f));
const suite = siteSuite('the notebook download links', 'tests/site/notebook-download.test.ts');

suite.describe('downloading a notebook from its page', { timeout: 120_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('saves NN-slug.ipynb, the notebook itself, from every notebook page', async () => {
    expect(notebooks.length).toBeGreaterThan(5);
    const saved: string[] = [];
    for (const file of notebooks) {
      const context = await site.browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${site.base}/docs/notebooks/${file.replace(/^\d\d-|\.ipynb$/g, '')}`);
      const link = page.getByRole('link', { name: 'download the notebook (.ipynb)' });
      // The build serves it at a hashed name, so a new version is never a stale cached copy.
      expect(await link.getAttribute('href')).toMatch(/^\/assets\/files\/.+-[0-9a-f]{8,}\.ipynb$/);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      saved.push(download.suggestedFilename());
      const path = await download.path();
      expect(readFileSync(path, 'utf8')).toBe(readFileSync(join(ROOT, 'notebooks', file), 'utf8'));
      await context.close();
    }
    expect(saved).toEqual(notebooks);
  });
});
