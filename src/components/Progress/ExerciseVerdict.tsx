// How the progress table and a chapter's progress box show what `npm run check` found: one
// chapter's exercises from the local server, or, where the checks cannot be read (a copy of the
// site hosted elsewhere, a stopped server), how to see them.
import type { ReactNode } from 'react';
import {
  chapterExercises,
  checkedAtText,
  describeRecord,
  type ExerciseProgress,
  type ExerciseRecord,
} from './exercise-progress';
import type { ExerciseProgressView } from './useExerciseProgress';
import styles from './styles.module.css';

/** What a hosted copy says instead of verdicts: the file they come from is on the reader's machine. */
export function HowToSeeChecks(): ReactNode {
  return (
    <>
      Exercise results come from the checks on your machine. Run the site locally with{' '}
      <code>npm start</code>, then <code>npm run check</code>: each exercise then shows here as
      done, failing or not started.
    </>
  );
}

function Verdict({ record }: { record: ExerciseRecord }): ReactNode {
  return (
    <span data-state={record.state}>
      {describeRecord(record)}
      <span className={styles.when}>
        {' '}
        · <time dateTime={record.checkedAt}>{checkedAtText(record.checkedAt)}</time>
      </span>
    </span>
  );
}

/** One chapter's exercise verdicts; an exercise never checked is "not started". */
export function ChapterVerdicts({
  progress,
  chapter,
}: {
  progress: ExerciseProgress;
  chapter: string;
}): ReactNode {
  const records = chapterExercises(progress, chapter);
  if (records.length === 0) return <span data-state="not started">not started</span>;
  return records.map((record, i) => (
    <span key={record.id}>
      {i > 0 && <br />}
      {records.length > 1 && `${record.id}: `}
      <Verdict record={record} />
    </span>
  ));
}

/** Why the local server's answer is missing: still asking, or it did not answer. */
export function NoVerdicts({ view }: { view: ExerciseProgressView }): ReactNode {
  if (view.source === 'built') return <HowToSeeChecks />;
  if (view.status === 'ready') return null;
  if (view.status === 'loading') return <>Reading your check results…</>;
  return (
    <>
      Could not read your check results from the local server ({view.reason}). Is{' '}
      <code>npm start</code> still running?
    </>
  );
}
