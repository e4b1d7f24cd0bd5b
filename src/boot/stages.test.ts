import { describe, expect, it } from 'vitest';
import { runInTasks, type Later } from './stages';

/** A task queue the test runs by hand: `later` queues, `runNext` runs the oldest. */
function queue() {
  const tasks: (() => void)[] = [];
  const later: Later = (step) => tasks.push(step);
  return { later, tasks, runNext: () => tasks.shift()!() };
}

describe('runInTasks', () => {
  it('runs the first step at once and each next one in a task of its own, in order', () => {
    const ran: string[] = [];
    const q = queue();
    runInTasks(
      ['a', 'b', 'c'].map((name) => () => void ran.push(name)),
      false,
      q.later,
    );
    expect(ran).toEqual(['a']);
    expect(q.tasks).toHaveLength(1);
    q.runNext();
    expect(ran).toEqual(['a', 'b']);
    q.runNext();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(q.tasks).toHaveLength(0);
  });

  it('runs every step in this task when asked to', () => {
    const ran: string[] = [];
    const q = queue();
    runInTasks(
      ['a', 'b', 'c'].map((name) => () => void ran.push(name)),
      true,
      q.later,
    );
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(q.tasks).toHaveLength(0);
  });

  it('stops at a step that throws, as one script would', () => {
    const ran: string[] = [];
    const q = queue();
    const steps = [
      () => void ran.push('a'),
      () => {
        throw new Error('b failed');
      },
      () => void ran.push('c'),
    ];
    runInTasks(steps, false, q.later);
    expect(() => q.runNext()).toThrow('b failed');
    expect(ran).toEqual(['a']);
    expect(q.tasks).toHaveLength(0);
  });

  it('runs the steps a step returns right after it, each in a task of its own', () => {
    const ran: string[] = [];
    const q = queue();
    const steps = [
      () => void ran.push('a'),
      () => {
        ran.push('b');
        return [() => void ran.push('b1'), () => void ran.push('b2')];
      },
      () => void ran.push('c'),
    ];
    runInTasks(steps, false, q.later);
    q.runNext();
    expect(ran).toEqual(['a', 'b']);
    q.runNext();
    expect(ran).toEqual(['a', 'b', 'b1']);
    q.runNext();
    q.runNext();
    expect(ran).toEqual(['a', 'b', 'b1', 'b2', 'c']);
    expect(q.tasks).toHaveLength(0);
    // and all in this task when asked to
    ran.length = 0;
    runInTasks(steps, true, q.later);
    expect(ran).toEqual(['a', 'b', 'b1', 'b2', 'c']);
    expect(q.tasks).toHaveLength(0);
  });

  it('ignores what a step returns that is not a list of steps (a module, a number)', () => {
    const ran: string[] = [];
    const q = queue();
    const module = { default: () => ran.push('not a step') };
    runInTasks([() => module as never, () => 3 as never, () => void ran.push('c')], false, q.later);
    q.runNext();
    q.runNext();
    expect(ran).toEqual(['c']);
    expect(q.tasks).toHaveLength(0);
  });

  it('runs steps returned by a returned step too, in order', () => {
    const ran: string[] = [];
    const q = queue();
    runInTasks(
      [
        () => [() => [() => void ran.push('a1a')], () => void ran.push('a2')],
        () => void ran.push('b'),
      ],
      true,
      q.later,
    );
    expect(ran).toEqual(['a1a', 'a2', 'b']);
  });

  it('does nothing with no steps', () => {
    const q = queue();
    runInTasks([], false, q.later);
    expect(q.tasks).toHaveLength(0);
  });

  it('runs the next step in a later task of the real event loop', async () => {
    const ran: string[] = [];
    runInTasks([() => void ran.push('a'), () => void ran.push('b')], false);
    await Promise.resolve();
    expect(ran).toEqual(['a']); // not a microtask: a task
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ran).toEqual(['a', 'b']);
  });
});
