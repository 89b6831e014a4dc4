import { describe, expect, it } from 'vitest';
import { addressKey } from '../../src/http/address-key.js';
import { backends } from '../support/backends.js';
import { expectEnvelope, startTestApp } from '../support/harness.js';

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::ffff:c000:207', '192.0.2.7'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
  ])('keys %s as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('leaves anything that is not an address as it is', () => {
    expect(addressKey('not-an-address')).toBe('not-an-address');
  });
});

describe('per-address limits over IPv6', () => {
  it('share one budget across a /64, and give the next /64 its own', async () => {
    const t = await startTestApp(backends[0] as (typeof backends)[0], {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '3',
    });
    try {
      const refresh = (from: string) =>
        t.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refreshToken: 'x' },
          remoteAddress: from,
        });
      for (const from of ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:ffff:1:2:3'])
        expect((await refresh(from)).statusCode).toBe(401);
      // A fourth address of the same /64 finds the budget spent.
      expectEnvelope(await refresh('2001:db8:5:6:1234::9'), 'RATE_LIMITED');
      // The neighbouring /64 is another client.
      expect((await refresh('2001:db8:5:7::1')).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
