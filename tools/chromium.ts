// Debian's Chromium, headless, launched the one way every tool and browser test launches it:
// `npm run diagrams` draws with it (tools/diagrams/render.ts) and tests/site/ reads the built site
// with it (tests/site/browser-env.ts). playwright-core drives it; it downloads no browser of its own.
import { execFileSync } from 'node:child_process';
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

/**
 * Whether "Arial" resolves to a font of Arial's widths (Arial itself, or Liberation Sans, which
 * Debian's fonts-liberation installs). The diagrams are laid out with those widths, as most readers'
 * browsers have them; with a wider fallback (DejaVu Sans) a note's text runs past its box, so a
 * drawing drawn or measured without them is not the one readers see.
 */
export function hasArialMetrics(): boolean {
  try {
    const font = execFileSync('fc-match', ['Arial'], { encoding: 'utf8', timeout: 5000 });
    return /Arial|Liberation Sans/.test(font);
  } catch {
    return false;
  }
}

/** Debian's package for Arial's widths. */
export const ARIAL_METRICS_PACKAGE = 'fonts-liberation';

/** Launches Chromium with CHROMIUM_ARGS and any `extraArgs`; the caller closes it. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // Loaded here, not at the top: a test file that skips (no Chromium) never loads playwright-core.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
