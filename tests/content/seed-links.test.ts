// The chapters quote "the seed", the short note the course grew from. A reader who never saw it
// must be able to find out what it is: the intro introduces it (#the-seed), and every sentence on
// another page that names it links there. Headings are left out (a heading holds no link); the
// paragraph under one names it with its link.
import { describe, expect, it } from 'vitest';
import { listDocs } from './docs';

const NAMES_THE_SEED = /\b(the|course's) seed( text)?\b(?!ed)|\bclassic example\b/i;
const LINK = '00-intro.mdx#the-seed';

/** Lines of `text` outside code fences that name the seed without linking its introduction. */
export function unlinkedMentions(text: string): string[] {
  let inFence = false;
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence || /^#/.test(line)) continue;
    if (NAMES_THE_SEED.test(line) && !line.includes(LINK)) found.push(line.slice(0, 120));
  }
  return found;
}

describe('the seed, named on a page, links its introduction', () => {
  const docs = listDocs();

  it('the intro introduces it under #the-seed, with its source', () => {
    const intro = docs.find((d) => d.file === 'docs/00-intro.mdx')!;
    expect(intro.text).toMatch(/^### The seed \{\/\* #the-seed \*\/\}$/m);
    expect(intro.text).toMatch(/Knowledge credits: \[Cloud Advocate\]\(https:\/\/www\.youtube/);
  });

  it.each(docs.filter((d) => d.file !== 'docs/00-intro.mdx').map((d) => [d.file, d] as const))(
    '%s',
    (_file, doc) => {
      expect(unlinkedMentions(doc.text)).toEqual([]);
    },
  );

  it('finds a mention without the link, and leaves other seeds alone', () => {
    expect(unlinkedMentions('As the seed text says, servers are distributed.')).toHaveLength(1);
    expect(unlinkedMentions('This is the case the classic example describes.')).toHaveLength(1);
    expect(unlinkedMentions(`As [the seed](./${LINK}) says.`)).toEqual([]);
    expect(unlinkedMentions('24 users, seeded, and a seed at the top; several seeds.')).toEqual([]);
    expect(unlinkedMentions('### What the seed text gets wrong')).toEqual([]);
  });
});
