// What tests/site/phone.test.ts measures inside a page. Each function runs in the browser
// (page.evaluate), so it uses nothing from outside its own body.

/**
 * The smallest text under `root` as it renders, in CSS px: each <text> and <tspan>'s font size
 * times the scale its SVG draws it at (viewBox, transforms and the element's size on the page).
 * NaN when there is no text to measure, so a broken measurement never passes as "large enough".
 */
export function smallestSvgText(root: Element): number {
  const sizes = Array.from(root.querySelectorAll<SVGGraphicsElement>('svg text, svg tspan'))
    .filter((t) => (t.textContent ?? '').trim() !== '' && t.getBBox().width > 0)
    .map((t) => {
      const m = t.getScreenCTM();
      const scale = m ? Math.min(Math.hypot(m.a, m.b), Math.hypot(m.c, m.d)) : NaN;
      return parseFloat(getComputedStyle(t).fontSize) * scale;
    });
  return sizes.length > 0 ? Math.min(...sizes) : NaN;
}

/**
 * Every code block and notebook output (<pre>) that hides part of its text: wider content than
 * its box (a sideways scroll), or a box that reaches past the screen. Also the page itself, if it
 * scrolls sideways. Each as a short description with the block's widest line.
 */
export function hiddenCode(): string[] {
  const width = window.innerWidth;
  const found: string[] = [];
  for (const pre of Array.from(document.querySelectorAll('pre'))) {
    if (pre.getClientRects().length === 0) continue; // not shown (a closed <details>, say)
    const box = pre.getBoundingClientRect();
    const cut = pre.scrollWidth - pre.clientWidth;
    if (cut <= 1 && box.left >= -0.5 && box.right <= width + 0.5) continue;
    const widest = pre.innerText
      .split('\n')
      .reduce((a, b) => (b.length > a.length ? b : a), '')
      .trim();
    found.push(
      `${cut > 1 ? `${cut} px of ${pre.scrollWidth} hidden` : 'reaches past the screen'}: "${widest.slice(0, 60)}"`,
    );
  }
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) found.push(`the page itself is ${page} px wide, on a ${width} px screen`);
  return found;
}
