// The quiz, the cluster simulator and the chapter's progress box are islands (src/components/Island):
// a chapter page shows their server HTML at once but loads their code and runs them only when the
// reader comes near them, so none costs the page's first load. Here, on a phone-sized screen: after
// load none has run, none's code has arrived and the progress box has not asked the local site for
// exercise results; scrolled to, each loads in place without moving, and works: the quiz checks
// answers and records a pass, the simulator plays and steps, the progress box records a tick; a
// Check pressed, or a box ticked, before the island has loaded is not lost; after a client-side
// navigation all load at once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

/** Text that only each island's own chunk holds (an attribute value and a message of its code). */
const CODE = {
  simulator: '"sim-step"',
  quiz: 'Choose an answer first.',
  progress: 'I have run this chapter',
};
/** What the progress box asks the local site (src/components/Progress/useExerciseProgress.ts). */
const EXERCISE_PROGRESS = '/__statelab/exercise-progress.json';

const suite = siteSuite(
  'the quiz, simulator and progress box islands',
  'tests/site/islands.test.ts',
);

suite.describe('islands on a chapter page', { timeout: 120_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  /** A chapter page on a phone, loaded and hydrated, and the text of every script it ran so far. */
  async function open(route: string) {
    const context = await site.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    const scripts: Promise<string>[] = [];
    const asked: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.text().catch(() => ''));
    });
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === EXERCISE_PROGRESS) asked.push(r.url());
    });
    await page.goto(`${site.base}${route}`, { waitUntil: 'networkidle' });
    // Hydrated: the colour mode toggle (in the closed phone menu) is enabled once React runs.
    await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
      state: 'attached',
    });
    const loaded = async () => (await Promise.all(scripts)).join('\n');
    return { page, problems, loaded, asked, close: () => context.close() };
  }

  /** Every part of the article laid out (src/theme/lay-out-prose.ts), so that nothing above an
   *  island changes its place on the page while a test watches it. */
  const laidOut = (page: Page) =>
    page.waitForSelector('.theme-doc-markdown[data-laid-out="all"]', { state: 'attached' });

  /** The reader's progress as this browser stored it (src/components/Progress/store.ts). */
  const storedProgress = async (page: Page): Promise<unknown> =>
    JSON.parse((await page.evaluate(() => localStorage.getItem('statelab.progress.v1'))) ?? '{}');

  /** Where an element is on the page (not on the screen), and how big. */
  const box = (page: Page, selector: string) =>
    page.$eval(selector, (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, height: r.height };
    });

  it('after load, shows each from the server and has run none, nor loaded their code', async () => {
    const { page, problems, loaded, asked, close } = await open('/docs/stateful-servers');
    await page.waitForTimeout(1000); // an idle second: nothing loads them but the reader
    const islands = await page.$$eval('[data-island]', (els) =>
      els.map((el) => ({
        name: el.getAttribute('data-island'),
        ready: el.hasAttribute('data-island-ready'),
        shown: el.getBoundingClientRect().height > 100,
      })),
    );
    expect(islands).toEqual([
      { name: 'cluster-simulator', ready: false, shown: true },
      { name: 'quiz', ready: false, shown: true },
      { name: 'chapter-done', ready: false, shown: true },
    ]);
    expect(await page.locator('[data-island="quiz"] form').count()).toBeGreaterThan(2);
    expect(await page.locator('[data-island="chapter-done"] input[type=checkbox]').count()).toBe(2);
    const js = await loaded();
    expect(js.length).toBeGreaterThan(100_000);
    expect(js.includes(CODE.simulator), 'the simulator code loaded before it was near').toBe(false);
    expect(js.includes(CODE.quiz), 'the quiz code loaded before it was near').toBe(false);
    expect(js.includes(CODE.progress), 'the progress box loaded before it was near').toBe(false);
    expect(asked, 'the progress box asked for exercise results before it was near').toEqual([]);
    await close();
    expect(problems).toEqual([]);
  });

  it('the simulator, scrolled to, loads in place and plays and steps', async () => {
    const { page, problems, loaded, close } = await open('/docs/stateful-servers');
    // As the quiz below: measured once the article is laid out. The simulator is far down a phone's
    // page (part 39 of 66), at its 200 px estimate until its idle moment, which on a busy machine
    // comes after the page has hydrated.
    await laidOut(page);
    const before = await box(page, '[data-island="cluster-simulator"]');
    const sim = page.getByTestId('cluster-simulator');
    await sim.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-island="cluster-simulator"][data-island-ready]');
    expect(await box(page, '[data-island="cluster-simulator"]')).toEqual(before);
    expect(await loaded()).toContain(CODE.simulator);
    // It plays on its own while on screen (unless the reader prefers reduced motion)…
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid=cluster-simulator]')?.getAttribute('data-tick'),
        ) > 0,
    );
    // …and steps when paused.
    await sim.getByTestId('sim-play').click();
    await expect.poll(() => sim.getByTestId('sim-play').innerText()).toBe('Play');
    const tick = Number(await sim.getAttribute('data-tick'));
    await sim.getByTestId('sim-step').click();
    await expect.poll(async () => Number(await sim.getAttribute('data-tick'))).toBe(tick + 1);
    await close();
    expect(problems).toEqual([]);
  });

  it('the quiz, scrolled to, loads in place, checks every answer and records a pass', async () => {
    const { page, problems, loaded, close } = await open('/docs/stateful-servers');
    // Measured once the article is laid out: until then a part far down has an estimated height
    // (200 px), and on a busy machine (CI) the quiz's part was still waiting for its idle moment.
    await laidOut(page);
    const before = await box(page, '[data-island="quiz"]');
    const quiz = page.locator('[data-island="quiz"]');
    await quiz.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-island="quiz"][data-island-ready]');
    expect(await box(page, '[data-island="quiz"]')).toEqual(before);
    expect(await loaded()).toContain(CODE.quiz);
    const questions = quiz.locator('form');
    const total = await questions.count();
    for (let i = 0; i < total; i += 1) {
      const question = questions.nth(i);
      // A wrong or right first pick: either way the correct option is then marked in words.
      await question.locator('input[type=radio]').first().check();
      await question.getByRole('button', { name: 'Check' }).click();
      const marked = question.locator('li', { hasText: '✓ Correct answer' });
      await expect.poll(() => marked.count()).toBe(1);
      await marked.locator('input[type=radio]').check();
      await question.getByRole('button', { name: 'Check' }).click();
      await expect.poll(() => question.locator('[aria-live]').innerText()).toMatch(/^Correct\./);
    }
    await expect
      .poll(() => quiz.innerText())
      .toContain(`All ${total} correct: quiz passed, and recorded in your progress`);
    const progress = await page.evaluate(() => localStorage.getItem('statelab.progress.v1'));
    expect(JSON.parse(progress ?? '{}')).toMatchObject({ chapters: { '03': { quiz: true } } });
    await close();
    expect(problems).toEqual([]);
  });

  it('the progress box, scrolled to, loads in place, asks for exercise results and records a tick', async () => {
    const { page, problems, loaded, asked, close } = await open('/docs/stateful-servers');
    await laidOut(page);
    const before = await box(page, '[data-island="chapter-done"]');
    const progress = page.locator('[data-island="chapter-done"]');
    await progress.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-island="chapter-done"][data-island-ready]');
    expect(await box(page, '[data-island="chapter-done"]')).toEqual(before);
    expect(await loaded()).toContain(CODE.progress);
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    await progress.getByLabel('I have read this chapter').check();
    await expect
      .poll(() => storedProgress(page))
      .toMatchObject({ chapters: { '03': { read: true } } });
    await close();
    expect(problems).toEqual([]);
  });

  it("the progress box keeps its size when it loads with the reader's progress, on a phone and a desktop", async () => {
    for (const width of [390, 1280]) {
      const { page, problems, close } = await open('/docs/stateful-servers');
      await page.setViewportSize({ width, height: 844 });
      // A reader who has done everything (the server's HTML shows nothing done), then reloads.
      await page.evaluate(() =>
        localStorage.setItem(
          'statelab.progress.v1',
          JSON.stringify({
            version: 1,
            chapters: { '03': { read: true, notebook: true, quiz: true } },
          }),
        ),
      );
      await page.reload({ waitUntil: 'networkidle' });
      await laidOut(page);
      const before = await box(page, '[data-island="chapter-done"]');
      await page.locator('[data-island="chapter-done"]').scrollIntoViewIfNeeded();
      await page.waitForSelector('[data-island="chapter-done"][data-island-ready]');
      const progress = page.locator('[data-island="chapter-done"]');
      await expect.poll(() => progress.innerText()).toContain('Quiz: passed');
      expect(await progress.getByLabel('I have read this chapter').isChecked()).toBe(true);
      expect(await box(page, '[data-island="chapter-done"]'), `at ${width} px`).toEqual(before);
      await close();
      expect(problems).toEqual([]);
    }
  });

  it('a box ticked before the progress box has loaded stays ticked, and is recorded', async () => {
    const { page, problems, close } = await open('/docs/stateful-servers');
    const read = page
      .locator('[data-island="chapter-done"]')
      .getByLabel('I have read this chapter');
    // The tick lands on the server's HTML, before the island's code has arrived.
    await read.click();
    await page.waitForSelector('[data-island="chapter-done"][data-island-ready]');
    await expect.poll(() => read.isChecked()).toBe(true);
    await expect
      .poll(() => storedProgress(page))
      .toMatchObject({ chapters: { '03': { read: true } } });
    await close();
    expect(problems).toEqual([]);
  });

  it('after a client-side navigation (no server HTML to show), all load at once and run', async () => {
    const { page, problems, close } = await open('/docs/intro');
    await page.evaluate(() => {
      (window as { stayed?: boolean }).stayed = true; // gone if the page reloads instead
    });
    await page.locator('article a[href="/docs/stateful-servers"]').first().click();
    await page.waitForURL('**/docs/stateful-servers');
    await page.waitForSelector('[data-island="quiz"][data-island-ready] form');
    await page.waitForSelector('[data-island="cluster-simulator"][data-island-ready]');
    await page.waitForSelector('[data-island="chapter-done"][data-island-ready] fieldset');
    expect(await page.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
    await close();
    expect(problems).toEqual([]);
  });

  it('a Check pressed before the quiz has loaded keeps the page, and the quiz then answers', async () => {
    const { page, problems, close } = await open('/docs/stateful-servers');
    const url = page.url();
    const check = page
      .locator('[data-island="quiz"] form')
      .first()
      .getByRole('button', { name: 'Check' });
    // The first press lands on the server's HTML: a plain form, which would reload the page.
    await check.click();
    await page.waitForSelector('[data-island="quiz"][data-island-ready]');
    expect(page.url()).toBe(url);
    await check.click();
    await expect
      .poll(() => page.locator('[data-island="quiz"] form').first().innerText())
      .toContain('Choose an answer first.');
    await close();
    expect(problems).toEqual([]);
  });
});
