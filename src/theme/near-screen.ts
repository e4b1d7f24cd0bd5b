// Whether an element is on the screen or close to it (a quarter of a screen above or below), from
// one IntersectionObserver shared by every element watched. Code blocks use it (./CodeBlock): a
// block far from the screen is not laid out (content-visibility: auto, src/css/custom.css), and
// its word-wrap button waits until it comes near to measure it, since measuring a block that is
// not laid out would make the browser lay it out, one long task per block.

type Watcher = (near: boolean) => void;

/** How close counts as near. Chromium lays out content-visibility: auto content well beyond this
 *  (about a screen and a half away, measured), so a block this near is already laid out. */
export const NEAR_MARGIN = '25% 0px';

interface Watched {
  /** The observer's last report; undefined until its first. */
  near?: boolean;
  readonly watchers: Set<Watcher>;
}

const watched = new Map<Element, Watched>();
let observer: IntersectionObserver | undefined;

function observerOf(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const w = watched.get(entry.target);
        if (!w) continue;
        w.near = entry.isIntersecting;
        for (const watcher of [...w.watchers]) watcher(entry.isIntersecting);
      }
    },
    { rootMargin: NEAR_MARGIN },
  );
  return observer;
}

/**
 * Calls `watcher(near)` once the browser has placed the element (whether it is near now), then each
 * time that changes. Returns a function that stops watching.
 */
export function watchNearScreen(element: Element, watcher: Watcher): () => void {
  let w = watched.get(element);
  if (!w) {
    w = { watchers: new Set() };
    watched.set(element, w);
    observerOf().observe(element); // its first report comes once the element is placed
  } else if (w.near !== undefined) {
    // Observed already, and reported: the observer reports changes only, so pass on where it stands.
    const { near } = w;
    queueMicrotask(() => {
      if (w?.watchers.has(watcher)) watcher(near);
    });
  }
  w.watchers.add(watcher);
  return () => {
    // Once only, and only its own entry: the element may be watched again since.
    if (!w.watchers.delete(watcher)) return;
    if (w.watchers.size === 0 && watched.get(element) === w) {
      watched.delete(element);
      observer?.unobserve(element);
    }
  };
}
