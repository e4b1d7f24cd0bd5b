// What a reader does to an island before its code has arrived is kept when the code runs
// (src/components/Island/carry-over.ts). The first tests hold back a script (the island's chunk, or
// the whole app) with route interception, act on the server's HTML meanwhile, then let the script
// through: the answers ticked, the Check pressed, the simulator button clicked and the focus all
// survive the swap to the live component. Then the quiz by keyboard alone, whose first Tab into
// it loads it, and both islands without JavaScript.
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

/** Text that only each island's own chunk holds (an attribute value and a message of its code). */
const CODE = { simulator: '"sim-step"', quiz: 'Choose an answer first.' };

const suite = siteSuite(
  'input given to an island before it loads',
  'tests/site/island-input.test.ts',
);

suite.describe('input before an island loads', { timeout: 120_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  /**
   * A chapter page whose scripts that `hold` picks wait until `release()`; `waitUntil` says how far
   * the page gets before this returns ('commit' when the app itself is held back).
   */
  async function open(
    route: string,
    hold: (url: string, body: string) => boolean,
    waitUntil: 'commit' | 'networkidle',
  ) {
    const context = await site.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    // Scripts the page still asks for as it closes (a prefetch, a later chunk) would meet a handler
    // whose response is gone: unroute first, and let those handlers' errors go. Also when the test
    // failed before its own close(), or its page did not load: a held handler is let go, and
    // nothing outlives the test.
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        release();
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        await context.close();
      })());
    onTestFinished(close);
    await page.route('**/*.js', async (r: Route) => {
      const response = await r.fetch();
      const body = await response.text();
      if (hold(r.request().url(), body)) {
        held += 1;
        await released;
      }
      await r.fulfill({ response, body });
    });
    await page.goto(`${site.base}${route}`, { waitUntil });
    return { page, problems, release, held: () => held, close };
  }

  const hydrated = (page: Page) =>
    page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', { state: 'attached' });

  /** Where the focus is, as text a test can compare: the element's tag and its own text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      const form = el?.closest('form');
      const forms = Array.from(document.querySelectorAll('[data-island="quiz"] form'));
      return el
        ? `${el.tagName.toLowerCase()} "${(el as HTMLElement).innerText ?? ''}" in question ${forms.indexOf(form as HTMLFormElement) + 1}`
        : 'nothing';
    });

  it('an answer ticked, a Check pressed and the focus, all before the quiz chunk, survive it', async () => {
    const { page, problems, release, held, close } = await open(
      '/docs/stateful-servers',
      (_url, body) => body.includes(CODE.quiz),
      'networkidle',
    );
    await hydrated(page);
    const quiz = page.locator('[data-island="quiz"]');
    await quiz.scrollIntoViewIfNeeded();
    await expect.poll(held).toBe(1); // near the reader, its chunk is asked for, and held back
    const questions = quiz.locator('form');
    // Question 1: the second option ticked, not checked yet.
    await questions.nth(0).locator('input[type=radio]').nth(1).check();
    // Question 2: the first option ticked and checked; the focus stays on its Check button.
    await questions.nth(1).locator('input[type=radio]').first().check();
    await questions.nth(1).getByRole('button', { name: 'Check' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.$('[data-island="quiz"][data-island-ready]')).toBeNull();
    release();
    await page.waitForSelector('[data-island="quiz"][data-island-ready]');
    const ticked = (i: number) =>
      questions
        .nth(i)
        .locator('input[type=radio]')
        .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).checked));
    expect((await ticked(0)).map((on, i) => on === (i === 1))).not.toContain(false);
    expect((await ticked(1))[0]).toBe(true);
    await expect
      .poll(() => questions.nth(1).locator('[aria-live]').innerText())
      .toMatch(/^(Correct\.|Not quite\.)/);
    expect(await questions.nth(0).locator('[aria-live]').innerText()).toBe('');
    expect(await focused(page)).toBe('button "Check" in question 2');
    await close();
    expect(problems).toEqual([]);
  });

  it('an answer ticked before the page has hydrated survives the hydration and the chunk', async () => {
    // Every script held: the reader sees the server's HTML only, as on a slow line.
    const { page, problems, release, close } = await open(
      '/docs/stateful-servers',
      () => true,
      'commit',
    );
    const radio = page.locator('[data-island="quiz"] form').first().locator('input[type=radio]');
    await radio.nth(2).check();
    release();
    await hydrated(page);
    await page.locator('[data-island="quiz"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-island="quiz"][data-island-ready]');
    const ticked = await radio.evaluateAll((els) =>
      els.map((el) => (el as HTMLInputElement).checked),
    );
    expect(ticked.map((on, i) => on === (i === 2))).not.toContain(false);
    await close();
    expect(problems).toEqual([]);
  });

  it('a simulator button clicked before its chunk takes effect when it loads', async () => {
    const { page, problems, release, held, close } = await open(
      '/docs/stateful-servers',
      (_url, body) => body.includes(CODE.simulator),
      'networkidle',
    );
    await hydrated(page);
    const sim = page.getByTestId('cluster-simulator');
    await sim.scrollIntoViewIfNeeded();
    await expect.poll(held).toBe(1);
    await sim.getByTestId('sim-toggle-app-1').click();
    release();
    await page.waitForSelector('[data-island="cluster-simulator"][data-island-ready]');
    await expect
      .poll(() => sim.getByTestId('sim-server-app-1').getAttribute('data-state'))
      .toBe('down');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Restart app-1');
    await close();
    expect(problems).toEqual([]);
  });

  it('by keyboard alone: Tab into the quiz, arrow to an answer, Enter; the focus stays put', async () => {
    const { page, problems, close } = await open(
      '/docs/stateful-servers',
      () => false,
      'networkidle',
    );
    await hydrated(page);
    // The focus on the last control before the quiz, without scrolling: the quiz is still far off,
    // not loaded. A code block's buttons mount when the block is reached (src/theme/CodeBlock/Buttons),
    // focus included, and then come after its code in the tab order: so focus the last control
    // until it stays the last one.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const quiz = document.querySelector('[data-island="quiz"]')!;
          const before = Array.from(
            document.querySelectorAll<HTMLElement>(
              'article a[href], article button, article [tabindex="0"]',
            ),
          )
            .filter((el) => el.compareDocumentPosition(quiz) & Node.DOCUMENT_POSITION_FOLLOWING)
            .pop()!;
          if (document.activeElement === before) return true;
          before.focus({ preventScroll: true });
          return false;
        }),
      )
      .toBe(true);
    expect(await page.$('[data-island="quiz"][data-island-ready]')).toBeNull();
    await page.keyboard.press('Tab'); // onto the first question's first option: loads the quiz
    await page.keyboard.press('ArrowDown'); // the second option
    await page.waitForSelector('[data-island="quiz"][data-island-ready]');
    const first = page.locator('[data-island="quiz"] form').first();
    const radios = first.locator('input[type=radio]');
    await expect.poll(() => radios.nth(1).isChecked()).toBe(true);
    expect(await radios.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab'); // the Check button
    await page.keyboard.press('Enter');
    await expect
      .poll(() => first.locator('[aria-live]').innerText())
      .toMatch(/^(Correct\.|Not quite\.)/);
    await close();
    expect(problems).toEqual([]);
  });

  it('without JavaScript: the questions, options and a note show, and Check keeps the page', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    await page.goto(`${site.base}/docs/stateful-servers`);
    const quiz = page.locator('[data-island="quiz"]');
    const first = quiz.locator('form').first();
    // Far down the page, prose is laid out as the reader comes near it (src/css/custom.css), in the
    // next frame; until then the text of what is not laid out reads as empty.
    await quiz.scrollIntoViewIfNeeded();
    await expect.poll(() => first.locator('legend').innerText()).toMatch(/^Question 1 of \d+\. \S/);
    expect(await first.locator('input[type=radio]').count()).toBeGreaterThan(1);
    expect(await first.locator('label').first().isVisible()).toBe(true);
    expect(await quiz.innerText()).toContain('Checking an answer needs JavaScript');
    await page.getByTestId('cluster-simulator').scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.getByTestId('cluster-simulator').innerText())
      .toContain('needs JavaScript, which is off');
    // A plain form would load the page again, at its top, with the answer gone.
    await first.locator('input[type=radio]').nth(1).check();
    await first.getByRole('button', { name: 'Check' }).click();
    await page.waitForTimeout(500);
    expect(page.url()).toBe(`${site.base}/docs/stateful-servers`);
    expect(await first.locator('input[type=radio]').nth(1).isChecked()).toBe(true);
  });

  it('a chunk that fails to arrive is asked for again at the next touch, and the answer kept', async () => {
    const { page, problems, close } = await open(
      '/docs/stateful-servers',
      () => false,
      'networkidle',
    );
    let dropped = 0;
    await page.route('**/*.js', async (r: Route) => {
      const body = await (await r.fetch()).text();
      if (body.includes(CODE.quiz) && dropped === 0) {
        dropped += 1;
        await r.abort('connectionreset');
      } else await r.fallback();
    });
    await hydrated(page);
    const quiz = page.locator('[data-island="quiz"]');
    await quiz.scrollIntoViewIfNeeded();
    await expect.poll(() => dropped).toBe(1);
    await page.waitForTimeout(500);
    expect(await page.$('[data-island="quiz"][data-island-ready]')).toBeNull();
    const radio = quiz.locator('form').first().locator('input[type=radio]').nth(1);
    await radio.check(); // a pointerdown: asks for the chunk again
    await page.waitForSelector('[data-island="quiz"][data-island-ready]', { timeout: 10_000 });
    expect(await radio.isChecked()).toBe(true);
    await close();
    // The dropped request itself is the only complaint.
    expect(problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
