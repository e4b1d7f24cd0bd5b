import { describe, expect, it } from 'vitest';
import { table } from '../core/report';
import { show } from './show';

describe('show', () => {
  it('displays the rows as one Markdown table', () => {
    const shown: string[] = [];
    const rows = [
      { server: 'app-1', answers: 40 },
      { server: 'app-2', answers: 38 },
    ];
    show(rows, { markdown: (text) => void shown.push(text) });
    expect(shown).toEqual([table(rows)]);
    expect(shown[0]).toContain('| app-2 | 38 |');
  });
});
