import * as realDns from 'node:dns/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { webhookUrlProblem } from '../../src/domain/events.js';
import { isPrivateAddress } from '../../src/domain/private-addresses.js';
import { postToTarget, RefusedTarget, vetTarget } from '../../src/jobs/webhook-target.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** Names under .test never resolve (RFC 6761): these answers come from this table only. */
const answers = new Map<string, string[]>();
vi.mock('node:dns/promises', async (original) => {
  const dns = await original<typeof realDns>();
  return {
    ...dns,
    lookup: vi.fn(async (hostname: string, options: object) => {
      const table = answers.get(hostname);
      if (!table) return dns.lookup(hostname, options as { all: true });
      return table.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    }),
  };
});
const lookup = vi.mocked(realDns.lookup);
afterEach(() => {
  answers.clear();
  lookup.mockClear();
});

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::169.254.169.254',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('registering a webhook URL', () => {
  it.each([
    'http://127.0.0.1:8080/x',
    'http://[::1]/x',
    'https://10.0.0.8/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost:9000/',
    'http://api.localhost/',
    'http://[::ffff:127.0.0.1]/',
  ])('refuses %s without WEBHOOK_ALLOW_PRIVATE, and names the switch', (url) => {
    expect(webhookUrlProblem(url, { allowPrivate: false })).toMatch(
      /must not point to a loopback, link-local or private address .*WEBHOOK_ALLOW_PRIVATE=on/,
    );
    expect(webhookUrlProblem(url, { allowPrivate: true })).toBeNull();
  });

  it('accepts a host name: what it resolves to is checked at each delivery', () => {
    expect(webhookUrlProblem('https://hooks.example.com/gatehouse', { allowPrivate: false })).toBeNull();
  });

  it('refuses WEBHOOK_URL on a private address at start, unless WEBHOOK_ALLOW_PRIVATE=on', () => {
    const env = { WEBHOOK_URL: 'http://127.0.0.1:9/hook', WEBHOOK_SECRET: 'a-secret-of-16-chars-or-more' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      /WEBHOOK_URL must not point to a loopback.*WEBHOOK_ALLOW_PRIVATE=on/,
    );
    expect(loadConfig({ ...env, WEBHOOK_ALLOW_PRIVATE: 'on' }).webhooks).toMatchObject({
      allowPrivate: true,
      endpoint: { url: env.WEBHOOK_URL },
    });
    expect(loadConfig({}).webhooks.allowPrivate).toBe(false);
  });
});

describe('checking a target at delivery (after DNS)', () => {
  it('refuses a name that resolves to a private address', async () => {
    answers.set('inside.example.test', ['10.0.0.7']);
    await expect(vetTarget('inside.example.test', false)).rejects.toThrow(RefusedTarget);
    await expect(vetTarget('inside.example.test', false)).rejects.toThrow(/resolves to 10\.0\.0\.7/);
  });

  it('refuses a name with one private answer among public ones (how a rebinding name looks)', async () => {
    answers.set('mixed.example.test', ['93.184.215.14', '127.0.0.1']);
    await expect(vetTarget('mixed.example.test', false)).rejects.toThrow(/resolves to 127\.0\.0\.1/);
  });

  it('accepts a name with public answers, and anything with the switch on', async () => {
    answers.set('public.example.test', ['93.184.215.14']);
    await expect(vetTarget('public.example.test', false)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    answers.set('inside.example.test', ['10.0.0.7']);
    await expect(vetTarget('inside.example.test', true)).resolves.toMatchObject({ address: '10.0.0.7' });
  });

  it('connects to the address it checked, resolving the name once (no second answer to rebind)', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const port = new URL(receiver.url).port;
      answers.set('hooks.example.test', ['127.0.0.1']);
      const status = await postToTarget(
        `http://hooks.example.test:${port}/`,
        '{"id":"x"}',
        { 'content-type': 'application/json' },
        { allowPrivate: true, signal: AbortSignal.timeout(3000) },
      );
      expect(status).toBe(200);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.headers.host).toBe(`hooks.example.test:${port}`);
      // .test names never resolve: the connection can only have used the checked answer.
      expect(lookup).toHaveBeenCalledTimes(1);
    } finally {
      await receiver.stop();
    }
  });

  it('sends nothing to a private target without the switch', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      await expect(
        postToTarget(receiver.url, '{}', {}, { allowPrivate: false, signal: AbortSignal.timeout(3000) }),
      ).rejects.toThrow(RefusedTarget);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.stop();
    }
  });
});
