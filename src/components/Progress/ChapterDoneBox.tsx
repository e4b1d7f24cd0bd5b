// The box at the end of a chapter: what this browser recorded of the reader's progress in it (read,
// notebook run, quiz passed) and what `npm run check` last found of its exercise. The page loads it
// as an island (./ChapterDone.tsx), when the reader comes near it.
import type { ReactNode } from 'react';
import { ChapterVerdicts, NoVerdicts } from './ExerciseVerdict';
import { LOCAL_NOTE } from './local-note';
import { markChapter, type ChapterNumber } from './store';
import { readyProgress, useExerciseProgress } from './useExerciseProgress';
import { useProgress } from './useProgress';
import styles from './styles.module.css';

/** `local`: whether the page comes from the reader's `npm start` (by default its address says); tests set it. */
export default function ChapterDoneBox({
  chapter,
  local,
}: {
  chapter: ChapterNumber;
  local?: boolean;
}): ReactNode {
  const mine = useProgress().chapters[chapter] ?? {};
  const checks = useExerciseProgress(local);
  const verdicts = readyProgress(checks);
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
      {/* Both answers take the same place, the one not true hidden: the line is as tall either
          way, so the box keeps its height when it loads (an island, maybe on screen) with the
          reader's progress in place of the server's empty one. */}
      <p className={`${styles.status} ${styles.either}`}>
        <span className={mine.quiz ? undefined : styles.unseen} data-shown={mine.quiz || undefined}>
          Quiz: passed
        </span>
        <span
          className={mine.quiz ? styles.unseen : undefined}
          data-shown={!mine.quiz || undefined}
        >
          Quiz: not passed yet (the quiz above records it when you pass)
        </span>
      </p>
      <p className={styles.status}>
        Exercise:{' '}
        {verdicts ? (
          <ChapterVerdicts progress={verdicts} chapter={chapter} />
        ) : (
          <NoVerdicts view={checks} />
        )}
      </p>
      <p className={styles.note}>{LOCAL_NOTE}</p>
    </fieldset>
  );
}
