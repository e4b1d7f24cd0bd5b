// The reader's exercise verdicts as the local server reports them: `npm start` (tools/static-server.ts)
// and `npm run dev` (src/plugins/exercise-progress.ts) both answer EXERCISE_PROGRESS_PATH. Asked
// for again every few seconds while the page is visible, so a check run in a terminal shows here
// without a reload. A copy of the site hosted elsewhere has no such server: there nothing is asked.
import { useEffect, useState } from 'react';
import {
  EXERCISE_PROGRESS_PATH,
  parseExerciseProgress,
  type ExerciseProgress,
} from './exercise-progress';

/** Whether a page with this host name was loaded from this machine, where `npm start` serves it
 *  (the same names the local server accepts: src/plugins/exercise-progress.ts). */
export const isThisMachine = (hostname: string) =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(hostname);

/** How often the table asks again: a small JSON file from this machine. */
export const POLL_MS = 2_000;

/** Asking for JSON first gets past the dev server's history fallback, which would answer with the
 *  site's index page instead (it passes on requests whose Accept starts with application/json). */
export const PROGRESS_REQUEST: RequestInit = {
  headers: { accept: 'application/json' },
  cache: 'no-store',
};

type LocalView =
  | { source: 'local'; status: 'loading' }
  | { source: 'local'; status: 'unreachable'; reason: string }
  | { source: 'local'; status: 'ready'; progress: ExerciseProgress };
/** 'built': a page from elsewhere, which cannot read the reader's checks. */
export type ExerciseProgressView = { source: 'built' } | LocalView;

/** The verdicts, once the local server has answered. */
export const readyProgress = (view: ExerciseProgressView): ExerciseProgress | undefined =>
  view.source === 'local' && view.status === 'ready' ? view.progress : undefined;

/**
 * `local` says whether the page comes from the reader's machine; tests set it. Pages leave it to the
 * browser's address, known only once the page runs: until then (and in the HTML the build writes)
 * the view is "loading", so the one build serves both a reader's `npm start` and a hosted copy.
 */
export function useExerciseProgress(local?: boolean): ExerciseProgressView {
  const [here, setHere] = useState(local);
  useEffect(() => setHere(local ?? isThisMachine(window.location.hostname)), [local]);
  const [view, setView] = useState<LocalView>({ source: 'local', status: 'loading' });
  useEffect(() => {
    if (!here) return;
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
  }, [here]);
  return here === false ? { source: 'built' } : view;
}
