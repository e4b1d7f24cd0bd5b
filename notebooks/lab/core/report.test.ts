import { describe, expect, it } from 'vitest';
import { median, table } from './report';

describe('table', () => {
  it('renders rows as a Markdown table, numbers right-aligned and rounded', () => {
    expect(
      table([
        { server: 'app-1', ms: 1.23456 },
        { server: 'app-2', ms: 2 },
      ]),
    ).toBe(['| server | ms |', '| --- | ---: |', '| app-1 | 1.23 |', '| app-2 | 2 |'].join('\n'));
  });

  it('says so when there are no rows', () => expect(table([])).toBe('_(no rows)_'));
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
