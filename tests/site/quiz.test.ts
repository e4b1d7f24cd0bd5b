// The quiz's scoring and the progress store's pure parts, without a browser.
import { describe, expect, it } from 'vitest';
import {
  assertQuiz,
  checkAnswer,
  questionProblems,
  scoreQuiz,
  type QuizQuestion,
} from '../../src/components/Quiz/score';
import { emptyProgress, parseProgress, withChapter } from '../../src/components/Progress/store';

const crash: QuizQuestion = {
  prompt: 'app-1 crashes; 40 of 120 users were pinned to it. How many must log in again?',
  options: [
    { text: '0', why: 'Their sessions were in app-1.' },
    { text: '40', correct: true, why: 'Exactly the users pinned to app-1.' },
    { text: '120', why: 'The others keep their sessions.' },
  ],
};
const roundRobin: QuizQuestion = {
  prompt: 'Which policy spreads requests evenly by count?',
  options: [
    { text: 'round robin', correct: true, why: 'Each healthy backend in turn.' },
    { text: 'least connections', why: 'It looks at requests in flight.' },
  ],
};

describe('checking one answer', () => {
  it('says a correct choice is correct and explains it', () => {
    expect(checkAnswer(crash, 1)).toEqual({
      correct: true,
      correctIndex: 1,
      explanation: 'Exactly the users pinned to app-1.',
    });
  });

  it('explains a wrong choice and points at the correct option', () => {
    expect(checkAnswer(crash, 2)).toEqual({
      correct: false,
      correctIndex: 1,
      explanation: 'The others keep their sessions.',
    });
  });

  it('refuses an option that does not exist', () => {
    expect(() => checkAnswer(crash, 3)).toThrow(RangeError);
  });
});

describe('scoring a quiz', () => {
  it('counts only checked questions, and passes only when all are correct', () => {
    expect(scoreQuiz([crash, roundRobin], [1, undefined])).toEqual({
      answered: 1,
      correct: 1,
      total: 2,
      passed: false,
    });
    expect(scoreQuiz([crash, roundRobin], [2, 0]).passed).toBe(false);
    expect(scoreQuiz([crash, roundRobin], [1, 0])).toEqual({
      answered: 2,
      correct: 2,
      total: 2,
      passed: true,
    });
  });

  it('never passes an empty quiz', () => {
    expect(scoreQuiz([], []).passed).toBe(false);
  });
});

describe('a malformed question', () => {
  it('needs exactly one correct option and an explanation for each', () => {
    const bad: QuizQuestion = {
      prompt: 'Which?',
      options: [
        { text: 'a', correct: true, why: 'yes' },
        { text: 'b', correct: true, why: ' ' },
      ],
    };
    expect(questionProblems(bad)).toEqual([
      'a question needs exactly one correct option, not 2',
      'option 2 has no explanation',
    ]);
    expect(() => assertQuiz([crash, bad])).toThrow(/question 2: a question needs exactly one/);
    expect(() => assertQuiz([crash, roundRobin])).not.toThrow();
  });
});

describe('a read-this-output question', () => {
  it('needs a label and a figure path for the figure it shows', () => {
    const output = { label: 'users forced to log in again', path: 'kill.forcedToLogIn' };
    expect(questionProblems({ ...roundRobin, output })).toEqual([]);
    expect(questionProblems({ ...roundRobin, output: { ...output, path: ' ' } })).toEqual([
      'an output needs a label and a figure path',
    ]);
    expect(questionProblems({ ...roundRobin, output: { ...output, label: '' } })).toEqual([
      'an output needs a label and a figure path',
    ]);
  });
});

describe('stored progress', () => {
  it('reads missing, broken and other-version text as no progress', () => {
    expect(parseProgress(null)).toBe(emptyProgress);
    expect(parseProgress('{not json')).toBe(emptyProgress);
    expect(parseProgress('{"version":2,"chapters":{}}')).toBe(emptyProgress);
  });

  it('round-trips a chapter marked done without changing the original', () => {
    const read = withChapter(emptyProgress, '03', { read: true });
    const passed = withChapter(read, '03', { quiz: true });
    expect(passed.chapters['03']).toEqual({ read: true, quiz: true });
    expect(read.chapters['03']).toEqual({ read: true });
    expect(emptyProgress.chapters).toEqual({});
    expect(parseProgress(JSON.stringify(passed))).toEqual(passed);
  });
});
