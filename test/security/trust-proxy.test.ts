import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config.js';
import { type Backend, backends } from '../support/backends.js';
import { expectEnvelope, PASSWORD, register, startTestApp, type TestApp } from '../support/harness.js';

const pglite = backends[0] as Backend;
const PROXY = '127.0.0.1';
const forged = () => `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

const problemsOf = (value: string): string => {
  try {
    loadConfig({ TRUST_PROXY: value });
    return '';
  } catch (err) {
    return (err as ConfigError).problems.join('\n');
  }
};

describe('TRUST_PROXY (config)', () => {
  it.each(['on', 'true', 'yes', 'ON'])(
    'refuses "%s", which used to trust every hop, naming what to set',
    (v) => {
      expect(problemsOf(v)).toMatch(/TRUST_PROXY=.* is no longer accepted.*TRUST_PROXY=1.*addresses/);
    },
  );

  it('reads off, a hop count and a list of addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each(['11', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2', '::1/129', '10.0.0.1,'])(
    'refuses "%s" with a message naming the variable',
    (v) => {
      expect(problemsOf(v)).toMatch(/^TRUST_PROXY must be/);
    },
  );
});

describe.each([
  ['a hop count', '1'],
  ['the proxy address', PROXY],
  ['the proxy CIDR', '127.0.0.0/8'],
])('TRUST_PROXY set to %s, with forged X-Forwarded-For', (_label, trust) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(pglite, { TRUST_PROXY: trust, RATE_LIMITS: 'on', RATE_LIMIT_PER_IP: '20' });
  });
  afterAll(() => t?.close());

  /** What the proxy forwards: whatever the client wrote, then the address the proxy saw. */
  const viaProxy = (client: string, written = forged()) => ({
    remoteAddress: PROXY,
    headers: { 'x-forwarded-for': `${written}, ${client}` },
  });

  it('keeps the per-address limit when every request forges a different address: 20 pass, 20 get 429', async () => {
    const client = `198.51.100.${randomInt(1, 255)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: 'not a token' },
        ...viaProxy(client),
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expectEnvelope(res, 'RATE_LIMITED');
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('stores the address the proxy saw on the session and in the audit log, not the forged one', async () => {
    const user = await register(t);
    const client = `203.0.113.${randomInt(1, 255)}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: PASSWORD },
      ...viaProxy(client, '192.0.2.66'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const sessions = await t.store.listActiveSessions(user.id);
    expect(sessions.map((s) => s.ip)).toEqual([client]);
    const events = await t.store.listAuditEvents({ userId: user.id, limit: 10 });
    expect(events.find((e) => e.action === 'session.created')?.ip).toBe(client);
  });

  it('takes the socket address of a peer that is not a listed proxy (a hop count trusts whoever connects)', async () => {
    const user = await register(t);
    const direct = `192.0.2.${randomInt(1, 255)}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: PASSWORD },
      remoteAddress: direct,
      headers: { 'x-forwarded-for': '10.0.0.1' },
    });
    expect(res.statusCode).toBe(200);
    const expected = trust === '1' ? '10.0.0.1' : direct; // one hop trusts whoever connects
    expect((await t.store.listActiveSessions(user.id)).map((s) => s.ip)).toEqual([expected]);
  });
});
