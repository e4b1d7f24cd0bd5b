// The order the colour-mode button goes through, shared by the button (./index.tsx) and the script
// that answers it before the page has hydrated (src/plugins/early-colour-mode.ts), so both agree.

/** A mode chosen: light, dark, or null for the system's. */
export type ColorModeChoice = 'light' | 'dark' | null;

/** The attribute that marks the button, for the early script to find it. */
export const TOGGLE_ATTRIBUTE = 'data-color-mode-toggle';

/** Docusaurus's order: light, dark, system when the site follows the system's; else light, dark. */
export function nextColorMode(
  mode: ColorModeChoice,
  respectPrefersColorScheme: boolean,
): ColorModeChoice {
  if (!respectPrefersColorScheme) return mode === 'dark' ? 'light' : 'dark';
  return mode === null ? 'light' : mode === 'light' ? 'dark' : null;
}
