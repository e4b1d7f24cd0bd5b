import { describe, expect, it } from 'vitest';
import { decode, encode, newMessage } from './wire';

const frames = (parts: string[]) => parts.map((part) => Buffer.from(part));

describe('the Jupyter wire format', () => {
  const message = newMessage('session-1', 'execute_request', { code: '1 + 1' });

  it('reads back a message it signed, after any routing identities', () => {
    const read = decode('secret', frames(['identity', ...encode('secret', message)]));
    expect(read).toEqual(message);
  });

  it('refuses a message signed with another key', () => {
    expect(() => decode('secret', frames(encode('other key', message)))).toThrow(/bad signature/);
  });

  it('refuses frames without the <IDS|MSG> delimiter', () => {
    expect(() => decode('secret', frames(encode('secret', message).slice(1)))).toThrow(/delimiter/);
  });
});
