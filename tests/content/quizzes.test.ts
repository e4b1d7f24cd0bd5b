// Every chapter the intro's progress table counts has a quiz on its page, for that chapter, before
// its progress box, and every question can be asked (one correct option, every option explained).
// Each quiz has at least 6 questions, and at least one "read this output" question: it shows a
// figure of the chapter's recorded run (its `output`) and asks what it means, so its number is the
// run's, never typed; the figure must exist in the committed run, as <Figure> needs it to.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookup } from '../../src/components/Figures/figures';
import { questionProblems, type QuizQuestion } from '../../src/components/Quiz/score';
import { listDocs, ROOT } from './docs';

/** At least this many questions per chapter (issue 17). */
export const MIN_QUESTIONS = 6;

const FIGURE_RUNS = join(ROOT, 'src', 'components', 'Figures', 'runs');
/** The figures of chapter NN's committed run, or undefined when it has none. */
function figuresOf(chapter: string): unknown {
  const name = readdirSync(FIGURE_RUNS).find((n) => n.startsWith(`${chapter}-`));
  if (!name) return undefined;
  return (JSON.parse(readFileSync(join(FIGURE_RUNS, name), 'utf8')) as { figures?: unknown })
    .figures;
}

/** What keeps a chapter's quiz from meeting the bar: too few questions, no output question, an
 *  output whose figure the run does not hold. */
export function quizBarProblems(chapter: string, questions: QuizQuestion[]): string[] {
  const problems: string[] = [];
  if (questions.length < MIN_QUESTIONS)
    problems.push(`${questions.length} questions, fewer than ${MIN_QUESTIONS}`);
  const outputs = questions.filter((q) => q.output);
  if (outputs.length === 0)
    problems.push('no "read this output" question (a question with output)');
  const figures = figuresOf(chapter);
  for (const q of outputs) {
    if (figures === undefined) {
      problems.push(
        `no recorded figures for chapter ${chapter}, so "${q.output!.path}" cannot show`,
      );
    } else if (lookup(figures, q.output!.path) === undefined) {
      problems.push(`the run of chapter ${chapter} records no figure "${q.output!.path}"`);
    }
  }
  return problems;
}

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
    expect(quizBarProblems(chapter, quiz!.questions)).toEqual([]);
    const problems = quiz!.questions.flatMap((q, i) =>
      questionProblems(q).map((p) => `question ${i + 1}: ${p}`),
    );
    expect(problems).toEqual([]);
    expect(page!.text.indexOf('<Quiz')).toBeLessThan(
      page!.text.indexOf(`<ChapterDone chapter="${chapter}" />`),
    );
  });

  it('fails a quiz that is too short, has no output question, or shows a figure the run lacks', () => {
    const q = (output?: QuizQuestion['output']): QuizQuestion => ({
      prompt: 'Which?',
      ...(output ? { output } : {}),
      options: [
        { text: 'a', correct: true, why: 'yes' },
        { text: 'b', why: 'no' },
      ],
    });
    const real = { label: 'users forced to log in again', path: 'kill.forcedToLogIn' };
    const six = [q(real), q(), q(), q(), q(), q()];
    expect(quizBarProblems('03', six)).toEqual([]);
    expect(quizBarProblems('03', six.slice(0, 5))).toEqual(['5 questions, fewer than 6']);
    expect(quizBarProblems('03', [q(), ...six.slice(1)])).toEqual([
      'no "read this output" question (a question with output)',
    ]);
    expect(quizBarProblems('03', [q({ ...real, path: 'kill.typo' }), ...six.slice(1)])).toEqual([
      'the run of chapter 03 records no figure "kill.typo"',
    ]);
    expect(quizBarProblems('99', six)).toEqual([
      'no recorded figures for chapter 99, so "kill.forcedToLogIn" cannot show',
    ]);
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
