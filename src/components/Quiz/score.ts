// Checks quiz answers. Pure: no React, no browser, no storage, so vitest can test it and the
// page can fail its build on a malformed question. The reader's answers live in the Quiz
// component's state; only "passed" is kept, by the progress store.

export interface QuizOption {
  /** The answer as the reader sees it. */
  text: string;
  /** Exactly one option of a question is correct. */
  correct?: boolean;
  /** Why this option is right or wrong; shown when the reader picks it. */
  why: string;
}

/**
 * A figure the question shows under its prompt, from the chapter's recorded run (as <Figure> shows
 * it): a "read this output" question asks what the run's own number means, so no number is typed.
 */
export interface QuizOutput {
  /** What the figure is, as the notebook printed it: "users forced to log in again". */
  label: string;
  /** The figure's path in the run's figures, as for <Figure path="…">. */
  path: string;
  digits?: number;
  unit?: string;
}

export interface QuizQuestion {
  prompt: string;
  /** Shown under the prompt: a figure of the chapter's run, for a "read this output" question. */
  output?: QuizOutput;
  options: QuizOption[];
}

export interface AnswerCheck {
  correct: boolean;
  /** The index of the correct option, so the page can mark it in words. */
  correctIndex: number;
  /** The explanation of the option the reader chose. */
  explanation: string;
}

/** What is wrong with a question; empty when it can be asked. */
export function questionProblems(question: QuizQuestion): string[] {
  const problems: string[] = [];
  if (!question.prompt.trim()) problems.push('the question has no prompt');
  if (question.output && !(question.output.label.trim() && question.output.path.trim()))
    problems.push('an output needs a label and a figure path');
  if (question.options.length < 2) problems.push('a question needs at least two options');
  const correct = question.options.filter((o) => o.correct).length;
  if (correct !== 1) problems.push(`a question needs exactly one correct option, not ${correct}`);
  question.options.forEach((o, i) => {
    if (!o.why.trim()) problems.push(`option ${i + 1} has no explanation`);
  });
  return problems;
}

/** Throws with every problem of every question, so a broken quiz fails the site's build. */
export function assertQuiz(questions: QuizQuestion[]): void {
  if (questions.length === 0) throw new Error('a quiz needs at least one question');
  const problems = questions.flatMap((q, i) =>
    questionProblems(q).map((p) => `question ${i + 1}: ${p}`),
  );
  if (problems.length > 0) throw new Error(`Quiz: ${problems.join('; ')}`);
}

export function checkAnswer(question: QuizQuestion, chosen: number): AnswerCheck {
  const option = question.options[chosen];
  if (option === undefined) throw new RangeError(`no option ${chosen} in this question`);
  const correctIndex = question.options.findIndex((o) => o.correct);
  return { correct: chosen === correctIndex, correctIndex, explanation: option.why };
}

export interface QuizScore {
  /** Questions checked at least once. */
  answered: number;
  /** Questions whose last checked answer is correct. */
  correct: number;
  total: number;
  /** Every question's last checked answer is correct. */
  passed: boolean;
}

/** Scores the last checked answer of each question (undefined: not checked yet). */
export function scoreQuiz(questions: QuizQuestion[], checked: (number | undefined)[]): QuizScore {
  let answered = 0;
  let correct = 0;
  questions.forEach((q, i) => {
    const chosen = checked[i];
    if (chosen === undefined) return;
    answered += 1;
    if (checkAnswer(q, chosen).correct) correct += 1;
  });
  const total = questions.length;
  return { answered, correct, total, passed: total > 0 && correct === total };
}
