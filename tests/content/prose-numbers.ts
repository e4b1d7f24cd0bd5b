// Finds the numbers a reader sees in a chapter's prose (or a notebook's Markdown) and the numbers
// the course's code sets, for tests/content/prose-numbers.test.ts: a number in prose that no code
// sets, no run renders and no reference pattern explains was typed by hand. Pure text work, plus
// the TypeScript parser to read literals out of code (so comments do not count as code).
import ts from 'typescript';

/** One number as a reader sees it, where it is, and its canonical form ("5,000" → "5000"). */
export interface ProseNumber {
  /** 1-based line in the text that was scanned. */
  line: number;
  /** As written: "5,000", "100", "0.5". */
  text: string;
  /** Digits without separators, as a number would print: "5000", "0.5"; dotted runs as written. */
  value: string;
  /** The whole line, for the failure message. */
  context: string;
}

/**
 * A number: digit groups with thousands separators (5,000 · 5_000 · 5 000), a decimal, or a dotted
 * run (127.0.0.1) kept whole.
 */
const NUMBER = /\d{1,3}(?:[,_\u00a0\u202f]\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)*/g;

/** "5,000" → "5000", "0.50" → "0.5", "007" → "7"; "127.0.0.1" stays as it is. */
export function canonical(text: string): string {
  const plain = text.replace(/[,_\u00a0\u202f]/g, '');
  return /^\d+(\.\d+)?$/.test(plain) ? String(Number(plain)) : plain;
}

/** Replaces a span with spaces (newlines kept), so offsets and line numbers do not move. */
const blank = (text: string) => text.replace(/[^\n]/g, ' ');

// ---------------------------------------------------------------------------------------------
// What is not prose: code, Mermaid, imports, JSX tags, link targets, URLs, comments.

/** Finds the end of a quoted string starting at i (text[i] is the quote); returns the index after it. */
function endOfString(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j + 1;
  }
  return text.length;
}

/**
 * The inside of a JSX `{…}` expression from i (text[i] === '{'): everything blanked except the
 * contents of string literals, which are prose a reader sees (a quiz's questions, a table's labels).
 */
function jsxExpression(text: string, i: number, out: string[]): number {
  let depth = 0;
  let j = i;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "'" || c === '`') {
      const end = endOfString(text, j);
      // The string is prose, but code spans inside it are not.
      out.push(' ', text.slice(j + 1, end - 1).replace(/(`+)[^`]*?\1/g, blank), ' ');
      j = end - 1;
      continue;
    }
    if (c === '/' && text[j + 1] === '*') {
      const end = text.indexOf('*/', j + 2);
      const stop = end < 0 ? text.length : end + 2;
      out.push(blank(text.slice(j, stop)));
      j = stop - 1;
      continue;
    }
    out.push(c === '\n' ? '\n' : ' ');
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j + 1;
  }
  return j;
}

/** A JSX or HTML tag from i (text[i] === '<'): attribute values blanked, expressions as above. */
function jsxTag(text: string, i: number, out: string[]): number {
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === '{') {
      j = jsxExpression(text, j, out);
      continue;
    }
    if (c === '"' || c === "'") {
      const end = endOfString(text, j);
      out.push(blank(text.slice(j, end)));
      j = end;
      continue;
    }
    out.push(c === '\n' ? '\n' : ' ');
    j++;
    if (c === '>') break;
  }
  return j;
}

/**
 * The text with everything that is not prose blanked: front matter other than title and
 * description, fenced code (Mermaid included), `import`/`export` lines, code spans, JSX and HTML
 * tags (but not the strings inside their `{…}`), `{…}` expressions and comments, link targets and URLs.
 */
export function proseOf(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  // Line by line first: front matter, fences, imports.
  let fence: string | undefined;
  let inFrontMatter = lines[0] === '---';
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (inFrontMatter) {
      if (n > 0 && line === '---') inFrontMatter = false;
      else if (!/^(title|description|sidebar_label):/.test(line)) lines[n] = blank(line);
      else lines[n] = line.replace(/^\w+:/, (key) => blank(key));
      continue;
    }
    const opener = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (opener && opener[1].startsWith(fence)) fence = undefined;
      lines[n] = blank(line);
    } else if (opener) {
      fence = opener[1];
      lines[n] = blank(line);
    } else if (/^(import|export)\s/.test(line)) {
      // An import may span lines (`import {` … `} from '…';`): blank up to its `from '…'`.
      while (n + 1 < lines.length && !/\bfrom\s+['"]|;\s*$/.test(lines[n])) {
        lines[n] = blank(lines[n]);
        n++;
      }
      lines[n] = blank(lines[n]);
    }
  }
  const text = lines.join('\n');
  // Then character by character: code spans, tags, expressions, comments.
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const end = text.indexOf(run, i + run.length);
      const paragraphEnd = text.indexOf('\n\n', i);
      if (end >= 0 && (paragraphEnd < 0 || end < paragraphEnd)) {
        out.push(blank(text.slice(i, end + run.length)));
        i = end + run.length;
        continue;
      }
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      const stop = end < 0 ? text.length : end + 3;
      out.push(blank(text.slice(i, stop)));
      i = stop;
      continue;
    } else if (c === '<' && /[A-Za-z/]/.test(text[i + 1] ?? '')) {
      i = jsxTag(text, i, out);
      continue;
    } else if (c === '{') {
      const inner: string[] = [];
      const end = jsxExpression(text, i, inner);
      out.push(blank(text.slice(i, end))); // an expression in prose: {/* comment */}, {#id}
      i = end;
      continue;
    } else if (c === '\\' && i + 1 < text.length) {
      out.push(' ', text[i + 1] === '\n' ? '\n' : ' ');
      i += 2;
      continue;
    }
    out.push(c);
    i++;
  }
  return (
    out
      .join('')
      // [text](target): the target is not prose; [label]: target lines neither.
      .replace(
        /\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(\s+"[^"]*")?\)/g,
        (m) => ']' + blank(m.slice(1)),
      )
      .replace(/^\s*\[[^\]]+\]:\s+\S+.*$/gm, blank)
      // Bare URLs and host:port.
      .replace(/\b[a-z][a-z+.-]*:\/\/[^\s)>\]]*/gi, blank)
      .replace(
        /\b(localhost|\d+\.\d+\.\d+\.\d+):\d+/g,
        (m, host: string) => host + blank(m.slice(host.length)),
      )
      // HTML entities such as &#8203; or &nbsp;
      .replace(/&#?\w+;/g, blank)
  );
}

// ---------------------------------------------------------------------------------------------
// References: numbers that name something rather than measure it.

/** Words that make the number before them a quantity: never a status code, year or list member. */
const QUANTITY_WORDS =
  'ms|s|sec|seconds?|minutes?|min|hours?|h|days?|µs|us|ns|KB|kB|MB|GB|bytes?|B|x|req|requests?|users?|servers?|processes|items?|writes?|reads?|operations?|ops|times?|rounds?|connections?|keys?|sessions?|carts?|orders?|products?|rows?|cores?|CPUs?|more|of';
const QUANTITY_AFTER = new RegExp(`^(?:[\\s-]*(?:${QUANTITY_WORDS})\\b|\\s*[%×])`);
const NOT_A_QUANTITY = `(?![\\s-]*(?:${QUANTITY_WORDS})\\b|\\s*[%×])`;

const STATUS = new Set(
  '100 101 200 201 202 204 206 301 302 303 304 307 308 400 401 403 404 405 406 408 409 410 411 412 413 414 415 416 418 421 422 425 426 428 429 431 451 500 501 502 503 504 505'.split(
    ' ',
  ),
);
const PRODUCTS =
  'Node(?:\\.js)?|Redis|Valkey|nginx|NGINX(?: Plus)?|HAProxy|TLS|SSL|HTTP|HTTPS|Kubernetes|Docusaurus|TypeScript|ECMAScript|ES|SQLite|Python|Jupyter(?:Lab)?|Debian|Ubuntu|Chromium|Chrome|Firefox|PostgreSQL|MySQL|Java|Go|React|npm|tslab|version';
/** More numbers of the same kind after the first: "chapters 2, 3 and 6", "Node 20, 22 or 24". */
const LIST = `(?:\\s*(?:,|and|or|&|–|—|-|to)\\s*\\d+(?:\\.\\d+)*(?![\\d.])${NOT_A_QUANTITY})*`;
const MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December';

/**
 * Reference patterns, each blanked before numbers are read. Kept short on purpose: every entry is
 * a way to name a thing (a document, a place in the course, a protocol's code, a date, a release)
 * that no run could produce.
 */
export const REFERENCES: { name: string; pattern: RegExp }[] = [
  { name: 'an RFC', pattern: new RegExp(`\\bRFCs?\\s+\\d+${LIST}`, 'g') },
  { name: 'a section sign', pattern: /§\s*\d+(?:\.\d+)*/g },
  {
    name: 'a place in the course or a document',
    pattern: new RegExp(
      `\\b(?:[Cc]hapters?|[Cc]h\\.|[Ee]xercises?|[Ee]xperiments?|[Ss]ections?|[Ss]teps?|[Ff]actors?|[Nn]otebooks?|[Pp]arts?|[Qq]uestions?)\\s+\\d+(?:\\.\\d+)*${LIST}`,
      'g',
    ),
  },
  { name: 'an ordered-list marker or numbered heading', pattern: /^\s*(?:#+\s+)?\d+\.(?=\s)/gm },
  {
    name: 'a year',
    pattern: new RegExp(
      `\\((?:19[7-9]\\d|20\\d\\d)\\)|\\b(?:in|since|from|until|by|${MONTHS})\\s+(?:\\d{1,2},?\\s+)?(?:19[7-9]\\d|20\\d\\d)\\b${NOT_A_QUANTITY}`,
      'g',
    ),
  },
  {
    name: 'a version next to a product name',
    pattern: new RegExp(`\\b(?:${PRODUCTS})\\s*/?\\s*v?\\d+(?:\\.\\d+)*\\+?${LIST}`, 'g'),
  },
  { name: 'an HTTP status class', pattern: /\b[1-5]xx\b/g },
];

/** Words before a status code: "answers 401", "a 502", "HTTP 503", "status 200". */
const STATUS_BEFORE =
  /\b(?:HTTP|status|code|codes|answers?|answered|answering|returns?|returned|returning|replies|reply|replied|responds?|responded|gets?|got|sends?|sent|gives?|gave|a|an|the|with)\s*$/i;
/** Reason phrases after a status code: "401 Unauthorized", "503 Service Unavailable". */
const STATUS_AFTER =
  /^\s*(?:OK|Created|Accepted|No Content|Moved|Found|See Other|Not Modified|Temporary|Permanent|Bad|Unauthori[sz]ed|Forbidden|Not Found|Method|Not Acceptable|Request Timeout|Conflict|Gone|Length|Precondition|Payload|Content Too Large|Unsupported|Unprocessable|Too Early|Upgrade|Too Many|Internal|Not Implemented|Service Unavailable|Gateway)\b/;

/** Numbers in a line that are not HTTP status codes named as such (within one sentence). */
function statusCodeSpans(line: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const sentence of line.matchAll(/[^.!?]+(?:[.!?]+|$)/g)) {
    const candidates = [...sentence[0].matchAll(/\b\d{3}\b/g)].filter((m) => STATUS.has(m[0]));
    const isStatus = (m: RegExpMatchArray) => {
      const before = sentence[0].slice(0, m.index);
      const after = sentence[0].slice(m.index! + 3);
      if (QUANTITY_AFTER.test(after)) return false;
      return STATUS_BEFORE.test(before) || STATUS_AFTER.test(after) || /^\s*[,:)]/.test(after);
    };
    const named = candidates.filter(isStatus);
    // Once a sentence names one status code, its other status-like numbers are codes too
    // ("200 when it exists, 404 when it does not, 400 …"), unless a unit follows them.
    const codes =
      named.length > 0
        ? candidates.filter((m) => !QUANTITY_AFTER.test(sentence[0].slice(m.index! + 3)))
        : [];
    for (const m of codes) spans.push([sentence.index! + m.index!, sentence.index! + m.index! + 3]);
  }
  return spans;
}

/** Numbers in prose, with references, NN-slug names and digits inside words left out. */
export function proseNumbers(
  prose: string,
  slugs: ReadonlySet<string> = new Set(),
  /** The text before proseOf(), for the lines quoted in messages. */
  source = prose,
): ProseNumber[] {
  const found: ProseNumber[] = [];
  const lines = prose.split('\n');
  const sourceLines = source.replace(/\r\n/g, '\n').split('\n');
  lines.forEach((original, index) => {
    let line = original;
    for (const { pattern } of REFERENCES) line = line.replace(pattern, blank);
    for (const [from, to] of statusCodeSpans(line)) {
      line = line.slice(0, from) + blank(line.slice(from, to)) + line.slice(to);
    }
    for (const m of line.matchAll(NUMBER)) {
      const at = m.index!;
      const before = line.slice(0, at);
      const after = line.slice(at + m[0].length);
      // Inside a word or a name: app-1, IPv4, p50, SHA-256, localhost:3000, x2.
      if (/[\p{L}\p{N}_$#]$|[\p{L}\p{N}][-.:/]$/u.test(before)) continue;
      // An NN-slug (01-request-path) names a chapter; a status class (5xx) names codes.
      const slug = /^-[a-z][a-z0-9-]*/.exec(after);
      if (slug && slugs.has(`${m[0]}${slug[0]}`)) continue;
      if (/^xx\b/.test(after)) continue;
      const context = (sourceLines[index] ?? original).trim();
      found.push({ line: index + 1, text: m[0], value: canonical(m[0]), context });
    }
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Numbers the code sets: literals in TypeScript (numbers, and numbers inside strings and
// templates), comments left out.

/** Every number a piece of TypeScript writes as a literal or inside a string, in canonical form. */
export function codeNumbers(code: string, into = new Set<string>()): Set<string> {
  const file = ts.createSourceFile(
    'cell.ts',
    code,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.TS,
  );
  const visit = (node: ts.Node) => {
    if (ts.isNumericLiteral(node)) {
      const value = Number(node.getText(file).replace(/_/g, ''));
      if (Number.isFinite(value)) into.add(String(value));
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      for (const m of node.text.matchAll(NUMBER)) {
        if (/[\p{L}_$]$|[\p{L}][-.:/]$/u.test(node.text.slice(0, m.index))) continue;
        into.add(canonical(m[0]));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return into;
}

/** Numbers in a config file (nginx, YAML): every number outside `#` comments. */
export function configNumbers(text: string, into = new Set<string>()): Set<string> {
  for (const line of text.split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const m of code.matchAll(NUMBER)) {
      if (/[\p{L}_$]$/u.test(code.slice(0, m.index))) continue;
      into.add(canonical(m[0]));
    }
  }
  return into;
}

/** The numbers in prose that no code sets: what the content test reports. */
export function handTyped(
  prose: string,
  code: ReadonlySet<string>,
  slugs: ReadonlySet<string> = new Set(),
): ProseNumber[] {
  return proseNumbers(proseOf(prose), slugs, prose).filter((n) => !code.has(n.value));
}
