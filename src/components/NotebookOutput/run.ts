// What `npm run notebook-pages` records about one real run of a notebook (runs/NN-slug.json, committed),
// and the pure rules the page components follow: a run is shown only for the notebook text it ran.

export type RunOutput =
  | { output_type: 'stream'; name: string; text: string }
  | { output_type: 'display_data' | 'execute_result'; data: Record<string, unknown> }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface RunRecord {
  /** NN-slug of the notebook. */
  notebook: string;
  /** sha256 of the .ipynb that ran; a page shows the run only when its own notebook hash matches. */
  notebookSha256: string;
  /**
   * sha256 over every .ts file under notebooks/lab/ but its tests (tools/recorded-runs.ts): the lab the
   * run imported. tests/content/recorded-runs.test.ts fails when it no longer matches the lab.
   */
  labSha256: string;
  ok: boolean;
  failure?: string;
  /** When the run was recorded, right after it ended (ISO 8601, UTC). */
  ranAt: string;
  /** The machine that ran it: what its page says the outputs were measured on. */
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
  durationMs: number;
  cells: Record<string, { status: string; outputs: RunOutput[] }>;
  /**
   * Drawings of the Mermaid diagrams the run displayed (static/diagrams/runs/<key>-light.svg and
   * -dark.svg), by their text; a diagram with none is drawn in the browser.
   */
  drawings?: { source: string; key: string; width: number; height: number }[];
  /**
   * What the notebook recorded for its chapter page during this run (`recordFigures` in
   * notebooks/lab/node/figures.ts writes notebooks/.figures/NN-slug.json); absent when it recorded none.
   * The chapter page's <Figure> and <FigureTable> read them, so both pages quote this one run.
   */
  figures?: Record<string, unknown>;
}

/** The run recorded for this notebook, or undefined when none exists or it ran other notebook text. */
export function runFor(
  records: RunRecord[],
  notebook: string,
  notebookSha256: string,
): RunRecord | undefined {
  return records.find((r) => r.notebook === notebook && r.notebookSha256 === notebookSha256);
}

// An ANSI escape sequence (colour, cursor): ESC [ parameters, intermediates, final byte.
// eslint-disable-next-line no-control-regex -- ESC is the character this pattern exists to find
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
/** Text without ANSI escapes: what tslab's coloured output reads as on a page or in a log. */
export const stripAnsi = (text: string) => text.replace(ANSI, '');

export type MarkdownBlock =
  | { kind: 'mermaid'; text: string }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string };

const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

/** The Markdown a notebook displays (tables, Mermaid, short text), split into blocks to render. */
export function parseMarkdownOutput(markdown: string): MarkdownBlock[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const blocks: MarkdownBlock[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith(fence[1]); i++) body.push(lines[i]);
      const text = body.join('\n');
      blocks.push(
        fence[2] === 'mermaid'
          ? { kind: 'mermaid', text }
          : { kind: 'code', language: fence[2] || 'text', text },
      );
      continue;
    }
    const next = lines[i + 1] ?? '';
    if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{2,}/.test(next)) {
      flush();
      const header = cellsOf(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
        rows.push(cellsOf(lines[i]));
      }
      i--;
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Every Mermaid text a run displayed, with the cell that displayed it. */
export function displayedDiagrams(record: RunRecord): { cell: string; source: string }[] {
  return Object.entries(record.cells).flatMap(([cell, { outputs }]) =>
    outputs.flatMap((output) => {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result')
        return [];
      const markdown = output.data['text/markdown'];
      if (typeof markdown !== 'string') return [];
      return parseMarkdownOutput(markdown).flatMap((b) =>
        b.kind === 'mermaid' ? [{ cell, source: b.text }] : [],
      );
    }),
  );
}

/**
 * Whether a diagram the run displayed has no drawing in the record, so a page draws it in the
 * browser. The build reads the record from its file, which may hold no run at all (no cells).
 */
export const drawsInBrowser = (record: Partial<RunRecord>): boolean =>
  record.cells !== undefined &&
  displayedDiagrams(record as RunRecord).some(
    ({ source }) => !record.drawings?.some((d) => d.source === source),
  );

export type InlinePart = { kind: 'text' | 'code' | 'strong' | 'em'; text: string };

/** `code`, **strong** and *em* inside one line of output Markdown; everything else is plain text. */
export function parseInline(text: string): InlinePart[] {
  const parts: InlinePart[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index! > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    if (match[1] !== undefined) parts.push({ kind: 'code', text: match[1] });
    else if (match[2] !== undefined) parts.push({ kind: 'strong', text: match[2] });
    else parts.push({ kind: 'em', text: match[3] ?? match[4] });
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
