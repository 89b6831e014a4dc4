import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/backends.js';
import { signedInUser, startTestApp, type TestApp } from '../../test/support/harness.js';
import { buildExampleApi } from './server.js';

describe('example: a Fastify API protected by Gatehouse', () => {
  let gatehouse: TestApp;
  let gatehouseUrl: string;
  beforeAll(async () => {
    gatehouse = await startTestApp(backends[0] as (typeof backends)[0]);
    gatehouseUrl = await gatehouse.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => gatehouse.close());

  const get = async (mode: 'ask' | 'local', headers: Record<string, string> = {}) => {
    const api = buildExampleApi({ gatehouseUrl, mode });
    const res = await api.inject({ method: 'GET', url: '/private', headers });
    await api.close();
    return res;
  };

  it.each(['ask', 'local'] as const)(
    'mode %s: admits a live token and refuses a missing one',
    async (mode) => {
      const user = await signedInUser(gatehouse);
      const ok = await get(mode, user.headers);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ hello: user.user.email });
      const missing = await get(mode);
      expect(missing.statusCode).toBe(401);
      expect(missing.json().code).toBe('UNAUTHORIZED');
    },
  );

  it('mode ask refuses a token as soon as its session is logged out', async () => {
    const user = await signedInUser(gatehouse);
    expect((await get('ask', user.headers)).statusCode).toBe(200);
    await gatehouse.app.inject({ method: 'POST', url: '/auth/logout', headers: user.headers });
    expect((await get('ask', user.headers)).statusCode).toBe(401);
  });

  it('mode local keeps accepting a logged-out token until it expires (the documented trade-off)', async () => {
    const user = await signedInUser(gatehouse);
    await gatehouse.app.inject({ method: 'POST', url: '/auth/logout', headers: user.headers });
    expect((await get('local', user.headers)).statusCode).toBe(200);
  });

  it('mode local refuses a token that is not signed by Gatehouse', async () => {
    const user = await signedInUser(gatehouse);
    const forged = `${user.accessToken.slice(0, -4)}AAAA`;
    expect((await get('local', { authorization: `Bearer ${forged}` })).statusCode).toBe(401);
  });
});
