// The reader's exercise verdicts as the local dev server reports them (src/plugins/exercise-progress.ts).
// Asked for again every few seconds while the page is visible, so a check run in a terminal shows
// here without a reload. The built site has no such server, so there nothing is asked for.
import { useEffect, useState } from 'react';
import {
  EXERCISE_PROGRESS_PATH,
  parseExerciseProgress,
  type ExerciseProgress,
} from './exercise-progress';

/** Whether this page comes from `npm start`: Docusaurus bundles it with NODE_ENV "development". */
export const LOCAL_SITE = process.env.NODE_ENV === 'development';

/** How often the table asks again: a small JSON file from this machine. */
export const POLL_MS = 2_000;

/** Asking for JSON first gets past the dev server's history fallback, which would answer with the
 *  site's index page instead (it passes on requests whose Accept starts with application/json). */
export const PROGRESS_REQUEST: RequestInit = {
  headers: { accept: 'application/json' },
  cache: 'no-store',
};

export type ExerciseProgressView =
  | { source: 'built' }
  | { source: 'local'; status: 'loading' }
  | { source: 'local'; status: 'unreachable'; reason: string }
  | { source: 'local'; status: 'ready'; progress: ExerciseProgress };

/** The verdicts, once the local server has answered. */
export const readyProgress = (view: ExerciseProgressView): ExerciseProgress | undefined =>
  view.source === 'local' && view.status === 'ready' ? view.progress : undefined;

/** `local` says where the page runs; tests set it, pages take the default. */
export function useExerciseProgress(local = LOCAL_SITE): ExerciseProgressView {
  const [view, setView] = useState<ExerciseProgressView>(
    local ? { source: 'local', status: 'loading' } : { source: 'built' },
  );
  useEffect(() => {
    if (!local) return;
    let stopped = false;
    let asking = false; // one request at a time, however slow the answer
    let last: string | undefined;
    const ask = async () => {
      if (asking || document.hidden) return;
      asking = true;
      try {
        const reply = await fetch(EXERCISE_PROGRESS_PATH, PROGRESS_REQUEST);
        const type = reply.headers.get('content-type') ?? '';
        if (!reply.ok || !type.startsWith('application/json')) {
          throw new Error(`the server answered ${reply.status} ${type || 'without a type'}`);
        }
        const text = await reply.text();
        if (!stopped && text !== last) {
          last = text;
          setView({ source: 'local', status: 'ready', progress: parseExerciseProgress(text) });
        }
      } catch (error) {
        last = undefined;
        if (!stopped) setView({ source: 'local', status: 'unreachable', reason: String(error) });
      } finally {
        asking = false;
      }
    };
    void ask();
    const timer = setInterval(ask, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [local]);
  return view;
}
