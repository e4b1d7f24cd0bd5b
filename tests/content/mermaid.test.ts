// @vitest-environment happy-dom
// Every Mermaid diagram in docs/ parses with the same mermaid the site renders with. Mermaid
// sanitises labels with DOMPurify, which needs a DOM, hence the happy-dom environment.
import { join } from 'node:path';
import mermaid from 'mermaid';
import { beforeAll, describe, expect, it } from 'vitest';
import { listDocs, mermaidBlocks, readDoc, ROOT } from './docs';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'content');

beforeAll(() => {
  mermaid.initialize({ startOnLoad: false });
});

/** The parser's complaint, or undefined when the diagram parses. */
async function parseError(code: string): Promise<string | undefined> {
  try {
    await mermaid.parse(code);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const diagrams = listDocs().flatMap((doc) =>
  mermaidBlocks(doc.text).map((block) => [`${doc.file}:${block.line}`, block.code] as const),
);

describe('Mermaid diagrams in docs/', () => {
  it('finds the diagrams (the course has some)', () => {
    expect(diagrams.length).toBeGreaterThan(0);
  });

  it.each(diagrams)('%s parses', async (where, code) => {
    const error = await parseError(code);
    if (error !== undefined) throw new Error(`The diagram at ${where} does not parse:\n${error}`);
  });
});

describe('the Mermaid check itself', () => {
  const fixture = readDoc(join(FIXTURES, 'diagrams.md'), FIXTURES);
  const [good, broken] = mermaidBlocks(fixture.text);

  it('finds both fenced blocks in the fixture, with their line numbers', () => {
    expect(mermaidBlocks(fixture.text).map((b) => b.line)).toEqual([3, 11]);
  });

  it('accepts a well-formed diagram with HTML in a label', async () => {
    expect(await parseError(good.code)).toBeUndefined();
  });

  it('rejects a broken diagram', async () => {
    expect(await parseError(broken.code)).toMatch(/Parse error/);
  });
});
