// @vitest-environment happy-dom
// The progress table and a chapter's progress box with the exercise verdicts of `npm run check`:
// each state as the local server reports it, following a later run without a reload, a server
// that does not answer, a copy hosted elsewhere, which says how to see them instead, and how a page
// tells the two apart (its address).
import { act, createElement as h } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressSummary } from '../../src/components/Progress';
import ChapterDone from '../../src/components/Progress/ChapterDoneBox';
import {
  checkedAtText,
  EXERCISE_PROGRESS_PATH,
  type ExerciseRecord,
  type ExerciseState,
} from '../../src/components/Progress/exercise-progress';
import { PROGRESS_KEY } from '../../src/components/Progress/store';
import { isThisMachine, POLL_MS } from '../../src/components/Progress/useExerciseProgress';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const chapters = ['01', '02', '03', '04', '05', '06', '07'].map((number) => ({
  number,
  title: `Chapter ${number}`,
}));

const record = (id: string, state: ExerciseState, passing: number, total = 4): ExerciseRecord => ({
  id,
  chapter: id,
  title: `Exercise ${id}`,
  state,
  passing,
  total,
  checkedAt: '2025-12-01T10:00:00.000Z',
});
const progressJson = (...records: ExerciseRecord[]) =>
  JSON.stringify({ version: 1, exercises: Object.fromEntries(records.map((r) => [r.id, r])) });

/** What the local server answers next; every request is counted. */
let answer: () => Promise<Response>;
const fetchStub = vi.fn((url: string, init?: RequestInit) => {
  void url;
  void init;
  return answer();
});
const json = (text: string) =>
  Promise.resolve(new Response(text, { headers: { 'content-type': 'application/json' } }));

let container: HTMLElement;
let root: Root;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  vi.stubGlobal('fetch', fetchStub);
  fetchStub.mockClear();
  localStorage.clear();
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  happyDOM().setURL('http://localhost:3000/');
});

/** happy-dom's own window API: sets the address the page was loaded from. */
const happyDOM = () => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;

/** Lets fetches and renders finish; asks until `done` holds, at most 100 times. */
async function settle(done: () => boolean = () => true) {
  for (let i = 0; i < 100; i += 1) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
    if (done()) return;
  }
}

/** The exercise cell of each chapter's row, as the reader sees it. */
const exerciseCells = () =>
  Array.from(container.querySelectorAll('tbody tr')).map(
    (row) => row.querySelector('td:last-child')?.textContent?.replace(/ · .*$/, '') ?? '',
  );

describe('on the local site (npm start)', () => {
  it('shows each exercise in the state npm run check recorded, beside reading and quiz', async () => {
    localStorage.setItem(
      PROGRESS_KEY,
      JSON.stringify({ version: 1, chapters: { '01': { read: true, quiz: true } } }),
    );
    answer = () =>
      json(
        progressJson(
          record('01', 'done', 4),
          record('02', 'failing', 1),
          record('03', 'broken', 0, 0),
          record('04', 'not started', 0),
        ),
      );
    act(() => root.render(h(ProgressSummary, { chapters, local: true })));
    await settle(() => exerciseCells()[0] !== '');
    expect(exerciseCells()).toEqual([
      'done (4 of 4 checks pass)',
      'failing (1 of 4 checks pass)',
      'does not run',
      'not started',
      'not started', // 05 to 07 were never checked
      'not started',
      'not started',
    ]);
    const first = container.querySelector('tbody tr')!;
    expect(Array.from(first.querySelectorAll('td')).map((td) => td.textContent)).toEqual([
      'done', // read
      'done', // quiz passed
      'not yet', // notebook run
      expect.stringMatching(/^done \(4 of 4 checks pass\) · /),
    ]);
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe('2025-12-01T10:00:00.000Z');
    expect(container.querySelector('caption')?.textContent).toBe(
      '0 of 7 chapters read, quizzed and run; exercises done in 1 of 7 chapters',
    );
    expect(fetchStub).toHaveBeenCalledWith(EXERCISE_PROGRESS_PATH, expect.anything());
  });

  it('follows a later npm run check without a reload', async () => {
    answer = () => json(progressJson(record('01', 'failing', 2)));
    act(() => root.render(h(ProgressSummary, { chapters, local: true })));
    await settle(() => exerciseCells()[0] !== '');
    expect(exerciseCells()[0]).toBe('failing (2 of 4 checks pass)');
    answer = () => json(progressJson(record('01', 'done', 4)));
    await act(async () => vi.advanceTimersByTime(POLL_MS));
    await settle(() => exerciseCells()[0].startsWith('done'));
    expect(exerciseCells()[0]).toBe('done (4 of 4 checks pass)');
  });

  it('says it is reading before the server answers', () => {
    answer = () => new Promise(() => {});
    act(() => root.render(h(ProgressSummary, { chapters, local: true })));
    expect(container.textContent).toContain('Reading your check results');
  });

  it('reads a damaged file as every exercise not started', async () => {
    answer = () => json('{"version":1,"exercises":{"01":');
    act(() => root.render(h(ProgressSummary, { chapters, local: true })));
    await settle(() => exerciseCells()[0] !== '');
    expect(exerciseCells()).toEqual(Array(7).fill('not started'));
  });

  it.each([
    ['no server', () => Promise.reject(new TypeError('Failed to fetch'))],
    [
      'a page instead of progress',
      () =>
        Promise.resolve(
          new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
        ),
    ],
  ])('with %s, says it could not read the checks instead of "not started"', async (_, reply) => {
    answer = reply;
    act(() => root.render(h(ProgressSummary, { chapters, local: true })));
    await settle(() => /Could not read/.test(container.textContent ?? ''));
    expect(container.textContent).toMatch(/Could not read your check results.*npm start/);
    expect(container.textContent).not.toContain('not started');
  });

  it("a chapter's progress box shows its own exercise", async () => {
    answer = () => json(progressJson(record('02', 'done', 4), record('03', 'failing', 3)));
    act(() => root.render(h(ChapterDone, { chapter: '03', local: true })));
    await settle(() => /Exercise: \S/.test(container.textContent ?? ''));
    expect(container.textContent).toMatch(/Exercise: failing \(3 of 4 checks pass\) · /);
  });

  it('writes when each check ran in local time, and ids in order, with no Intl call', async () => {
    // A page's first Intl call loads the browser's locale data: a long task on a phone as the
    // verdicts arrive, just after the page loads. So the verdicts make none.
    const intl = [
      vi.spyOn(String.prototype, 'localeCompare'),
      vi.spyOn(Date.prototype, 'toLocaleString'),
      vi.spyOn(Date.prototype, 'toLocaleDateString'),
      vi.spyOn(Date.prototype, 'toLocaleTimeString'),
      vi.spyOn(Intl, 'DateTimeFormat'),
      vi.spyOn(Intl, 'Collator'),
    ];
    const at = (id: string, checkedAt: string) => ({
      ...record(id, 'done', 4),
      chapter: '05',
      checkedAt,
    });
    // A later check in the ids' reverse order, across midnight of a time zone west of UTC.
    answer = () =>
      json(
        progressJson(at('05b', '2026-01-01T02:05:00.000Z'), at('05a', '2025-12-31T23:59:00.000Z')),
      );
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    let intlCalls: number[];
    try {
      act(() => root.render(h(ChapterDone, { chapter: '05', local: true })));
      await settle(() => container.querySelectorAll('time').length === 2);
      expect(Array.from(container.querySelectorAll('time'), (t) => t.textContent)).toEqual([
        '2025-12-31 18:59',
        '2025-12-31 21:05',
      ]);
      expect(container.textContent).toMatch(/05a: done .*05b: done/);
      // A zone half an hour off UTC: local minutes too, not UTC's.
      process.env.TZ = 'Asia/Kolkata';
      expect(checkedAtText('2026-01-01T02:05:00.000Z')).toBe('2026-01-01 07:35');
    } finally {
      process.env.TZ = zone;
      if (zone === undefined) delete process.env.TZ;
      intlCalls = intl.map((spy) => spy.mock.calls.length); // restoring a spy clears its calls
      for (const spy of intl) spy.mockRestore();
    }
    expect(intlCalls).toEqual(intl.map(() => 0));
  });
});

describe('on the built site', () => {
  it('the table says how to see exercise results, and asks no server', () => {
    const html = renderToStaticMarkup(h(ProgressSummary, { chapters, local: false }));
    container.innerHTML = html;
    const cells = container.querySelectorAll('tbody td[rowspan="7"]');
    expect(cells).toHaveLength(1);
    expect(cells[0].textContent).toMatch(
      /Run the site locally with npm start, then npm run check: each exercise then shows here as done, failing or not started/,
    );
    expect(container.querySelectorAll('tbody tr')).toHaveLength(7);
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it("a chapter's progress box says the same, and the quiz state still shows", () => {
    localStorage.setItem(
      PROGRESS_KEY,
      JSON.stringify({ version: 1, chapters: { '03': { quiz: true } } }),
    );
    act(() => root.render(h(ChapterDone, { chapter: '03', local: false })));
    // Both answers are in the box (the one not true hidden, so the box is as tall either way).
    expect(container.querySelector('[data-shown]')?.textContent).toBe('Quiz: passed');
    expect(container.textContent).toMatch(/Exercise: Exercise results come from the checks/);
    expect(fetchStub).not.toHaveBeenCalled();
  });
});

describe('where the page comes from, when nothing says (as on every page of the site)', () => {
  it("this machine's names are localhost, 127.x.y.z and [::1]; nothing else is", () => {
    for (const name of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]'])
      expect(isThisMachine(name), name).toBe(true);
    for (const name of ['statelab.example', '192.168.1.20', 'localhost.evil.example', '[::2]', ''])
      expect(isThisMachine(name), name).toBe(false);
  });

  it.each(['http://localhost:3000/docs/intro', 'http://127.0.0.1:8080/docs/intro'])(
    'loaded from %s, the table asks the local server and shows its verdicts',
    async (url) => {
      happyDOM().setURL(url);
      answer = () => json(progressJson(record('01', 'done', 4)));
      act(() => root.render(h(ProgressSummary, { chapters })));
      await settle(() => exerciseCells()[0] !== '');
      expect(exerciseCells()[0]).toBe('done (4 of 4 checks pass)');
      expect(fetchStub).toHaveBeenCalledWith(EXERCISE_PROGRESS_PATH, expect.anything());
    },
  );

  it('loaded from a host elsewhere, it says how to see them and asks nothing', async () => {
    happyDOM().setURL('https://statelab.example/docs/intro');
    act(() => root.render(h(ProgressSummary, { chapters })));
    await settle();
    expect(container.textContent).toMatch(
      /Run the site locally with npm start, then npm run check/,
    );
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('the page the build writes says it is reading them, never "not started"', () => {
    const html = renderToStaticMarkup(h(ProgressSummary, { chapters }));
    expect(html).toContain('Reading your check results');
    expect(html).not.toContain('not started');
  });
});
