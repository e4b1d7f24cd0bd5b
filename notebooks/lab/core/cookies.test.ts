import { describe, expect, it } from 'vitest';
import {
  cookieFromSetCookie,
  cookieHeader,
  MAX_COOKIE_HEADER_CHARS,
  parseCookies,
} from './cookies';

describe('parseCookies', () => {
  it('reads names and percent-decoded values', () => {
    expect(parseCookies('a=1; sid=x%20y')).toEqual({ a: '1', sid: 'x y' });
  });

  it('skips a value that is not valid percent-encoding instead of throwing (a client can send anything)', () => {
    expect(parseCookies('sid=%E0%A4%A; a=1; lb=%zz')).toEqual({ a: '1' });
    // Another app on localhost can set this one; the shop's own cookie must still count.
    expect(parseCookies('theme=50%off; sid=abc')).toEqual({ sid: 'abc' });
  });

  it('keeps the first of two cookies with the same name (the most specific; a later one cannot replace it)', () => {
    expect(parseCookies('sid=mine; sid=planted')).toEqual({ sid: 'mine' });
  });

  it('treats every name as an ordinary key: no inherited constructor, no __proto__ trick', () => {
    const cookies = parseCookies('__proto__=x; a=1');
    expect(cookies.constructor).toBeUndefined();
    expect(cookies.toString).toBeUndefined();
    expect(cookies['__proto__']).toBe('x');
    expect(parseCookies('constructor=y').constructor).toBe('y');
  });

  it('skips pairs without a name or an equals sign', () => {
    expect(parseCookies('=v; novalue; ; a=1;')).toEqual({ a: '1' });
  });

  it('reads only whole pairs within MAX_COOKIE_HEADER_CHARS of a huge header', () => {
    const padding = `pad=${'x'.repeat(MAX_COOKIE_HEADER_CHARS)}`;
    expect(parseCookies(`a=1; ${padding}; sid=late`)).toEqual({ a: '1' });
    const huge = Array.from({ length: 100_000 }, (_, i) => `c${i}=${i}`).join('; ');
    const cookies = parseCookies(huge);
    expect(Object.keys(cookies).length).toBeLessThan(MAX_COOKIE_HEADER_CHARS / 4);
    expect(cookies.c0).toBe('0');
  });
});

describe('cookieFromSetCookie', () => {
  it('reads the cookie a Set-Cookie line sets, and whether it deletes it', () => {
    expect(cookieFromSetCookie('sid=a%20b; Path=/; HttpOnly')).toEqual({
      name: 'sid',
      value: 'a b',
      deletes: false,
    });
    expect(cookieFromSetCookie('sid=; Path=/; Max-Age=0')).toMatchObject({ deletes: true });
    expect(cookieFromSetCookie('sid=x; max-age = 0')).toMatchObject({ deletes: true });
  });

  it('ignores a line it cannot read rather than throwing', () => {
    expect(cookieFromSetCookie('sid=%zz; Path=/')).toBeUndefined();
    expect(cookieFromSetCookie('no equals sign')).toBeUndefined();
  });
});

describe('cookieHeader', () => {
  it('writes what parseCookies reads back, whatever the values hold', () => {
    const cookies: [string, string][] = [
      ['sid', 'abc'],
      ['odd', 'a b;c=d%e'],
    ];
    expect(parseCookies(cookieHeader(cookies))).toEqual(Object.fromEntries(cookies));
  });
});
