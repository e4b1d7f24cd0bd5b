// Runs a list of steps one task each, in order: between two steps the browser may paint, answer a
// tap, or run anything else it has queued. Used by ./staged-entry.ts to start the site.

/** Puts a step in a task of its own (setTimeout 0: three steps deep, no clamping). */
export type Later = (step: () => void) => void;

const nextTask: Later = (step) => setTimeout(step, 0);

/**
 * Runs `steps` in order: the first at once, each next one in a task of its own; all of them at
 * once, in this task, when `atOnce`. A step that throws stops the ones after it (as one script
 * would).
 */
export function runInTasks(steps: (() => void)[], atOnce: boolean, later: Later = nextTask): void {
  let next = 0;
  const step = () => {
    steps[next++]!();
    if (next === steps.length) return;
    if (atOnce) step();
    else later(step);
  };
  if (steps.length > 0) step();
}
