// Course progress on the site: `<ProgressSummary chapters={[…]} />` on the intro page, and (in
// ./ChapterDone.tsx, an island) `<ChapterDone chapter="03" />` at the end of a chapter. Reading,
// notebook and quiz progress lives in this browser's localStorage (see store.ts), and both
// components say so. Exercise progress is what `npm run check` last found, which only the local
// site can read (useExerciseProgress.ts).
import type { ReactNode } from 'react';
import { chapterExercises } from './exercise-progress';
import { ChapterVerdicts, NoVerdicts } from './ExerciseVerdict';
import { LOCAL_NOTE } from './local-note';
import { resetProgress, type ChapterNumber } from './store';
import { readyProgress, useExerciseProgress } from './useExerciseProgress';
import { useProgress } from './useProgress';
import styles from './styles.module.css';

export interface ChapterEntry {
  number: ChapterNumber;
  title: string;
}

const yesNo = (done: boolean | undefined) => (done ? 'done' : 'not yet');

export function ProgressSummary({
  chapters,
  local,
}: {
  chapters: ChapterEntry[];
  local?: boolean;
}): ReactNode {
  const progress = useProgress();
  const checks = useExerciseProgress(local);
  const verdicts = readyProgress(checks);
  const done = chapters.filter((c) => {
    const p = progress.chapters[c.number];
    return p?.read && p.quiz && p.notebook;
  }).length;
  const exercisesDone = verdicts
    ? chapters.filter((c) => {
        const records = chapterExercises(verdicts, c.number);
        return records.length > 0 && records.every((r) => r.state === 'done');
      }).length
    : undefined;
  return (
    <section className={styles.box} aria-labelledby="progress-summary-title">
      <h3 id="progress-summary-title" className={styles.title}>
        Your progress
      </h3>
      <p className={styles.note}>
        {LOCAL_NOTE} The exercise column is what <code>npm run check</code> last found on this
        machine.
      </p>
      <table>
        <caption className={styles.caption}>
          {done} of {chapters.length} chapters read, quizzed and run
          {exercisesDone !== undefined &&
            `; exercises done in ${exercisesDone} of ${chapters.length} chapters`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Chapter</th>
            <th scope="col">Read</th>
            <th scope="col">Quiz passed</th>
            <th scope="col">Notebook run</th>
            <th scope="col">Exercise checks</th>
          </tr>
        </thead>
        <tbody>
          {chapters.map((c, i) => {
            const p = progress.chapters[c.number] ?? {};
            return (
              <tr key={c.number}>
                <th scope="row">
                  {c.number}. {c.title}
                </th>
                <td>{yesNo(p.read)}</td>
                <td>{yesNo(p.quiz)}</td>
                <td>{yesNo(p.notebook)}</td>
                {verdicts ? (
                  <td className={styles.checks}>
                    <ChapterVerdicts progress={verdicts} chapter={c.number} />
                  </td>
                ) : (
                  // Without verdicts, one cell down the whole column says why.
                  i === 0 && (
                    <td className={styles.checks} rowSpan={chapters.length}>
                      <NoVerdicts view={checks} />
                    </td>
                  )
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className="button button--secondary button--sm"
        onClick={() => {
          if (window.confirm('Forget all your progress in this browser?')) resetProgress();
        }}
      >
        Forget my progress
      </button>
    </section>
  );
}
