// Prism's highlighted HTML cut into one <span class="code-line"> per line, each carrying its own
// indentation (--indent), so that a narrow screen can wrap a long line and indent what wraps
// deeper than the line itself (src/css/custom.css). A token that runs over several lines (a block
// comment, a template string) is closed at the end of each line and opened again on the next.

/** Leading spaces of a line of code, as a CSS length; undefined for none. */
export function indentOf(text: string): string | undefined {
  const spaces = /^[ \t]*/.exec(text)?.[0].length ?? 0;
  return spaces > 0 ? `${spaces}ch` : undefined;
}

export function htmlLines(html: string): string {
  const open: string[] = [];
  const lines: string[] = [];
  let line = '';
  for (const [part] of html.matchAll(/<span\b[^>]*>|<\/span>|\n|[^<\n]+/g)) {
    if (part === '\n') {
      lines.push(line + '</span>'.repeat(open.length));
      line = open.join('');
    } else {
      if (part.startsWith('<span')) open.push(part);
      else if (part === '</span>') open.pop();
      line += part;
    }
  }
  lines.push(line);
  // Each line keeps its newline: as inline spans (a wide screen) the text lays out exactly as
  // before; as blocks (a narrow one) a line ending in a newline takes no extra height.
  return lines
    .map((l, i) => {
      const indent = indentOf(l.replace(/<[^>]*>/g, ''));
      const style = indent ? ` style="--indent:${indent}"` : '';
      return `<span class="code-line"${style}>${l}${i < lines.length - 1 ? '\n' : ''}</span>`;
    })
    .join('');
}

/**
 * About how many rows a block's code takes when each line wraps at `columns` characters, what
 * wraps indented 4ch deeper than its line (src/css/custom.css, on a narrow screen). An estimate for
 * the block's height before it is laid out: the browser breaks at spaces, so a row may hold less.
 */
export function rowsWrappedAt(code: string, columns: number): number {
  let rows = 0;
  for (const line of code.split('\n')) {
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    const rest = Math.max(columns - indent - 4, 8); // a continuation row's room
    rows += line.length <= columns ? 1 : 1 + Math.ceil((line.length - columns) / rest);
  }
  return rows;
}
