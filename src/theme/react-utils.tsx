// Docusaurus's theme-common lib/utils/reactUtils.js (3.10), in the browser's bundle, with one
// change: useShallowMemoObject sorts an object's keys by code unit instead of localeCompare. The
// sort only has to give the same order every time, and the first localeCompare a page makes loads
// the browser's collation tables: on a doc page (the navbar's secondary menu memoises its props
// with it), a 25 ms task on this machine and over 100 ms on Lighthouse's phone, every page load.
// src/plugins/stand-ins.ts puts this module in place of Docusaurus's; the rest is theirs, as is.
import React, { useCallback, useMemo, useRef, type ComponentType, type ReactNode } from 'react';
import useIsomorphicLayoutEffect from '@docusaurus/useIsomorphicLayoutEffect';

export function useEvent<T extends (...args: never[]) => unknown>(callback: T): T {
  const ref = useRef(callback);
  useIsomorphicLayoutEffect(() => {
    ref.current = callback;
  }, [callback]);
  return useCallback((...args: Parameters<T>) => ref.current(...args), []) as T;
}

export function usePrevious<T>(value: T): T | undefined {
  const ref = useRef<T | undefined>(undefined);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref.current;
}

export class ReactContextError extends Error {
  constructor(providerName: string, additionalInfo?: string) {
    super();
    this.name = 'ReactContextError';
    this.message = `Hook ${
      this.stack?.split('\n')[1]?.match(/at (?:\w+\.)?(?<name>\w+)/)?.groups?.name ?? ''
    } is called outside the <${providerName}>. ${additionalInfo ?? ''}`;
  }
}

/** Keys in code-unit order: a stable order, without loading the browser's collation tables. */
export function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export function useShallowMemoObject<O extends object>(obj: O): O {
  const deps = Object.entries(obj).sort(byKey);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- as Docusaurus: the object's entries
  return useMemo(() => obj, deps.flat());
}

export function composeProviders(
  providers: ComponentType<{ children: ReactNode }>[],
): ComponentType<{ children: ReactNode }> {
  return function ComposedProviders({ children }: { children: ReactNode }) {
    return (
      <>
        {providers.reduceRight(
          (element, CurrentProvider) => (
            <CurrentProvider>{element}</CurrentProvider>
          ),
          children,
        )}
      </>
    );
  };
}
