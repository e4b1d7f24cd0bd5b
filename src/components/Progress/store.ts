// The reader's course progress: which chapters they read, which notebooks they ran, which
// quizzes they passed. State lives in this browser's localStorage under one versioned key;
// nothing is sent anywhere, and another browser or device starts empty.

export const PROGRESS_KEY = 'statelab.progress.v1';
const CHANGED = 'statelab-progress-changed';

/** A chapter number as the course writes it: "01" … "07". */
export type ChapterNumber = string;

export interface ChapterProgress {
  read?: boolean;
  notebook?: boolean;
  quiz?: boolean;
}

export interface Progress {
  version: 1;
  chapters: Record<ChapterNumber, ChapterProgress>;
}

export const emptyProgress: Progress = Object.freeze({ version: 1, chapters: Object.freeze({}) });

/** Reads stored text; anything unreadable or from another version counts as no progress. */
export function parseProgress(raw: string | null): Progress {
  if (!raw) return emptyProgress;
  try {
    const value = JSON.parse(raw) as Partial<Progress>;
    if (value?.version !== 1 || typeof value.chapters !== 'object' || value.chapters === null) {
      return emptyProgress;
    }
    return { version: 1, chapters: value.chapters };
  } catch {
    return emptyProgress;
  }
}

/** The progress with one chapter's fields changed; the input is not modified. */
export function withChapter(
  progress: Progress,
  chapter: ChapterNumber,
  change: ChapterProgress,
): Progress {
  const next = { ...progress.chapters[chapter], ...change };
  return { version: 1, chapters: { ...progress.chapters, [chapter]: next } };
}

// The browser side. Storage can be missing (server rendering) or refuse writes (private mode,
// quota); progress is a convenience, so both fall back to "nothing stored" without an error.
function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

let cache: { raw: string | null; progress: Progress } = { raw: null, progress: emptyProgress };

/** The stored progress; the same object while the stored text is unchanged (useSyncExternalStore needs that). */
export function readProgress(): Progress {
  let raw: string | null;
  try {
    raw = storage()?.getItem(PROGRESS_KEY) ?? null;
  } catch {
    raw = null;
  }
  if (raw !== cache.raw) cache = { raw, progress: parseProgress(raw) };
  return cache.progress;
}

function write(progress: Progress | undefined): void {
  try {
    if (progress === undefined) storage()?.removeItem(PROGRESS_KEY);
    else storage()?.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // Not stored: the page still works, the progress is just not remembered.
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED));
}

export function markChapter(chapter: ChapterNumber, change: ChapterProgress): void {
  write(withChapter(readProgress(), chapter, change));
}

export function resetProgress(): void {
  write(undefined);
}

/** Calls back when progress changes in this page or in another tab of this browser. */
export function subscribeProgress(onChange: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === PROGRESS_KEY) onChange();
  };
  window.addEventListener(CHANGED, onChange);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener('storage', onStorage);
  };
}
