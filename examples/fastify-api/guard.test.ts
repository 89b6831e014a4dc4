import { createServer, type Server, type Socket } from 'node:net';
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

  const get = async (
    mode: 'ask' | 'local',
    headers: Record<string, string> = {},
    options: { gatehouseUrl?: string; timeoutMs?: number } = {},
  ) => {
    const api = buildExampleApi({ gatehouseUrl, mode, ...options });
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

  describe('mode ask when Gatehouse cannot answer', () => {
    /** Accepts connections and never answers: a hung Gatehouse. */
    let silent: Server;
    let silentUrl: string;
    const held = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => held.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    const expectUnavailable = (res: Awaited<ReturnType<typeof get>>, description: RegExp) => {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({
        message: 'Service unavailable',
        description: expect.stringMatching(description),
        code: 'SERVICE_UNAVAILABLE',
      });
    };

    it('answers 503 when Gatehouse does not answer in time, instead of hanging', async () => {
      const user = await signedInUser(gatehouse);
      const res = await get('ask', user.headers, { gatehouseUrl: silentUrl, timeoutMs: 200 });
      expectUnavailable(res, /did not answer within 200 ms/);
    });

    it('answers 503 when Gatehouse is down (connection refused)', async () => {
      const user = await signedInUser(gatehouse);
      // A port that was just free: nothing listens there.
      const free = createServer();
      await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
      const port = (free.address() as { port: number }).port;
      await new Promise((resolve) => free.close(resolve));
      const res = await get('ask', user.headers, { gatehouseUrl: `http://127.0.0.1:${port}` });
      expectUnavailable(res, /unreachable/);
    });

    it("passes Gatehouse's own 503 on as 503, never as allowed", async () => {
      const user = await signedInUser(gatehouse);
      gatehouse.ctx.revocations.markStale();
      try {
        expectUnavailable(await get('ask', user.headers), /Gatehouse answered 503/);
      } finally {
        gatehouse.ctx.revocations.markCurrent();
      }
    });
  });
});
