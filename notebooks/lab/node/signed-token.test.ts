import { describe, expect, it } from 'vitest';
import { peek, revoke, sign, verify, verifyNotRevoked } from './signed-token';
import { memoryStore } from '../core/store';

const KEY = 'a key only the servers know';
const NOW = 1_700_000_000_000;
const fresh = () => sign({ user: 'ada' }, KEY, 60_000, NOW);

describe('signed tokens', () => {
  it('accepts a token it signed, before it expires, with the payload inside', () => {
    const verdict = verify<{ user: string }>(fresh(), KEY, NOW + 1_000);
    expect(verdict.ok && verdict.payload.user).toBe('ada');
    expect(verdict.ok && verdict.payload.exp).toBe(NOW + 60_000);
  });

  it('lets anyone read the payload: signed is not encrypted', () => {
    expect(peek(fresh())).toMatchObject({ user: 'ada', exp: NOW + 60_000 });
  });

  it('rejects a tampered payload', () => {
    const [, signature] = fresh().split('.');
    const forged = Buffer.from(JSON.stringify({ user: 'admin', jti: 'x', exp: NOW * 2 })).toString(
      'base64url',
    );
    expect(verify(`${forged}.${signature}`, KEY, NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('rejects a token signed with another key', () => {
    expect(verify(fresh(), 'another key', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a truncated signature without throwing', () => {
    const token = fresh();
    for (const cut of [1, 4, 42]) {
      expect(verify(token.slice(0, -cut), KEY, NOW)).toMatchObject({ ok: false });
    }
    expect(verify(`${token.split('.')[0]}.`, KEY, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects another spelling of the same signature bytes', () => {
    expect(verify(`${fresh()}!`, KEY, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects an expired token and garbage', () => {
    expect(verify(fresh(), KEY, NOW + 60_000)).toEqual({ ok: false, reason: 'expired' });
    for (const junk of ['', 'abc', 'a.b.c', '..']) {
      expect(verify(junk, KEY, NOW)).toMatchObject({ ok: false });
    }
  });

  it('rejects a revoked token on every server that shares the deny-list', async () => {
    const denyList = memoryStore<true>(() => NOW);
    const token = fresh();
    const claims = verify(token, KEY, NOW);
    if (!claims.ok) throw new Error('expected a valid token');
    expect((await verifyNotRevoked(token, KEY, denyList, NOW)).ok).toBe(true);
    await revoke(denyList, claims.payload, NOW);
    expect(await verifyNotRevoked(token, KEY, denyList, NOW)).toEqual({
      ok: false,
      reason: 'revoked',
    });
  });
});
