import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/domain/passwords.js';
import { backends } from '../support/backends.js';
import { expectEnvelope, PASSWORD, startTestApp, type TestApp, uniqueEmail } from '../support/harness.js';

describe.each(backends)('POST /auth/register on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const registerWith = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/auth/register', payload: payload as string, headers });

  const registeredEvents = async () =>
    (await t.store.listAuditEvents({ limit: 10_000 })).filter((e) => e.action === 'user.registered');

  /** Asserts the request left no trace: no account for the email, no new audit event. */
  async function expectNothingInserted(email: string, eventsBefore: number) {
    expect(await t.store.findUserByEmail(email.trim().toLowerCase())).toBeNull();
    expect(await registeredEvents()).toHaveLength(eventsBefore);
  }

  describe('201: creates the account', () => {
    it('answers {user} with roles ["user"] and no password or hash', async () => {
      const email = uniqueEmail();
      const res = await registerWith({ email, password: PASSWORD, name: 'Ada' });
      expect(res.statusCode, res.body).toBe(201);
      const { user } = res.json();
      expect(user).toEqual({
        id: expect.any(String),
        email,
        name: 'Ada',
        roles: ['user'],
        emailVerified: false,
      });
      expect(Object.keys(res.json())).toEqual(['user']);
      expect(res.body).not.toContain(PASSWORD);
      expect(res.body).not.toMatch(/argon2|passwordHash|password_hash/i);
    });

    it('stores the account with an argon2id hash of the password, never the password itself', async () => {
      const email = uniqueEmail();
      const { user } = (await registerWith({ email, password: PASSWORD })).json();
      const stored = await t.store.findUserByEmail(email);
      expect(stored).toMatchObject({ id: user.id, email, name: null, roles: ['user'] });
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(stored?.passwordHash).not.toContain(PASSWORD);
      expect(await verifyPassword(stored?.passwordHash as string, PASSWORD)).toBe(true);
    });

    it('normalises the email to lower case', async () => {
      const email = uniqueEmail('MiXeD.Case');
      const res = await registerWith({ email, password: PASSWORD });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().user.email).toBe(email.toLowerCase());
      expect(await t.store.findUserByEmail(email.toLowerCase())).not.toBeNull();
    });

    it('trims the name, and stores a blank name as null', async () => {
      const trimmed = await registerWith({ email: uniqueEmail(), password: PASSWORD, name: '  Grace  ' });
      expect(trimmed.json().user.name).toBe('Grace');
      const blank = await registerWith({ email: uniqueEmail(), password: PASSWORD, name: '   ' });
      expect(blank.json().user.name).toBeNull();
    });

    it('records a user.registered audit event with the address and user agent', async () => {
      const res = await registerWith(
        { email: uniqueEmail(), password: PASSWORD },
        { 'user-agent': 'register-test' },
      );
      const { user } = res.json();
      const events = await t.store.listAuditEvents({ userId: user.id, limit: 10 });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'user.registered',
        actorUserId: user.id,
        targetUserId: user.id,
        sessionIds: [],
        userAgent: 'register-test',
        details: { roles: ['user'] },
      });
      expect(events[0]?.ip).toBeTruthy();
    });

    it('opens no session: the new account must log in', async () => {
      const res = await registerWith({ email: uniqueEmail(), password: PASSWORD });
      expect(res.json()).not.toHaveProperty('accessToken');
      expect(await t.store.listActiveSessions(res.json().user.id)).toEqual([]);
    });
  });

  describe('409: the email is taken', () => {
    it.each([
      ['the same email', (e: string) => e],
      ['the email in other letter case', (e: string) => e.toUpperCase()],
    ])('for %s, and keeps the first account', async (_label, variant) => {
      const email = uniqueEmail();
      const first = (await registerWith({ email, password: PASSWORD, name: 'First' })).json().user;
      const before = (await registeredEvents()).length;

      const res = await registerWith({ email: variant(email), password: 'another fine passphrase' });
      expectEnvelope(res, 'CONFLICT', /already exists/);

      const stored = await t.store.findUserByEmail(email);
      expect(stored).toMatchObject({ id: first.id, name: 'First' });
      expect(await verifyPassword(stored?.passwordHash as string, PASSWORD)).toBe(true);
      expect(await registeredEvents()).toHaveLength(before);
    });
  });

  it('lets exactly one of several parallel registrations of one email through', async () => {
    const email = uniqueEmail();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        registerWith({ email: i % 2 ? email.toUpperCase() : email, password: PASSWORD }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expectEnvelope(r, 'CONFLICT');
    const created = results.find((r) => r.statusCode === 201)?.json().user;
    expect((await t.store.findUserByEmail(email))?.id).toBe(created.id);
    const events = (await registeredEvents()).filter((e) => e.targetUserId === created.id);
    expect(events).toHaveLength(1);
  });

  describe('422: a readable body that breaks a rule creates nothing', () => {
    const email = 'rules.test@example.test';
    it.each([
      ['an email that is not an email', { email: 'not-an-email', password: PASSWORD }, '/email', /email/],
      ['an email with spaces', { email: 'a b@example.test', password: PASSWORD }, '/email', /email/],
      ['a password too short', { email, password: 'Ab1!xyz' }, '/password', /at least 8/],
      ['a common password', { email, password: 'Password123' }, '/password', /too easy to guess: .+/],
      ['a keyboard row', { email, password: 'qwertyui' }, '/password', /too easy to guess: .+/],
      ['a repeated group', { email, password: 'abcdabcd' }, '/password', /too easy to guess: a repeated/],
      [
        'eight different lone surrogates',
        { email, password: '\uD800\uD801\uD802\uD803\uDC00\uDC01\uDC02\uDC03' },
        '/password',
        /valid Unicode/,
      ],
      [
        'a lone surrogate inside a passphrase',
        { email, password: `${PASSWORD}\uDC00` },
        '/password',
        /valid Unicode/,
      ],
      ['a password of too few characters', { email, password: 'aaaaaaaaaaab' }, '/password', /4 different/],
      ['the email as the password', { email, password: email.toUpperCase() }, '/password', /email/],
      ['the email name as the password', { email, password: 'rules.test' }, '/password', /email/],
      ['an empty password', { email, password: '' }, '/password', /.+/],
      ['an unknown field', { email, password: PASSWORD, admin: true }, '/admin', /not an allowed field/],
      [
        'roles in the body',
        { email, password: PASSWORD, roles: ['admin'] },
        '/roles',
        /not an allowed field/,
      ],
      ['a missing password', { email }, '/password', /is required/],
      ['a missing email', { password: PASSWORD }, '/email', /is required/],
      ['an email of the wrong type', { email: 42, password: PASSWORD }, '/email', /string/],
      ['a name that is too long', { email, password: PASSWORD, name: 'x'.repeat(201) }, '/name', /200/],
    ])('for %s', async (_label, payload, path, message) => {
      const before = (await registeredEvents()).length;
      const body = expectEnvelope(await registerWith(payload), 'VALIDATION_ERROR');
      const details = body.details as { path: string; message: string }[];
      expect(details[0]?.path).toBe(path);
      expect(details[0]?.message).toMatch(message);
      await expectNothingInserted(email, before);
    });
  });

  describe('400: a body that cannot be read creates nothing', () => {
    it.each([
      ['malformed JSON', '{"email":', 'application/json', /not valid JSON/],
      ['a JSON array', '[]', 'application/json', /JSON object/],
      ['a JSON string', '"x@example.test"', 'application/json', /JSON object/],
      ['JSON null', 'null', 'application/json', /JSON object/],
      ['a form body', 'email=x%40example.test&password=x', 'application/x-www-form-urlencoded', /JSON/],
      ['a text body', 'x@example.test', 'text/plain', /JSON/],
    ])('for %s', async (_label, payload, contentType, description) => {
      const before = (await registeredEvents()).length;
      expectEnvelope(
        await registerWith(payload, { 'content-type': contentType }),
        'INVALID_INPUT',
        description,
      );
      expect(await registeredEvents()).toHaveLength(before);
    });

    it('for no body at all', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/auth/register' });
      expectEnvelope(res, 'INVALID_INPUT', /JSON object/);
    });
  });
});
