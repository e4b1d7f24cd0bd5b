// Docusaurus's colour-mode button (theme-classic 3.10), with one change: a click made before the
// page's script has run is not lost. Docusaurus disables the button until the page has hydrated,
// and a browser sends no click to a disabled button, so on a slow phone the reader's first taps
// did nothing for a second or more. Here the button is never disabled: until React owns it, the
// small script the server puts at the top of every page (src/plugins/early-colour-mode.ts) makes
// the change itself (the page's colours, and the choice stored as Docusaurus stores it), and the
// colour mode that Docusaurus reads from the page once it hydrates is that one. Once React owns
// the button, its own click handler makes the change; either way the next mode is worked out
// from the page's attribute, which both keep, not from a state that may still be the server's.
// data-hydrated: the page runs as a browser page (useIsBrowser), what the site tests wait for.
import { memo, type ReactNode } from 'react';
import clsx from 'clsx';
import useIsBrowser from '@docusaurus/useIsBrowser';
import { translate } from '@docusaurus/Translate';
import IconLightMode from '@theme/Icon/LightMode';
import IconDarkMode from '@theme/Icon/DarkMode';
import IconSystemColorMode from '@theme/Icon/SystemColorMode';
import type { Props } from '@theme/ColorModeToggle';
import { nextColorMode, TOGGLE_ATTRIBUTE } from './next-mode';
import styles from './styles.module.css';

type ColorMode = Props['value'];

function label(mode: ColorMode): string {
  switch (mode) {
    case null:
      return translate({
        message: 'system mode',
        id: 'theme.colorToggle.ariaLabel.mode.system',
        description: 'The name for the system color mode',
      });
    case 'light':
      return translate({
        message: 'light mode',
        id: 'theme.colorToggle.ariaLabel.mode.light',
        description: 'The name for the light color mode',
      });
    case 'dark':
      return translate({
        message: 'dark mode',
        id: 'theme.colorToggle.ariaLabel.mode.dark',
        description: 'The name for the dark color mode',
      });
  }
}

function ariaLabel(mode: ColorMode): string {
  return translate(
    {
      message: 'Switch between dark and light mode (currently {mode})',
      id: 'theme.colorToggle.ariaLabel',
      description: 'The ARIA label for the color mode toggle',
    },
    { mode: label(mode) },
  );
}

/** The mode chosen now, as the page says (data-theme-choice: light, dark or system). */
function chosenNow(): ColorMode {
  const choice = document.documentElement.getAttribute('data-theme-choice');
  return choice === 'light' || choice === 'dark' ? choice : null;
}

function ColorModeToggle({
  className,
  buttonClassName,
  respectPrefersColorScheme,
  value,
  onChange,
}: Props): ReactNode {
  const isBrowser = useIsBrowser();
  return (
    <div className={clsx(styles.toggle, className)}>
      <button
        className={clsx('clean-btn', styles.toggleButton, buttonClassName)}
        type="button"
        {...{ [TOGGLE_ATTRIBUTE]: '' }}
        data-hydrated={isBrowser ? '' : undefined}
        onClick={() => onChange(nextColorMode(chosenNow(), respectPrefersColorScheme))}
        title={label(value)}
        aria-label={ariaLabel(value)}
      >
        {/* All three icons, always: the page's data-theme-choice shows the right one, before
            hydration too. The button's label says the mode; the icons are decoration. */}
        <IconLightMode aria-hidden className={clsx(styles.toggleIcon, styles.lightToggleIcon)} />
        <IconDarkMode aria-hidden className={clsx(styles.toggleIcon, styles.darkToggleIcon)} />
        <IconSystemColorMode
          aria-hidden
          className={clsx(styles.toggleIcon, styles.systemToggleIcon)}
        />
      </button>
    </div>
  );
}

export default memo(ColorModeToggle);
