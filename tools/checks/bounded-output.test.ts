import { describe, expect, it } from 'vitest';
import { BoundedOutput } from './bounded-output';

describe('BoundedOutput', () => {
  it('keeps everything while the output is short', () => {
    const out = new BoundedOutput(10);
    out.write('hello ');
    out.write(Buffer.from('world'));
    expect(out.text()).toBe('hello world');
    expect(out.since(6)).toBe('world');
    expect(out.since(11)).toBe('');
  });

  it('keeps the first and the last part of a long output, and says how much was cut', () => {
    const out = new BoundedOutput(4);
    for (let i = 0; i < 1000; i += 1) out.write(`${i % 10}`);
    expect(out.written).toBe(1000);
    expect(out.text()).toBe('0123\n[… 992 characters of output cut here …]\n6789');
  });

  it('gives what was written since a mark: exact in the kept end, marked as cut before it', () => {
    const out = new BoundedOutput(4);
    out.write('abcdefgh'); // head abcd, tail efgh
    const mark = out.written;
    out.write('XY');
    expect(out.since(mark)).toBe('XY');
    out.write('0123456789');
    expect(out.since(mark)).toBe('\n[… 8 characters of output cut here …]\n6789');
    expect(out.since(2)).toBe('cd\n[… 12 characters of output cut here …]\n6789');
  });

  it('holds a bounded amount however much is written', () => {
    const out = new BoundedOutput(1024);
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 2000; i += 1) out.write(chunk); // 128 MB in all
    expect(out.text().length).toBeLessThan(3 * 1024);
    expect(out.text()).toMatch(/\[… 131069952 characters of output cut here …\]/);
  });
});
