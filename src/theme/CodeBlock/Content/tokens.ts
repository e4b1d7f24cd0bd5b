// Prism token colours as CSS, for code highlighted to static HTML (./index.tsx). Built from the
// same light and dark Prism themes the site's config gives every other code block.
import type { PrismTheme } from 'prism-react-renderer';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The rules for a theme, under a selector prefix: the block's own colours (`.static-tokens {
 * color; background-color }`) and each token's (`.static-tokens .token.keyword { color: … }`).
 * The block's colours are here, not in a React style, so that they switch with the tokens': with
 * the dark theme's tokens on the light background React renders until hydration, keywords had
 * about 2:1 contrast (axe: color-contrast, on a slow load).
 */
export function tokenCss(theme: PrismTheme, prefix: string): string {
  const { color, backgroundColor } = theme.plain;
  const block = `${prefix} .static-tokens { color: ${color}; background-color: ${backgroundColor} }`;
  const tokens = theme.styles
    .filter((s) => !s.languages) // language-specific styles: none in the site's themes
    .map((s) => {
      const selector = s.types.map((t) => `${prefix} .static-tokens .token.${t}`).join(', ');
      const rules = Object.entries(s.style)
        .map(([k, v]) => `${kebab(k)}: ${String(v)}`)
        .join('; ');
      return `${selector} { ${rules} }`;
    });
  return [block, ...tokens].join('\n');
}
