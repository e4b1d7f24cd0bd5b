// Every chapter ends with "Sources and further reading" (real links, one line each) and links the
// glossary; every link between a chapter and the glossary lands on an anchor that exists. The
// checks are plain functions over a page's text, so the last block shows they catch a bad page.
import { describe, expect, it } from 'vitest';
import sidebars from '../../sidebars';
import { listDocs, type DocPage } from './docs';
import { sidebarDocIds } from './sidebar';

const SOURCES_HEADING = /^## Sources and further reading\b.*$/m;
const GLOSSARY_FILE = '09-glossary.mdx';

const docs = listDocs().filter((d) => !d.file.startsWith('docs/notebooks/'));
/** The chapters, 01 to 08 (the capstone); the cheat sheet shares 08 but is not a chapter. */
const chapters = docs.filter(
  (d) => d.number !== undefined && d.number >= 1 && d.number <= 8 && d.id !== 'cheat-sheet',
);
const glossary = docs.find((d) => d.id === 'glossary');

/** The text of the "Sources and further reading" section, up to the next `## ` heading. */
function sourcesSection(text: string): string | undefined {
  const start = text.search(SOURCES_HEADING);
  if (start === -1) return undefined;
  const rest = text.slice(start).replace(SOURCES_HEADING, '');
  const next = rest.search(/^## /m);
  return next === -1 ? rest : rest.slice(0, next);
}

/** The http(s) targets of the Markdown links in a piece of text. */
function webLinks(text: string): string[] {
  return [...text.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1]);
}

/** What is wrong with a chapter's end: the section, its place after the exercises, its links. */
function sourcesProblems(text: string): string[] {
  const section = sourcesSection(text);
  if (section === undefined) return ['no "## Sources and further reading" section'];
  const problems: string[] = [];
  const exercises = text.search(/^## Exercises\b/m);
  if (exercises === -1 || exercises > text.search(SOURCES_HEADING)) {
    problems.push('"Sources and further reading" must come after "## Exercises"');
  }
  if (webLinks(section).length < 2) problems.push('fewer than two http(s) links in the sources');
  for (const line of section.split('\n').filter((l) => l.startsWith('- '))) {
    if (webLinks(line).length === 0) problems.push(`a source without a link: ${line}`);
    else if (!/\)[^)]*:\s+\S/.test(line))
      problems.push(`a source that does not say what it is for: ${line}`);
  }
  return problems;
}

/** Anchors a page defines: explicit `{/* #id *\/}` ids, and the slugs of headings without one. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set([...text.matchAll(/\{\/\*\s*#([\w-]+)\s*\*\/\}/g)].map((m) => m[1]));
  for (const m of text.matchAll(/^#{2,6} (.+)$/gm)) {
    if (m[1].includes('{/*')) continue;
    anchors.add(
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .replace(/\s+/g, '-'),
    );
  }
  return anchors;
}

/** `[text](./NN-slug.mdx#anchor)` links in a page, as { file, anchor }. */
function pageLinks(text: string): { file: string; anchor: string | undefined }[] {
  return [...text.matchAll(/\]\(\.\/([\w-]+\.mdx)(?:#([\w-]+))?\)/g)].map((m) => ({
    file: m[1],
    anchor: m[2],
  }));
}

/** Links from `from` to `to` whose anchor `to` does not define. */
function brokenAnchors(from: DocPage, to: DocPage): string[] {
  const name = to.file.split('/').at(-1)!;
  const anchors = anchorsOf(to.text);
  return pageLinks(from.text)
    .filter((l) => l.file === name && l.anchor !== undefined && !anchors.has(l.anchor))
    .map((l) => `${from.file} links ${name}#${l.anchor}, which does not exist`);
}

describe('chapter sources', () => {
  it('has chapters 01 to 08', () => {
    expect(chapters.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.each(chapters.map((doc) => ({ file: doc.file, doc })))(
    '$file ends with "Sources and further reading": two or more links, each saying what it is for',
    ({ doc }) => {
      expect(sourcesProblems(doc.text)).toEqual([]);
    },
  );
});

describe('the glossary', () => {
  it('exists as docs/09-glossary.mdx with the id "glossary", in the sidebar after the cheat sheet', () => {
    expect(glossary?.file).toBe(`docs/${GLOSSARY_FILE}`);
    const ids = sidebarDocIds(sidebars);
    expect(ids.indexOf('glossary')).toBe(ids.indexOf('cheat-sheet') + 1);
  });

  it('gives every entry an explicit anchor and a link to where the course teaches it', () => {
    const entries = glossary!.text.split(/^### /m).slice(1);
    expect(entries.length).toBeGreaterThanOrEqual(25);
    for (const entry of entries) {
      const title = entry.split('\n')[0];
      expect(title, 'an entry heading needs {/* #id */}').toMatch(/\{\/\* #[\w-]+ \*\/\}$/);
      const taught = pageLinks(entry).filter((l) => /^0[1-8]-/.test(l.file));
      expect(taught.length, `${title} links no chapter`).toBeGreaterThan(0);
    }
  });

  it.each(chapters.map((doc) => ({ file: doc.file, doc })))(
    '$file links the glossary',
    ({ doc }) => {
      expect(pageLinks(doc.text).some((l) => l.file === GLOSSARY_FILE)).toBe(true);
    },
  );

  it('is linked only at anchors it has, and links only chapter anchors that exist', () => {
    const problems = chapters.flatMap((chapter) => [
      ...brokenAnchors(chapter, glossary!),
      ...brokenAnchors(glossary!, chapter),
    ]);
    expect(problems).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const page = (text: string, file = 'docs/01-x.mdx'): DocPage => ({
    file,
    text,
    frontMatter: {},
    id: 'x',
    number: 1,
  });

  it('accept a chapter that ends with linked, explained sources', () => {
    const text = [
      '## Exercises',
      '1. Do it.',
      '## Sources and further reading',
      '- [RFC 6265](https://www.rfc-editor.org/rfc/rfc6265): cookies.',
      '- [Twelve-Factor VI](https://12factor.net/processes): stateless processes.',
    ].join('\n');
    expect(sourcesProblems(text)).toEqual([]);
  });

  it('catch a missing section, a section before the exercises, too few links, a bare link', () => {
    expect(sourcesProblems('## Exercises\n1. Do it.')).toEqual([
      'no "## Sources and further reading" section',
    ]);
    const early =
      '## Sources and further reading\n- [a](https://a.example): for a.\n## Exercises\n';
    expect(sourcesProblems(early)).toEqual([
      '"Sources and further reading" must come after "## Exercises"',
      'fewer than two http(s) links in the sources',
    ]);
    const bare = '## Exercises\n## Sources and further reading\n- [a](https://a.example)\n- b\n';
    expect(sourcesProblems(bare)).toEqual([
      'fewer than two http(s) links in the sources',
      'a source that does not say what it is for: - [a](https://a.example)',
      'a source without a link: - b',
    ]);
  });

  it('find a link to an anchor that does not exist, in either direction', () => {
    const gloss = page(
      '### TTL {/* #ttl */}\nSee [chapter 1](./01-x.mdx#dns).',
      'docs/09-glossary.mdx',
    );
    const chapter = page(
      '## DNS {/* #dns */}\nA [TTL](./09-glossary.mdx#tll) and [p50](./09-glossary.mdx#ttl).',
    );
    expect(brokenAnchors(chapter, gloss)).toEqual([
      'docs/01-x.mdx links 09-glossary.mdx#tll, which does not exist',
    ]);
    expect(brokenAnchors(gloss, page('## Summary'))).toEqual([
      'docs/09-glossary.mdx links 01-x.mdx#dns, which does not exist',
    ]);
  });
});
