// What `npm run check` last found for each exercise: the format of .statelab/progress.json, which
// the check runner writes (tools/checks/progress.ts) and the local server hands to the progress
// table (src/plugins/exercise-progress.ts). Platform-free: the browser parses it too.

/** The URL the local server (`npm start`, `npm run dev`) answers with the reader's exercise progress. */
export const EXERCISE_PROGRESS_PATH = '/__statelab/exercise-progress.json';

/** The check runner's four verdicts (tools/checks/format.ts prints the same ones). */
export const EXERCISE_STATES = ['done', 'failing', 'broken', 'not started'] as const;
export type ExerciseState = (typeof EXERCISE_STATES)[number];

export interface ExerciseRecord {
  /** The exercise's id in notebooks/exercises.json: "01". */
  id: string;
  /** The chapter it belongs to, as the site numbers chapters: "01". */
  chapter: string;
  title: string;
  state: ExerciseState;
  /** How many of its checks passed, out of `total`, in that run. */
  passing: number;
  total: number;
  /** When the run ended, as an ISO 8601 date. */
  checkedAt: string;
}

export interface ExerciseProgress {
  version: 1;
  exercises: Record<string, ExerciseRecord>;
}

export const noExerciseProgress: ExerciseProgress = Object.freeze({
  version: 1,
  exercises: Object.freeze({}),
});

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

function isRecord(value: unknown): value is ExerciseRecord {
  const r = value as Partial<ExerciseRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.chapter === 'string' &&
    typeof r.title === 'string' &&
    EXERCISE_STATES.includes(r.state as ExerciseState) &&
    isCount(r.passing) &&
    isCount(r.total) &&
    r.passing <= r.total &&
    typeof r.checkedAt === 'string' &&
    !Number.isNaN(Date.parse(r.checkedAt))
  );
}

/**
 * Reads the file's text. A missing, unreadable or other-version file is no progress, and a damaged
 * entry is dropped: either way that exercise shows as "not started", never as an error.
 */
export function parseExerciseProgress(raw: string | null | undefined): ExerciseProgress {
  if (!raw) return noExerciseProgress;
  let value: Partial<ExerciseProgress> | null;
  try {
    value = JSON.parse(raw) as Partial<ExerciseProgress> | null;
  } catch {
    return noExerciseProgress;
  }
  if (value?.version !== 1 || typeof value.exercises !== 'object' || value.exercises === null) {
    return noExerciseProgress;
  }
  const exercises: Record<string, ExerciseRecord> = {};
  for (const [id, record] of Object.entries(value.exercises)) {
    if (isRecord(record) && record.id === id) exercises[id] = record;
  }
  return { version: 1, exercises };
}

/** The records of one chapter's exercises, in id order. */
export function chapterExercises(progress: ExerciseProgress, chapter: string): ExerciseRecord[] {
  return Object.values(progress.exercises)
    .filter((r) => r.chapter === chapter)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * When a check ran, as 2026-12-03 09:16 in the reader's time zone. Written out by hand, as the id
 * sort above is by code unit: a page's first Intl call (toLocaleString, localeCompare) loads the
 * browser's locale data, a long task on a phone just after the page loads.
 */
export function checkedAtText(iso: string): string {
  const d = new Date(iso);
  const day = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${day} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** How the table words a verdict: the same words as `npm run check`, plus the count of checks. */
export function describeRecord(record: ExerciseRecord): string {
  const checks = `${record.passing} of ${record.total} checks pass`;
  switch (record.state) {
    case 'done':
      return `done (${checks})`;
    case 'failing':
      return `failing (${checks})`;
    case 'broken':
      return 'does not run';
    case 'not started':
      return 'not started';
  }
}
