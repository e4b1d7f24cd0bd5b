// Runs a list of steps one task each, in order: between two steps the browser may paint, answer a
// tap, or run anything else it has queued. Used by ./staged-entry.ts to start the site.

/** Puts a step in a task of its own (setTimeout 0). Past five nested timers a browser waits at
 *  least 4 ms: on a docs page (four matched routes) the last two steps wait that long. */
export type Later = (step: () => void) => void;

const nextTask: Later = (step) => setTimeout(step, 0);

/** A step of the start; it may return steps of its own, run next, each in a task of its own. */
export type Step = () => void | Step[];

/**
 * Runs `steps` in order: the first at once, each next one in a task of its own; all of them at
 * once, in this task, when `atOnce`. The steps a step returns come right after it. A step that
 * throws stops the ones after it (as one script would).
 */
export function runInTasks(steps: Step[], atOnce: boolean, later: Later = nextTask): void {
  const queue = [...steps];
  const step = () => {
    const more = queue.shift()!();
    if (Array.isArray(more)) queue.unshift(...more);
    if (queue.length === 0) return;
    if (atOnce) step();
    else later(step);
  };
  if (queue.length > 0) step();
}
