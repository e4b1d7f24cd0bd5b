// Prism token colours as CSS, for code highlighted to static HTML (./index.tsx). Built from the
// same light and dark Prism themes the site's config gives every other code block.
import type { PrismTheme } from 'prism-react-renderer';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `.static-tokens .token.keyword { color: … }` rules for a theme, under a selector prefix. */
export function tokenCss(theme: PrismTheme, prefix: string): string {
  return theme.styles
    .filter((s) => !s.languages) // language-specific styles: none in the site's themes
    .map((s) => {
      const selector = s.types.map((t) => `${prefix} .static-tokens .token.${t}`).join(', ');
      const rules = Object.entries(s.style)
        .map(([k, v]) => `${kebab(k)}: ${String(v)}`)
        .join('; ');
      return `${selector} { ${rules} }`;
    })
    .join('\n');
}
