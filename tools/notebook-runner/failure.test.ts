import { describe, expect, it } from 'vitest';
import { describeCellProblem, formatFailure } from './failure';

const where = {
  path: 'notebooks/01-x.ipynb',
  cellNumber: 4,
  cellId: 'start',
  source: 'const a = 1;\nconst b = 2;\nconst c = 3;\nboom();',
  cwd: '/course/notebooks',
};
const stderr = (text: string) => [{ output_type: 'stream' as const, name: 'stderr', text }];

describe('describing a failed cell', () => {
  it('names a thrown error and keeps only the frames that belong to the notebook', () => {
    const failure = describeCellProblem(where, {
      kind: 'error',
      outputs: stderr(
        'evalmachine.<anonymous>:5\n    boom();\n    ^\n\n' +
          '\u001b[31mTypeError: boom is not a function\u001b[39m\n' +
          '    at evalmachine.<anonymous>:5:5\n' +
          '    at Script.runInThisContext (node:vm:135:14)\n' +
          '    at Object.execute (/course/node_modules/tslab/dist/executor.js:160:38)\n',
      ),
    });
    expect(failure).toMatchObject({
      ename: 'TypeError',
      evalue: 'boom is not a function',
      traceback: ['TypeError: boom is not a function', '    at evalmachine.<anonymous>:5:5'],
      hint: undefined,
    });
    expect(formatFailure(failure)).toBe(
      [
        'notebooks/01-x.ipynb: cell 4 failed (counting all cells, markdown included, id "start")',
        '    | const a = 1;',
        '    | const b = 2;',
        '    | const c = 3;',
        '    | ...',
        '    TypeError: boom is not a function',
        '        at evalmachine.<anonymous>:5:5',
      ].join('\n'),
    );
  });

  it('points at @types/node when a cell fails without saying why', () => {
    const failure = describeCellProblem(where, { kind: 'error', outputs: [] });
    expect(failure.evalue).toBe('(the kernel reported an error and printed nothing)');
    expect(failure.hint).toContain('@types/node');
    expect(failure.hint).toContain('/course/notebooks');
  });

  it('points at @types/node when Node’s own names are unknown to the type-checker', () => {
    const failure = describeCellProblem(where, {
      kind: 'error',
      outputs: stderr("1:1 - Cannot find name 'process'.\n"),
    });
    expect(failure).toMatchObject({
      ename: 'TypeScript',
      evalue: "1:1 - Cannot find name 'process'.",
    });
    expect(failure.hint).toContain('@types/node');
  });

  it('says to restart the kernel when tslab broke because a lab file changed under it', () => {
    const failure = describeCellProblem(where, {
      kind: 'error',
      outputs: stderr(
        'unexpected error: Error: Unexpected pending rebuildTimer\n' +
          '    at sys.setTimeout (/course/node_modules/tslab/dist/converter.js:111:19)\n',
      ),
    });
    expect(failure.hint).toMatch(/^tslab's compiler saw a file this kernel had imported/);
    expect(failure.hint).toContain('Restart the kernel');
  });
});
