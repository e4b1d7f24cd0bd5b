// Every page's edit link points at the file the page is made from; a notebook page at its .ipynb
// (src/edit-url.ts), and the site's config uses that rule when STATELAB_EDIT_URL names the repository.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EDIT_URL_ENV, editUrlFor, sourceOfDoc } from '../../src/edit-url';

describe('the edit link of a page', () => {
  it('points a notebook page at its notebook, a chapter at its .mdx', () => {
    expect(sourceOfDoc('notebooks/02-many-servers.mdx')).toBe('notebooks/02-many-servers.ipynb');
    expect(sourceOfDoc('02-many-servers.mdx')).toBe('docs/02-many-servers.mdx');
  });

  it('is the edit base followed by that file, and absent without a base', () => {
    const edit = editUrlFor('https://github.com/o/r/edit/main');
    expect(edit?.({ docPath: 'notebooks/07-x.mdx' })).toBe(
      'https://github.com/o/r/edit/main/notebooks/07-x.ipynb',
    );
    expect(editUrlFor(undefined)).toBeUndefined();
    expect(editUrlFor(' ')).toBeUndefined();
  });
});

describe('the site config', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });
  const docsOptions = async () => {
    const { default: config } = await import('../../docusaurus.config');
    const [, options] = config.presets![0] as [string, { docs: { editUrl?: unknown } }];
    return options.docs;
  };

  it(`uses the rule when ${EDIT_URL_ENV} is set`, async () => {
    vi.stubEnv(EDIT_URL_ENV, 'https://example.org/repo/edit/main/');
    const { editUrl } = await docsOptions();
    expect((editUrl as (p: { docPath: string }) => string)({ docPath: 'notebooks/03-x.mdx' })).toBe(
      'https://example.org/repo/edit/main/notebooks/03-x.ipynb',
    );
  });

  it(`shows no edit link when ${EDIT_URL_ENV} is not set`, async () => {
    vi.stubEnv(EDIT_URL_ENV, '');
    expect((await docsOptions()).editUrl).toBeUndefined();
  });
});
