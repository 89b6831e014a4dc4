/**
 * Session policy stored by an operator (`gatehouse policy set`, src/domain/policy-settings.ts):
 * validated as a whole, stored durably, audited, and in force in the instance at once.
 * Propagation to other running instances is in test/cli/policy.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdminActor } from '../../src/domain/admin.js';
import { AppError } from '../../src/domain/errors.js';
import { applyStoredPolicy, type PolicyEdit, setPolicy } from '../../src/domain/policy-settings.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  PASSWORD,
  register,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

const OPERATOR: AdminActor = { origin: { ip: null, userAgent: 'gatehouse-cli' }, operator: 'ops' };

describe.each(backends)('stored session policy on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // This instance's own environment: a limit of 3, evicting.
    t = await startTestApp(backend, { MAX_SESSIONS_PER_USER: '3', SESSION_IDLE_TTL: '86400' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.database.db.query('DELETE FROM policy_settings');
    await applyStoredPolicy(t.ctx);
  });

  const set = (...edits: PolicyEdit[]) => setPolicy(t.ctx, edits, OPERATOR);
  const stored = async () =>
    Object.fromEntries((await t.store.listPolicySettings()).map((s) => [s.name, s.value]));
  const policyEvents = async () =>
    (await t.store.listAuditEvents({ limit: 100 })).filter((e) => e.action === 'policy.changed');
  const refusal = async (edits: PolicyEdit[]) => {
    const err = await set(...edits).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };
  const logIn = (email: string) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: PASSWORD } });

  it('stores the setting, applies it in this instance at once, and records who changed what', async () => {
    const before = (await policyEvents()).length;
    const { policy, changes } = await set(
      { setting: 'MAX_SESSIONS_PER_USER', value: '1' },
      { setting: 'SESSION_LIMIT_POLICY', value: 'deny' },
    );
    expect(changes).toEqual([
      { setting: 'MAX_SESSIONS_PER_USER', from: null, to: '1' },
      { setting: 'SESSION_LIMIT_POLICY', from: null, to: 'deny' },
    ]);
    expect(policy).toMatchObject({ maxPerUser: 1, limitPolicy: 'deny', idleTtl: 86_400 });
    expect(t.ctx.settings.policy).toEqual(policy);
    expect(await stored()).toEqual({ MAX_SESSIONS_PER_USER: '1', SESSION_LIMIT_POLICY: 'deny' });
    const events = await policyEvents();
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      action: 'policy.changed',
      actorUserId: null,
      targetUserId: null,
      userAgent: 'gatehouse-cli',
      details: { operator: 'ops', changes },
    });

    // In force: a second login is refused (deny), where the environment's policy would evict.
    const user = await register(t, uniqueEmail());
    expect((await logIn(user.email)).statusCode).toBe(200);
    expectEnvelope(await logIn(user.email), 'CONFLICT', /Session limit reached \(1 active sessions\)/);
  });

  it('keeps the environment for what is not stored, and goes back to it when a setting is removed', async () => {
    await set({ setting: 'SESSION_IDLE_TTL', value: '7200' });
    expect(t.ctx.settings.policy).toMatchObject({
      idleTtl: 7200,
      maxPerUser: 3,
      limitPolicy: 'evict_oldest',
    });
    const { changes, policy } = await set({ setting: 'SESSION_IDLE_TTL', value: null });
    expect(changes).toEqual([{ setting: 'SESSION_IDLE_TTL', from: '7200', to: null }]);
    expect(policy).toEqual(t.ctx.settings.basePolicy);
    expect(await stored()).toEqual({});
  });

  it('stores a value as the policy reads it, and writes nothing when nothing changes', async () => {
    await set(
      { setting: 'FRESH_AUTH_MAX_AGE', value: ' 0300 ' },
      { setting: 'MAX_SESSIONS_PER_USER', value: 'UNLIMITED' },
    );
    expect(await stored()).toEqual({ FRESH_AUTH_MAX_AGE: '300', MAX_SESSIONS_PER_USER: 'unlimited' });
    expect(t.ctx.settings.policy).toMatchObject({ freshAuthMaxAge: 300, maxPerUser: null });
    const events = (await policyEvents()).length;
    const again = await set({ setting: 'FRESH_AUTH_MAX_AGE', value: '300' });
    expect(again.changes).toEqual([]);
    expect(await policyEvents()).toHaveLength(events);
  });

  const bad: [string, PolicyEdit[], RegExp][] = [
    [
      'an unknown limit policy',
      [{ setting: 'SESSION_LIMIT_POLICY', value: 'newest' }],
      /^SESSION_LIMIT_POLICY must be one of evict_oldest, deny \(got "newest"\) \(stored by gatehouse policy set\)$/,
    ],
    [
      'a duration that is not a number',
      [{ setting: 'SESSION_IDLE_TTL', value: 'soon' }],
      /^SESSION_IDLE_TTL must be a whole number from 60 to 31536000 \(got "soon"\)/,
    ],
    [
      'a limit of zero',
      [{ setting: 'MAX_SESSIONS_PER_USER', value: '0' }],
      /^MAX_SESSIONS_PER_USER must be a whole number from 1 to 100000/,
    ],
    [
      'a fresh-proof age too short',
      [{ setting: 'FRESH_AUTH_MAX_AGE', value: '5' }],
      /^FRESH_AUTH_MAX_AGE must be a whole number from 10 to 86400/,
    ],
    [
      'a short lifetime longer than the absolute one',
      [{ setting: 'SESSION_SHORT_TTL', value: String(40 * 86_400) }],
      /^SESSION_SHORT_TTL must not be longer than SESSION_ABSOLUTE_TTL/,
    ],
    [
      'an idle timeout shorter than a token plus a flush',
      [{ setting: 'SESSION_IDLE_TTL', value: '600' }],
      /^SESSION_IDLE_TTL must be at least ACCESS_TOKEN_TTL plus SESSION_ACTIVITY_FLUSH_MS/,
    ],
  ];
  it.each(bad)('refuses %s, naming the setting, and stores nothing', async (_, edits, message) => {
    const events = (await policyEvents()).length;
    const err = await refusal(edits);
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.description).toMatch(message);
    expect(err.details).toEqual([{ path: `/${edits[0]?.setting}`, message: expect.stringMatching(message) }]);
    expect(await stored()).toEqual({});
    expect(await policyEvents()).toHaveLength(events);
    expect(t.ctx.settings.policy).toEqual(t.ctx.settings.basePolicy);
  });

  it('validates an edit together with what is already stored', async () => {
    await set({ setting: 'SESSION_SHORT_TTL', value: String(20 * 86_400) });
    // Alone a 10-day lifetime is fine; with the stored 20-day short lifetime it is not.
    const err = await refusal([{ setting: 'SESSION_ABSOLUTE_TTL', value: String(10 * 86_400) }]);
    expect(err.description).toMatch(/SESSION_SHORT_TTL must not be longer than SESSION_ABSOLUTE_TTL/);
    expect(await stored()).toEqual({ SESSION_SHORT_TTL: String(20 * 86_400) });
    // Both at once is a valid policy.
    await set(
      { setting: 'SESSION_ABSOLUTE_TTL', value: String(10 * 86_400) },
      { setting: 'SESSION_SHORT_TTL', value: String(86_400) },
    );
    expect(t.ctx.settings.policy).toMatchObject({ absoluteTtl: 864_000, shortTtl: 86_400 });
  });

  it('lets two operators change it at once without making an invalid policy together', async () => {
    // Each alone is valid; together the short lifetime would outlast the absolute one.
    const results = await Promise.allSettled([
      set({ setting: 'SESSION_SHORT_TTL', value: String(20 * 86_400) }),
      set({ setting: 'SESSION_ABSOLUTE_TTL', value: String(10 * 86_400) }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const { policy, problems } = await applyStoredPolicy(t.ctx);
    expect(problems).toEqual([]);
    expect(policy.shortTtl).toBeLessThanOrEqual(policy.absoluteTtl);
  });

  it('does not apply a stored policy that no longer holds with this environment, and says why', async () => {
    await t.database.db.query("INSERT INTO policy_settings (name, value) VALUES ('SESSION_IDLE_TTL', '120')");
    const { problems } = await applyStoredPolicy(t.ctx);
    expect(problems).toEqual([
      'SESSION_IDLE_TTL must be at least ACCESS_TOKEN_TTL plus SESSION_ACTIVITY_FLUSH_MS (a session in use must not look idle) (stored by gatehouse policy set)',
    ]);
    expect(t.ctx.settings.policy).toEqual(t.ctx.settings.basePolicy);
    // The operator can still fix it.
    await set({ setting: 'SESSION_IDLE_TTL', value: null });
    expect((await applyStoredPolicy(t.ctx)).problems).toEqual([]);
  });
});
