// @vitest-environment happy-dom
// The idle queue (./idle-queue.ts): tasks run in order, in idle callbacks, a few milliseconds'
// worth per callback; a cancelled task never runs; a task that throws does not stop the others.
// The clock and the idle callbacks are the test's, so nothing here depends on the machine's speed.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

let now = 0;
let idle: ((deadline: { didTimeout: boolean; timeRemaining(): number }) => void)[] = [];
let queue: typeof import('./idle-queue');

beforeEach(async () => {
  now = 0;
  idle = [];
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  window.requestIdleCallback = ((run: (typeof idle)[number]) => idle.push(run)) as never;
  vi.resetModules();
  queue = await import('./idle-queue');
});
afterEach(() => vi.restoreAllMocks());

/** Runs the idle callback the browser would call next, with this much idle time left. */
function idleMoment(remaining = 50, didTimeout = false): void {
  expect(idle.length).toBe(1); // one callback pending at a time
  idle.shift()!({ didTimeout, timeRemaining: () => Math.max(0, remaining - now) });
}

it('runs tasks in order, in idle moments, until a slice of time is spent', () => {
  const ran: number[] = [];
  for (let i = 0; i < 5; i++) queue.whenIdle(() => ((now += 2), ran.push(i)));
  expect(ran).toEqual([]); // nothing before an idle moment
  idleMoment(); // 2, 4, 6 ms: the third task ends past the 5 ms slice
  expect(ran).toEqual([0, 1, 2]);
  idleMoment();
  expect(ran).toEqual([0, 1, 2, 3, 4]);
  expect(idle).toEqual([]); // nothing left: no callback asked for
});

it('stops at the end of the idle period, and a callback run by its timeout still gets a slice', () => {
  const ran: number[] = [];
  for (let i = 0; i < 6; i++) queue.whenIdle(() => ((now += 1), ran.push(i)));
  idleMoment(2); // 2 ms of idle time: two 1 ms tasks
  expect(ran).toEqual([0, 1]);
  idleMoment(0); // none left at all: one task, and ask again
  expect(ran).toEqual([0, 1, 2]);
  now = 0;
  idleMoment(0, true); // the page was busy until the timeout: a slice anyway (5 ms)
  expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
});

it('a cancelled task never runs; cancelling after it ran does nothing', () => {
  const ran: string[] = [];
  const cancelA = queue.whenIdle(() => ran.push('a'));
  queue.whenIdle(() => ran.push('b'));
  cancelA();
  idleMoment();
  expect(ran).toEqual(['b']);
  cancelA();
  queue.whenIdle(() => ran.push('c'));
  idleMoment();
  expect(ran).toEqual(['b', 'c']);
});

it('when every queued task is cancelled, the idle moment does nothing and the queue still works', () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  try {
    const ran: string[] = [];
    queue.whenIdle(() => ran.push('a'))();
    idleMoment();
    expect(() => vi.runAllTimers()).not.toThrow(); // no error reported
    expect(ran).toEqual([]);
    queue.whenIdle(() => ran.push('b'));
    idleMoment();
    expect(ran).toEqual(['b']);
  } finally {
    vi.useRealTimers();
  }
});

it('a task that throws does not stop the others, and its error is reported', () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] }); // the idle callbacks stay the test's
  try {
    const ran: string[] = [];
    queue.whenIdle(() => {
      throw new Error('broken task');
    });
    queue.whenIdle(() => ran.push('after'));
    idleMoment();
    expect(ran).toEqual(['after']);
    expect(() => vi.runAllTimers()).toThrow('broken task');
  } finally {
    vi.useRealTimers();
  }
});

it('without requestIdleCallback (Safari), tasks still run, from a timer', async () => {
  try {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    delete (window as { requestIdleCallback?: unknown }).requestIdleCallback;
    vi.resetModules();
    const { whenIdle } = await import('./idle-queue');
    const ran: string[] = [];
    for (const task of ['a', 'b', 'c']) whenIdle(() => ran.push(task));
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(ran).toEqual(['a', 'b', 'c']); // a slice's worth in one timer, not one task a timer
  } finally {
    vi.useRealTimers();
  }
});
