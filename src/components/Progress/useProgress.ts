// The stored progress as React state: re-renders when this page or another tab changes it.
// On the server, and in the first browser render, it is empty, so hydration matches.
import { useSyncExternalStore } from 'react';
import { emptyProgress, readProgress, subscribeProgress, type Progress } from './store';

export function useProgress(): Progress {
  return useSyncExternalStore(subscribeProgress, readProgress, () => emptyProgress);
}
