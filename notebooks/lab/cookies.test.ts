import { describe, expect, it } from 'vitest';
import { parseCookies } from './cookies';

describe('parseCookies', () => {
  it('reads names and percent-decoded values', () => {
    expect(parseCookies('a=1; sid=x%20y')).toEqual({ a: '1', sid: 'x y' });
  });

  it('skips a value that is not valid percent-encoding instead of throwing (a client can send anything)', () => {
    expect(parseCookies('sid=%E0%A4%A; a=1; lb=%zz')).toEqual({ a: '1' });
  });
});
