import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openPair } from '../../src/domain/refresh-grace.js';
import { hashRefreshToken } from '../../src/domain/tokens.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  sessionState,
  signedInUser,
  startTestApp,
  type TestApp,
  type TokenBody,
} from '../support/harness.js';

describe.each(backends)('REFRESH_REUSE_GRACE: two tabs refreshing at once, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { REFRESH_REUSE_GRACE: '10' });
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
  const me = (accessToken: string) =>
    t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${accessToken}` } });
  async function rotate(refreshToken: string): Promise<TokenBody> {
    const res = await refresh(refreshToken);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TokenBody;
  }
  const tokenRow = async (token: string) =>
    (
      await t.database.db.query<{ successor_box: Uint8Array | null; replayed_at: Date | null }>(
        'SELECT successor_box, replayed_at FROM refresh_tokens WHERE token_hash = $1',
        [hashRefreshToken(token)],
      )
    )[0];
  /** Moves a rotation into the past, as if the grace had run out. */
  const age = (token: string, seconds: number) =>
    t.database.db.query(
      `UPDATE refresh_tokens SET rotated_at = rotated_at - make_interval(secs => $2) WHERE token_hash = $1`,
      [hashRefreshToken(token), seconds],
    );

  it('gives the rotated token the same new pair once more, and the session carries on', async () => {
    const a = await signedInUser(t);
    const first = await rotate(a.refreshToken);
    const again = await rotate(a.refreshToken);
    expect(again.refreshToken).toBe(first.refreshToken);
    expect(again.accessToken).toBe(first.accessToken);
    expect(again.session.id).toBe(a.session.id);
    expect(again.expiresIn).toBeLessThanOrEqual(first.expiresIn);
    expect(again.expiresIn).toBeGreaterThan(first.expiresIn - 5);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    expect((await me(again.accessToken)).statusCode).toBe(200);
    // The pair both tabs now hold rotates as usual.
    const next = await rotate(again.refreshToken);
    expect((await me(next.accessToken)).statusCode).toBe(200);
  });

  it('answers two parallel refreshes with one token with one pair, ending nothing', async () => {
    const a = await signedInUser(t);
    const [x, y] = await Promise.all([refresh(a.refreshToken), refresh(a.refreshToken)]);
    expect([x?.statusCode, y?.statusCode]).toEqual([200, 200]);
    expect(x?.json().refreshToken).toBe(y?.json().refreshToken);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
  });

  it('hands the pair out once only: a third presentation is reuse and ends the session', async () => {
    const a = await signedInUser(t);
    const first = await rotate(a.refreshToken);
    await rotate(a.refreshToken);
    expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /already used/);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });
    expectEnvelope(await me(first.accessToken), 'UNAUTHORIZED');
    expectEnvelope(await refresh(first.refreshToken), 'UNAUTHORIZED');
  });

  it('is reuse once the new refresh token has itself been used (no race, a replay)', async () => {
    const a = await signedInUser(t);
    const first = await rotate(a.refreshToken);
    await rotate(first.refreshToken);
    expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /already used/);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });
  });

  it('is reuse after the grace, as without it', async () => {
    const a = await signedInUser(t);
    await rotate(a.refreshToken);
    await age(a.refreshToken, 11);
    expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /already used/);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });
  });

  it('keeps the pair only sealed: the database holds no usable token, only the rotated one opens it', async () => {
    const a = await signedInUser(t);
    const first = await rotate(a.refreshToken);
    const row = await tokenRow(a.refreshToken);
    const box = Buffer.from(row?.successor_box as Uint8Array);
    const text = box.toString('latin1');
    for (const secret of [first.refreshToken, first.accessToken, first.accessToken.split('.')[1] as string])
      expect(text).not.toContain(secret);
    expect(openPair(first.refreshToken, box)).toBeNull();
    expect(openPair(a.refreshToken, box)).toMatchObject({ refreshToken: first.refreshToken });
    // Tampered with: refused, and so is the replay (reuse).
    box[box.length - 1] = (box[box.length - 1] as number) ^ 1;
    expect(openPair(a.refreshToken, box)).toBeNull();
    await t.database.db.query('UPDATE refresh_tokens SET successor_box = $2 WHERE token_hash = $1', [
      hashRefreshToken(a.refreshToken),
      box,
    ]);
    expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /already used/);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });
  });
});

describe.each(backends)('without REFRESH_REUSE_GRACE (the default) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  it('ends the session at the first reuse and keeps no pair for it', async () => {
    const a = await signedInUser(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(res.statusCode).toBe(200);
    const [row] = await t.database.db.query<{ successor_box: Uint8Array | null }>(
      'SELECT successor_box FROM refresh_tokens WHERE token_hash = $1',
      [hashRefreshToken(a.refreshToken)],
    );
    expect(row?.successor_box).toBeNull();
    const again = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expectEnvelope(again, 'UNAUTHORIZED', /already used/);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });
  });
});

describe('REFRESH_REUSE_GRACE validation', () => {
  it('is 0 (off) by default and at most 60 seconds', () => {
    expect(loadConfig({}).refreshReuseGrace).toBe(0);
    expect(loadConfig({ REFRESH_REUSE_GRACE: '5' }).refreshReuseGrace).toBe(5);
    expect(() => loadConfig({ REFRESH_REUSE_GRACE: '61' })).toThrow(ConfigError);
    expect(() => loadConfig({ REFRESH_REUSE_GRACE: '-1' })).toThrow(
      /REFRESH_REUSE_GRACE must be a whole number/,
    );
  });
});
