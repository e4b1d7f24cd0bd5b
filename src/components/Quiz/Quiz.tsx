// A chapter's quiz: `<Quiz chapter="03" questions={[…]} />` near the end of the page. Each
// question is a radio group with its own Check button; the feedback is announced (aria-live),
// the chosen option's explanation is shown, and the correct option is marked in words, not
// only in colour. Passing every question records "quiz passed" in the reader's progress.
// The questions render without JavaScript; checking needs it, and a note says so. A form's method
// is "dialog", which outside a <dialog> makes a Check pressed without JavaScript do nothing, where
// a plain form would load the page again at its top, the answer gone, the reader's place lost.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { markChapter, type ChapterNumber } from '../Progress/store';
import { Figure } from '../Figures';
import type { FigureRecord } from '../Figures/figures';
import { assertQuiz, checkAnswer, scoreQuiz, type QuizQuestion } from './score';
import styles from './styles.module.css';

export type { QuizOption, QuizQuestion } from './score';

interface QuestionProps {
  /** The chapter's notebook slug (NN-slug), whose recorded run an output question quotes. */
  notebook: string;
  /** That run's figures (null: no run yet, and <Figure> says "not measured"). */
  record: FigureRecord | null | undefined;
  question: QuizQuestion;
  index: number;
  total: number;
  checked: number | undefined;
  onCheck: (chosen: number | undefined) => void;
}

function Question({
  notebook,
  record,
  question,
  index,
  total,
  checked,
  onCheck,
}: QuestionProps): ReactNode {
  const id = useId();
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [nothingChosen, setNothingChosen] = useState(false);
  const result = checked === undefined ? undefined : checkAnswer(question, checked);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNothingChosen(selected === undefined);
    onCheck(selected);
  };

  return (
    <form className={styles.question} method="dialog" onSubmit={submit}>
      <fieldset>
        <legend className={styles.prompt}>
          <span className={styles.number}>
            Question {index + 1} of {total}.
          </span>{' '}
          {question.prompt}
        </legend>
        {question.output && (
          <p className={styles.output}>
            From this chapter&apos;s notebook run: {question.output.label} ={' '}
            <Figure
              chapter={notebook}
              record={record}
              path={question.output.path}
              digits={question.output.digits}
              unit={question.output.unit}
            />
          </p>
        )}
        <ul className={styles.options}>
          {question.options.map((option, i) => {
            const isCorrect = result !== undefined && i === result.correctIndex;
            const isWrongPick = result !== undefined && i === checked && !result.correct;
            return (
              <li
                key={i}
                className={isCorrect ? styles.correct : isWrongPick ? styles.wrong : styles.option}
              >
                <label>
                  <input
                    type="radio"
                    name={id}
                    value={i}
                    checked={selected === i}
                    onChange={() => {
                      setSelected(i);
                      setNothingChosen(false);
                      if (checked !== undefined) onCheck(undefined);
                    }}
                  />{' '}
                  {option.text}
                  {isCorrect && <strong className={styles.mark}> ✓ Correct answer</strong>}
                  {isWrongPick && <strong className={styles.mark}> ✗ Your answer</strong>}
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <button type="submit" className="button button--primary button--sm">
        Check
      </button>
      <div className={styles.feedback} aria-live="polite">
        {nothingChosen && <p>Choose an answer first.</p>}
        {result !== undefined && (
          <p>
            <strong>{result.correct ? 'Correct.' : 'Not quite.'}</strong> {result.explanation}
            {!result.correct && <> The correct answer is marked above.</>}
          </p>
        )}
      </div>
    </form>
  );
}

export default function Quiz({
  chapter,
  questions,
  record,
}: {
  chapter: ChapterNumber;
  questions: QuizQuestion[];
  /** The chapter's recorded run, given by the build (Figures/remark-records.ts), as to a <Figure>. */
  record?: FigureRecord | null;
}): ReactNode {
  assertQuiz(questions); // a malformed quiz fails the build instead of reaching a reader
  // The chapter's notebook is the run's; with no recorded run, <Figure> says "not measured".
  const notebook = record?.notebook ?? `${chapter}-`;
  const [checked, setChecked] = useState<(number | undefined)[]>(() =>
    questions.map(() => undefined),
  );
  const score = scoreQuiz(questions, checked);

  const onCheck = (index: number, chosen: number | undefined) => {
    const next = checked.map((c, i) => (i === index ? chosen : c));
    setChecked(next);
    if (scoreQuiz(questions, next).passed) markChapter(chapter, { quiz: true });
  };

  return (
    <section className={styles.quiz} aria-label={`Quiz for chapter ${chapter}`}>
      <noscript>
        <p className={styles.noscript}>
          Checking an answer needs JavaScript, which is off in this browser: the questions are here
          to think over, and the chapter above has their answers.
        </p>
      </noscript>
      {questions.map((q, i) => (
        <Question
          key={i}
          notebook={notebook}
          record={record}
          question={q}
          index={i}
          total={questions.length}
          checked={checked[i]}
          onCheck={(chosen) => onCheck(i, chosen)}
        />
      ))}
      <p className={styles.score} aria-live="polite">
        {score.passed
          ? `All ${score.total} correct: quiz passed, and recorded in your progress in this browser.`
          : `${score.correct} of ${score.total} correct so far.`}
      </p>
    </section>
  );
}
