// The "Edit this page" link under every page points at the file the page is made from: a chapter at
// docs/NN-slug.mdx, a notebook page (generated, docs/notebooks/NN-slug.mdx) at its notebook,
// notebooks/NN-slug.ipynb, since editing the generated page would be overwritten. The repository's
// address is not the site's to guess: STATELAB_EDIT_URL gives its edit base (for GitHub,
// https://github.com/OWNER/REPO/edit/main/); without it, pages show no edit link.
export const EDIT_URL_ENV = 'STATELAB_EDIT_URL';

/** The repository file a page is made from, by the page's path under docs/. */
export function sourceOfDoc(docPath: string): string {
  const notebook = /^notebooks\/([^/]+)\.mdx?$/.exec(docPath);
  return notebook ? `notebooks/${notebook[1]}.ipynb` : `docs/${docPath}`;
}

/** Docusaurus's docs editUrl for an edit base, or undefined (no edit links) without one. */
export function editUrlFor(
  base: string | undefined,
): ((page: { docPath: string }) => string) | undefined {
  if (!base?.trim()) return undefined;
  const root = base.trim().replace(/\/*$/, '/');
  return ({ docPath }) => root + sourceOfDoc(docPath);
}
