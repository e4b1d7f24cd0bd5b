// The .ipynb file (nbformat 4) as the runner reads it, and the rules a committed notebook must follow:
// nbformat 4.5 with cell ids, the tslab kernel, and no outputs or execution counts in git.
import { readFileSync } from 'node:fs';

export type MimeBundle = Record<string, unknown>;

/** One output as nbformat stores it, so a runner's results can be written back into a notebook. */
export type NotebookOutput =
  | { output_type: 'stream'; name: string; text: string }
  | { output_type: 'display_data'; data: MimeBundle; metadata: Record<string, unknown> }
  | {
      output_type: 'execute_result';
      data: MimeBundle;
      metadata: Record<string, unknown>;
      execution_count: number | null;
    }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface NotebookCell {
  id?: string;
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: { name?: string };
  };
  cells: NotebookCell[];
}

export function readNotebook(path: string): Notebook {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as Notebook;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** nbformat stores source either whole or as lines that keep their own "\n". */
export function sourceOf(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** "cell 3 (id "load-products")": numbered from 1 over all cells, markdown included, as a reader scrolls. */
export function cellLabel(index: number, cell: NotebookCell): string {
  return `cell ${index + 1}${cell.id ? ` (id "${cell.id}")` : ''}`;
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** Everything wrong with a notebook as committed; an empty list means it follows the rules. */
export function notebookProblems(path: string, notebook: Notebook): string[] {
  const problems: string[] = [];
  const { kernelspec, language_info: languageInfo } = notebook.metadata ?? {};
  if (notebook.nbformat !== 4 || !(notebook.nbformat_minor >= 5)) {
    problems.push(
      `nbformat is ${notebook.nbformat}.${notebook.nbformat_minor}; it must be 4.5 or later (4.5 added cell ids)`,
    );
  }
  if (kernelspec?.name !== 'tslab') {
    problems.push(
      `metadata.kernelspec.name is ${JSON.stringify(kernelspec?.name)}; it must be "tslab"`,
    );
  }
  const languages = [kernelspec?.language, languageInfo?.name].filter((name) => name !== undefined);
  if (languages.length === 0 || languages.some((name) => name !== 'typescript')) {
    problems.push(
      'the notebook language (metadata.kernelspec.language / metadata.language_info.name) must be "typescript"',
    );
  }
  if (!Array.isArray(notebook.cells)) return [...problems, 'it has no cells list'].map(at(path));

  const seen = new Set<string>();
  notebook.cells.forEach((cell, index) => {
    const where = cellLabel(index, cell);
    if (typeof cell.id !== 'string' || !CELL_ID.test(cell.id)) {
      problems.push(`${where} has no valid id (1-64 letters, digits, "-" or "_")`);
    } else if (seen.has(cell.id)) {
      problems.push(`${where} repeats an id used by an earlier cell`);
    }
    if (typeof cell.id === 'string') seen.add(cell.id);
    if (cell.cell_type !== 'code') return;
    const outputs = cell.outputs;
    if (!Array.isArray(outputs) || outputs.length > 0) {
      const found = Array.isArray(outputs) ? `${outputs.length} output(s)` : 'no outputs list';
      problems.push(`${where} has ${found}; commit code cells with "outputs": [] (clear outputs)`);
    }
    if (cell.execution_count !== null) {
      problems.push(
        `${where} has execution_count ${JSON.stringify(cell.execution_count)}; it must be null (clear outputs)`,
      );
    }
  });
  return problems.map(at(path));
}

const at = (path: string) => (problem: string) => `${path}: ${problem}`;
