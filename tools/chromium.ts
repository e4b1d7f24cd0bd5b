// Debian's Chromium, headless, launched the one way every tool and browser test launches it:
// `npm run diagrams` draws with it (tools/diagrams/render.ts) and tests/site/ reads the built site
// with it (tests/site/browser-env.ts). playwright-core drives it; it downloads no browser of its own.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless; no sandbox (containers and CI run as root, where Chromium's sandbox refuses to start);
 * no GPU (none there); no background requests (update checks and the like), so a page's requests
 * are the page's own.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export const hasChromium = () => existsSync(CHROMIUM);

/** Launches Chromium with CHROMIUM_ARGS and any `extraArgs`; the caller closes it. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // Loaded here, not at the top: a test file that skips (no Chromium) never loads playwright-core.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
