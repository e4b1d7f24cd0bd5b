// Course progress on the site: `<ChapterDone chapter="03" />` at the end of a chapter, and
// `<ProgressSummary chapters={[…]} />` on the intro page. Progress lives in this browser's
// localStorage (see store.ts), and both components say so.
import type { ReactNode } from 'react';
import { markChapter, resetProgress, type ChapterNumber } from './store';
import { useProgress } from './useProgress';
import styles from './styles.module.css';

const LOCAL_NOTE =
  'Your progress is kept only in this browser (its local storage). It is not sent anywhere, and another browser or device does not see it.';

export function ChapterDone({ chapter }: { chapter: ChapterNumber }): ReactNode {
  const mine = useProgress().chapters[chapter] ?? {};
  return (
    <fieldset className={styles.box}>
      <legend>Your progress in chapter {chapter}</legend>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={mine.read === true}
          onChange={(e) => markChapter(chapter, { read: e.target.checked })}
        />{' '}
        I have read this chapter
      </label>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={mine.notebook === true}
          onChange={(e) => markChapter(chapter, { notebook: e.target.checked })}
        />{' '}
        I have run this chapter's notebook
      </label>
      <p className={styles.status}>
        Quiz: {mine.quiz ? 'passed' : 'not passed yet (the quiz above records it when you pass)'}
      </p>
      <p className={styles.note}>{LOCAL_NOTE}</p>
    </fieldset>
  );
}

export interface ChapterEntry {
  number: ChapterNumber;
  title: string;
}

const yesNo = (done: boolean | undefined) => (done ? 'done' : 'not yet');

export function ProgressSummary({ chapters }: { chapters: ChapterEntry[] }): ReactNode {
  const progress = useProgress();
  const done = chapters.filter((c) => {
    const p = progress.chapters[c.number];
    return p?.read && p.quiz && p.notebook;
  }).length;
  return (
    <section className={styles.box} aria-labelledby="progress-summary-title">
      <h3 id="progress-summary-title" className={styles.title}>
        Your progress
      </h3>
      <p className={styles.note}>{LOCAL_NOTE}</p>
      <table>
        <caption className={styles.caption}>
          {done} of {chapters.length} chapters read, quizzed and run
        </caption>
        <thead>
          <tr>
            <th scope="col">Chapter</th>
            <th scope="col">Read</th>
            <th scope="col">Quiz passed</th>
            <th scope="col">Notebook run</th>
          </tr>
        </thead>
        <tbody>
          {chapters.map((c) => {
            const p = progress.chapters[c.number] ?? {};
            return (
              <tr key={c.number}>
                <th scope="row">
                  {c.number}. {c.title}
                </th>
                <td>{yesNo(p.read)}</td>
                <td>{yesNo(p.quiz)}</td>
                <td>{yesNo(p.notebook)}</td>
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
