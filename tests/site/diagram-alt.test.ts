// Every Mermaid diagram on the site has a text alternative: an `accTitle:` that names it and an
// `accDescr:` that says what it shows. The site turns each diagram into an image, and these two
// lines are the image's alt text, all a reader who cannot see it gets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagramAlt } from '../../src/diagrams/config';
import { mermaidFences, type Fence } from '../../tools/diagrams/fences';

/** What is missing from a diagram's text alternative; empty when it has one. */
function altProblems(fence: Fence): string[] {
  const { title, description } = diagramAlt(fence.source);
  const problems: string[] = [];
  if (!title) problems.push(`${fence.where}: no "accTitle: …" line`);
  if (!description) problems.push(`${fence.where}: no "accDescr: …" line`);
  if (title && title === description)
    problems.push(`${fence.where}: accDescr repeats accTitle; say what the diagram shows`);
  return problems;
}

describe('text alternatives of the Mermaid diagrams in docs/', () => {
  const fences = mermaidFences();

  it('finds the diagrams, the generated notebook pages included', () => {
    expect(fences.length).toBeGreaterThan(10);
    expect(fences.some((f) => f.where.startsWith('docs/notebooks/'))).toBe(true);
  });

  it('every ```mermaid fence has an accTitle and an accDescr', () => {
    expect(fences.flatMap(altProblems)).toEqual([]);
  });
});

describe('the check itself', () => {
  const root = mkdtempSync(join(tmpdir(), 'statelab-diagram-alt-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'docs'));
  writeFileSync(
    join(root, 'docs', 'page.mdx'),
    [
      '```mermaid',
      'flowchart LR',
      '  accTitle: Two boxes',
      '  accDescr: lb forwards to app-1.',
      '  lb --> app1',
      '```',
      '',
      '```mermaid',
      'sequenceDiagram',
      '  accTitle: A title only',
      '  lb->>app1: GET /',
      '```',
      '',
      '```mermaid',
      'flowchart LR',
      '  lb --> app1',
      '```',
    ].join('\n'),
  );

  it('names each diagram that lacks a line, by file and line', () => {
    expect(mermaidFences(root).flatMap(altProblems)).toEqual([
      'docs/page.mdx:8: no "accDescr: …" line',
      'docs/page.mdx:14: no "accTitle: …" line',
      'docs/page.mdx:14: no "accDescr: …" line',
    ]);
  });
});
