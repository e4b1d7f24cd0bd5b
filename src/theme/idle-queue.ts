// Work a page can do a moment after it loads, in the browser's idle moments, a few milliseconds
// per idle callback rather than in one task while the reader waits: prefetching the pages links
// lead to (./prefetch-when-idle.ts) and mounting code blocks' buttons (./CodeBlock/Buttons).
// One queue, first in first out, for all of it.

interface IdleDeadline {
  readonly didTimeout: boolean;
  timeRemaining(): number;
}

/** How long one idle callback may run queued work. The browser offers up to 50 ms; a task that
 *  long is what this queue is here to avoid. */
export const SLICE_MS = 5;

const queue: (() => void)[] = [];
let scheduled = false;

function later(run: (deadline: IdleDeadline) => void): void {
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2000 });
  // Safari has none: a timer, as if a frame's idle period (50 ms) were free; the slice still caps it.
  else setTimeout(() => run({ didTimeout: false, timeRemaining: () => 50 }), 50);
}

function run(deadline: IdleDeadline): void {
  if (queue.length === 0) {
    scheduled = false; // every task queued was cancelled
    return;
  }
  const start = performance.now();
  do {
    const task = queue.shift()!;
    try {
      task();
    } catch (error) {
      // One failing task must not stop the rest: report it as an uncaught error would be.
      setTimeout(() => {
        throw error;
      });
    }
  } while (
    queue.length > 0 &&
    performance.now() - start < SLICE_MS &&
    // A callback the browser ran because its timeout passed (a busy page) still gets a slice.
    (deadline.didTimeout || deadline.timeRemaining() > 0)
  );
  if (queue.length > 0) later(run);
  else scheduled = false;
}

/** Runs task in an idle moment, after the tasks queued before it. Returns a function that takes it
 *  off the queue if it has not run yet. */
export function whenIdle(task: () => void): () => void {
  queue.push(task);
  if (!scheduled) {
    scheduled = true;
    later(run);
  }
  return () => {
    const at = queue.indexOf(task);
    if (at >= 0) queue.splice(at, 1);
  };
}
