// Every chapter the intro's progress table counts has a quiz on its page, for that chapter, before
// its progress box, and every question can be asked (one correct option, every option explained).
import { describe, expect, it } from 'vitest';
import { questionProblems, type QuizQuestion } from '../../src/components/Quiz/score';
import { listDocs } from './docs';

const docs = listDocs().filter((d) => !d.file.startsWith('docs/notebooks/'));
const intro = docs.find((d) => d.id === 'intro')!;
/** The chapter numbers in the intro's <ProgressSummary chapters={[…]} />. */
const counted = [
  ...(/<ProgressSummary[\s\S]*?\/>/.exec(intro.text)?.[0] ?? '').matchAll(/number: "(\d{2})"/g),
].map((m) => m[1]);

/** The `chapter` and `questions` of the <Quiz … /> on a page; the questions are a JS literal. */
function quizOf(text: string): { chapter: string; questions: QuizQuestion[] } | undefined {
  const quiz = /<Quiz\s+chapter="(\d{2})"\s+questions=\{([\s\S]*?)\}\s*\/>/.exec(text);
  if (!quiz) return undefined;
  return { chapter: quiz[1], questions: new Function(`return (${quiz[2]});`)() as QuizQuestion[] };
}

describe('chapter quizzes', () => {
  it('the progress table counts chapters 01 to 08', () => {
    expect(counted).toEqual(['01', '02', '03', '04', '05', '06', '07', '08']);
  });

  it.each(counted)('chapter %s has its own quiz, before its progress box', (chapter) => {
    const page = docs.find((d) => d.file.startsWith(`docs/${chapter}-`));
    expect(page, `no page docs/${chapter}-*.mdx`).toBeDefined();
    const quiz = quizOf(page!.text);
    expect(quiz?.chapter, `${page!.file} has no <Quiz chapter="${chapter}" …/>`).toBe(chapter);
    expect(quiz!.questions.length).toBeGreaterThanOrEqual(3);
    const problems = quiz!.questions.flatMap((q, i) =>
      questionProblems(q).map((p) => `question ${i + 1}: ${p}`),
    );
    expect(problems).toEqual([]);
    expect(page!.text.indexOf('<Quiz')).toBeLessThan(
      page!.text.indexOf(`<ChapterDone chapter="${chapter}" />`),
    );
  });

  it('reads a quiz written as the pages write it', () => {
    const page = `<Quiz\n  chapter="09"\n  questions={[\n    { prompt: "Which?", options: [{ text: "a", correct: true, why: "yes" }, { text: "b", why: "no" }] },\n  ]}\n/>`;
    expect(quizOf(page)).toEqual({
      chapter: '09',
      questions: [
        {
          prompt: 'Which?',
          options: [
            { text: 'a', correct: true, why: 'yes' },
            { text: 'b', why: 'no' },
          ],
        },
      ],
    });
    expect(quizOf('no quiz here')).toBeUndefined();
  });
});
