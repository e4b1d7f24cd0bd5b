// Cuts a named region out of a source file, so a page shows the 10–25 lines it talks about
// while the file itself stays whole, compiled and tested. No state: plain string in, string out.

const START = /^\s*\/\/\s*#region\s+(\S+)\s*$/;
const END = /^\s*\/\/\s*#endregion(?:\s+(\S+))?\s*$/;

/** The names of every `// #region name` in the source, in order. */
export function regionNames(source: string): string[] {
  return source.split('\n').flatMap((line) => line.match(START)?.[1] ?? []);
}

/**
 * The lines between `// #region name` and its `// #endregion`, dedented, without any nested
 * region markers. Throws when the region is missing or not closed: a page must never show
 * a silently empty or stale snippet.
 */
export function extractRegion(source: string, name: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.match(START)?.[1] === name);
  if (start === -1) {
    const known = regionNames(source);
    throw new Error(
      `No "// #region ${name}" in the file (regions found: ${known.length ? known.join(', ') : 'none'}).`,
    );
  }
  const body: string[] = [];
  let depth = 0;
  for (const line of lines.slice(start + 1)) {
    if (START.test(line)) {
      depth++;
      continue;
    }
    const end = line.match(END);
    if (end) {
      if (depth === 0) {
        if (end[1] !== undefined && end[1] !== name) {
          throw new Error(`Region "${name}" is closed by "// #endregion ${end[1]}".`);
        }
        return dedent(body);
      }
      depth--;
      continue;
    }
    body.push(line);
  }
  throw new Error(`Region "${name}" has no "// #endregion".`);
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut))
    .join('\n')
    .trim();
}
