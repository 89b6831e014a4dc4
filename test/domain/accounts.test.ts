import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, disableUser, enableUser, setUserPassword } from '../../src/domain/accounts.js';
import type { AdminActor } from '../../src/domain/admin.js';
import { createContext } from '../../src/domain/context.js';
import type { User } from '../../src/domain/model.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  sessionState,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const actor: AdminActor = { origin: { ip: null, userAgent: 'gatehouse-cli' }, operator: 'ops' };

describe.each(backends)('an operator acting on an account, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const inject = (url: string, payload?: unknown, who?: SignedIn) =>
    t.app.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url,
      payload: payload as string,
      headers: who?.headers,
    });
  const me = (who: SignedIn) => inject('/auth/me', undefined, who);
  const refresh = (who: SignedIn) => inject('/auth/refresh', { refreshToken: who.refreshToken });
  const tryLogin = (email: string, password = PASSWORD) => inject('/auth/login', { email, password });
  const audit = async (userId: string) => t.store.listAuditEvents({ userId, limit: 50 });

  /** A user with two sessions. */
  async function userWithSessions(): Promise<{ user: User; phone: SignedIn; laptop: SignedIn }> {
    const registered = await register(t);
    const phone = await login(t, registered.email);
    const laptop = await login(t, registered.email);
    return { user: { ...registered, createdAt: new Date() } as User, phone, laptop };
  }

  describe('disable', () => {
    it('ends every session through the one path (reason user_disabled), audited with the CLI as actor', async () => {
      const { user, phone, laptop } = await userWithSessions();
      const result = await disableUser(t.ctx, user, actor);
      expect(result.changed).toBe(true);
      expect(result.endedSessions.map((s) => s.id).sort()).toEqual(
        [phone.session.id, laptop.session.id].sort(),
      );
      expect(await sessionState(t, phone.session.id)).toEqual({ ended: true, reason: 'user_disabled' });
      expect(t.ctx.revocations.isEnded(laptop.session.id)).toBe(true);
      expectEnvelope(await me(phone), 'UNAUTHORIZED');
      expectEnvelope(await refresh(laptop), 'UNAUTHORIZED');
      const events = await audit(user.id);
      expect(events.find((e) => e.action === 'user.disabled')).toMatchObject({
        reason: 'admin',
        actorUserId: null,
        targetUserId: user.id,
        userAgent: 'gatehouse-cli',
        details: { operator: 'ops' },
      });
      expect(events.find((e) => e.action === 'session.ended')).toMatchObject({
        reason: 'user_disabled',
        actorUserId: null,
        targetUserId: user.id,
      });
    });

    it('refuses a login with the right password exactly as a wrong one, and changes nothing when repeated', async () => {
      const { user } = await userWithSessions();
      await disableUser(t.ctx, user, actor);
      const right = await tryLogin(user.email);
      const wrong = await tryLogin(user.email, 'not the password at all');
      expectEnvelope(right, 'UNAUTHORIZED', 'Invalid email or password');
      expect(right.body).toBe(wrong.body);
      const before = (await audit(user.id)).length;
      expect(await disableUser(t.ctx, user, actor)).toEqual({ changed: false, endedSessions: [] });
      expect(await audit(user.id)).toHaveLength(before);
    });

    it('refuses the refresh of a session that outlived the disabling', async () => {
      const { user, phone } = await userWithSessions();
      await t.store.setUserDisabled(user.id, true); // the row alone, as if a session had slipped through
      expectEnvelope(await refresh(phone), 'UNAUTHORIZED', 'Session has ended');
    });

    it('is undone by enable: logins work again, ended sessions stay ended', async () => {
      const { user, phone } = await userWithSessions();
      await disableUser(t.ctx, user, actor);
      expect(await enableUser(t.ctx, user, actor)).toEqual({ changed: true, endedSessions: [] });
      expect((await tryLogin(user.email)).statusCode).toBe(200);
      expectEnvelope(await me(phone), 'UNAUTHORIZED');
      expect((await audit(user.id)).some((e) => e.action === 'user.enabled')).toBe(true);
      expect((await enableUser(t.ctx, user, actor)).changed).toBe(false);
    });
  });

  describe('delete', () => {
    it('ends every session (reason user_deleted), removes the account and frees its email', async () => {
      const { user, phone, laptop } = await userWithSessions();
      const result = await deleteUser(t.ctx, user, actor);
      expect(result.endedSessions).toHaveLength(2);
      expect(await t.store.findUserById(user.id)).toBeNull();
      expectEnvelope(await me(phone), 'UNAUTHORIZED');
      expectEnvelope(await refresh(laptop), 'UNAUTHORIZED');
      expectEnvelope(await tryLogin(user.email), 'UNAUTHORIZED');
      expect((await audit(user.id)).map((e) => [e.action, e.reason])).toEqual(
        expect.arrayContaining([
          ['user.deleted', 'admin'],
          ['session.ended', 'user_deleted'],
        ]),
      );
      const again = await register(t, user.email);
      expect(again.id).not.toBe(user.id);
    });

    it('keeps the ended sessions, so an instance started afterwards still refuses their tokens', async () => {
      const { user, phone } = await userWithSessions();
      await deleteUser(t.ctx, user, actor);
      expect(await sessionState(t, phone.session.id)).toEqual({ ended: true, reason: 'user_deleted' });
      const restarted = await createContext(t.store, t.ctx.settings);
      expect(restarted.revocations.isEnded(phone.session.id)).toBe(true);
    });

    it('answers 404 for an account that is already gone', async () => {
      const { user } = await userWithSessions();
      await deleteUser(t.ctx, user, actor);
      await expect(deleteUser(t.ctx, user, actor)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('set password', () => {
    it('stores the new password and ends every session (reason password_changed)', async () => {
      const { user, phone, laptop } = await userWithSessions();
      const result = await setUserPassword(t.ctx, user, 'a brand new passphrase', actor);
      expect(result.endedSessions).toHaveLength(2);
      expect(await sessionState(t, phone.session.id)).toEqual({ ended: true, reason: 'password_changed' });
      expectEnvelope(await refresh(laptop), 'UNAUTHORIZED');
      expectEnvelope(await tryLogin(user.email), 'UNAUTHORIZED');
      expect((await tryLogin(user.email, 'a brand new passphrase')).statusCode).toBe(200);
      expect((await audit(user.id)).find((e) => e.action === 'user.password_changed')).toMatchObject({
        actorUserId: null,
        details: { operator: 'ops' },
      });
    });

    it('refuses a weak password (422) and changes nothing', async () => {
      const { user, phone } = await userWithSessions();
      await expect(setUserPassword(t.ctx, user, 'password', actor)).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
      expect((await me(phone)).statusCode).toBe(200);
      expect((await tryLogin(user.email)).statusCode).toBe(200);
    });
  });
});
