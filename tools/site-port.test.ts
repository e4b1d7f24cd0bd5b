import { afterAll, describe, expect, it } from 'vitest';
import { parsePort, takenOnIpv6Loopback } from './site-port.cjs';
import { heldPorts } from './site-testing';

describe('parsePort', () => {
  it('takes a decimal number from 1 to 65535', () => {
    expect(['1', '3000', '08080', '65535'].map(parsePort)).toEqual([1, 3000, 8080, 65535]);
  });

  it('refuses what Number() or parseInt would read as another port', () => {
    for (const text of ['', '0', '65536', '0x1F90', '3e3', '3000.0', ' 3000', '8080abc', '-1']) {
      expect(parsePort(text), text).toBeUndefined();
    }
  });
});

describe('takenOnIpv6Loopback', () => {
  const ports = heldPorts();
  afterAll(() => ports.closeAll());

  it('is true while a server listens on [::1]:port, and false once it is gone', async () => {
    const { port, free } = await ports.hold('::1');
    expect(await takenOnIpv6Loopback(port)).toBe(true);
    await free();
    expect(await takenOnIpv6Loopback(port)).toBe(false);
  });

  it('is false for a port held on 127.0.0.1 only: that is another socket', async () => {
    const { port } = await ports.hold('127.0.0.1');
    expect(await takenOnIpv6Loopback(port)).toBe(false);
  });
});
