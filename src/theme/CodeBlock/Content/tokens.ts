// Prism token colours as CSS, for code highlighted to static HTML (./index.tsx). Built from the
// same light and dark Prism themes the site's config gives every other code block.
import type { PrismTheme } from 'prism-react-renderer';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The rules for a theme, under a selector prefix: the block's own colours (`.static-tokens {
 * color; background-color }`, and its container's --prism-color and --prism-background-color) and each token's (`.static-tokens .token.keyword { color: … }`).
 * The block's colours are here, not in a React style, so that they switch with the tokens': with
 * the dark theme's tokens on the light background React renders until hydration, keywords had
 * about 2:1 contrast (axe: color-contrast, on a slow load).
 */
export function tokenCss(theme: PrismTheme, prefix: string): string {
  const { color, backgroundColor } = theme.plain;
  const block = `${prefix} .static-tokens { color: ${color}; background-color: ${backgroundColor} }`;
  // The container's own variables (its title, its buttons): Docusaurus writes the server's light
  // theme into its style, and a block the server wrote keeps that style (../index.tsx).
  const container = `${prefix} .theme-code-block { --prism-color: ${color} !important; --prism-background-color: ${backgroundColor} !important }`;
  const tokens = theme.styles
    .filter((s) => !s.languages) // language-specific styles: none in the site's themes
    .map((s) => {
      const selector = s.types.map((t) => `${prefix} .static-tokens .token.${t}`).join(', ');
      const rules = Object.entries(s.style)
        .map(([k, v]) => `${kebab(k)}: ${String(v)}`)
        .join('; ');
      return `${selector} { ${rules} }`;
    });
  return [block, container, ...tokens].join('\n');
}

/** A CSS colour as r,g,b: '#393A34' and 'rgb(57, 58, 52)' are the same colour. */
function rgb(color: string | undefined): string | undefined {
  if (!color) return undefined;
  if (/^#[0-9a-f]{6}$/i.test(color))
    return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)).join(',');
  const parts = color.match(/\d+/g);
  return /^rgb\(/i.test(color) && parts?.length === 3 ? parts.join(',') : undefined;
}

/** The token types a theme draws exactly as plain text: no style, or only the plain colour. */
function plainIn(theme: PrismTheme, type: string): boolean {
  const style = theme.styles.find((s) => !s.languages && s.types.includes(type))?.style;
  if (!style) return true;
  const keys = Object.keys(style);
  return keys.length === 1 && keys[0] === 'color' && rgb(style.color) === rgb(theme.plain.color);
}

/**
 * Of `types`, those that every theme draws as plain text. Their spans change nothing a reader sees,
 * so plainSpansRemoved() drops them: in TypeScript, punctuation and operators are most of a block's
 * tokens (3,360 of notebook 4's 5,778 spans), and every element costs style and layout on a phone.
 */
export function plainTypes(themes: PrismTheme[], types: string[]): string[] {
  return types.filter((type) => themes.every((theme) => plainIn(theme, type)));
}

/** Prism's HTML without the spans of tokens of these types (leaf tokens only: no nested span). */
export function plainSpansRemoved(html: string, types: string[]): string {
  if (types.length === 0) return html;
  const pattern = new RegExp(`<span class="token (?:${types.join('|')})">([^<]*)</span>`, 'g');
  return html.replace(pattern, '$1');
}
