// Chapter 8 counts the answers its check is proven against, in words: the counts must be the
// fixtures' (tests/fixtures/exercises/08-right and 08-wrong), so a fixture added or removed
// without the prose fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../tools/checks/manifest';

const WORDS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine thirty thirty-one thirty-two thirty-three thirty-four thirty-five'.split(
    ' ',
  );

const fixtures = (kind: 'right' | 'wrong') =>
  readdirSync(join(ROOT, `tests/fixtures/exercises/08-${kind}`)).length;

it('chapter 8 counts the right designs and the wrong fixes its check is proven against', () => {
  const text = readFileSync(join(ROOT, 'docs/08-capstone.mdx'), 'utf8');
  const right = /the reference solution and ([a-z-]+) other right designs/.exec(text);
  const wrong = /and ([a-z-]+) wrong fixes/.exec(text);
  expect(right, 'the sentence that counts the right designs').not.toBeNull();
  expect(wrong, 'the sentence that counts the wrong fixes').not.toBeNull();
  expect(WORDS.indexOf(right![1]), `"${right![1]} other right designs"`).toBe(fixtures('right'));
  expect(WORDS.indexOf(wrong![1]), `"${wrong![1]} wrong fixes"`).toBe(fixtures('wrong'));
});

it("chapter 8's words for the last look's delay are the nemesis's constant", async () => {
  const { LAST_LOOK_AFTER_MS } = await import('../../notebooks/lab/core/hidden-state');
  const text = readFileSync(join(ROOT, 'docs/08-capstone.mdx'), 'utf8');
  const said = [
    ...text.matchAll(
      /(?:on by|than those) ([a-z-]+) minutes|\b([a-z-]+) minutes before its last look/g,
    ),
  ];
  expect(said.length, 'sentences that say how long after the last round the last look comes').toBe(
    3,
  );
  for (const [sentence, a, b] of said) {
    expect(WORDS.indexOf(a ?? b) * 60_000, `"${sentence}"`).toBe(LAST_LOOK_AFTER_MS);
  }
});
