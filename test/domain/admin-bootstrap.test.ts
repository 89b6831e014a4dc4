import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/domain/errors.js';
import { ensureAdmin, register as registerAccount } from '../../src/domain/users.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/server.js';
import { backends } from '../support/backends.js';
import { login, PASSWORD, register, startTestApp, type TestApp, uniqueEmail } from '../support/harness.js';

const OPERATOR_PASSWORD = 'the operator chose this one';

describe.each(backends)('ADMIN_EMAIL at start on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const roleEvents = async (userId: string) =>
    (await t.store.listAuditEvents({ userId, limit: 50 })).filter((e) => e.action === 'user.roles_changed');

  it('refuses to promote an account someone else registered, naming the CLI, and changes nothing', async () => {
    const email = uniqueEmail('takeover');
    const squatter = await register(t, `${email[0]?.toUpperCase()}${email.slice(1)}`, PASSWORD);
    const err = await ensureAdmin(t.ctx, email, OPERATOR_PASSWORD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFLICT');
    expect((err as AppError).message).toContain(`gatehouse users create --email ${email} --admin`);
    const stored = await t.store.findUserById(squatter.id);
    expect(stored?.roles).toEqual(['user']);
    expect(await roleEvents(squatter.id)).toEqual([]);
    // The squatter's own login still says only "user".
    expect((await login(t, email, PASSWORD)).user.roles).toEqual(['user']);
  });

  it('creates the admin with the operator password, and audits the grant with the environment as operator', async () => {
    const email = uniqueEmail('fresh-admin');
    const { user, created } = await ensureAdmin(t.ctx, email, OPERATOR_PASSWORD);
    expect(created).toBe(true);
    expect(user.roles).toEqual(['user', 'admin']);
    expect((await login(t, email, OPERATOR_PASSWORD)).user.roles).toEqual(['user', 'admin']);
    const events = await roleEvents(user.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reason: 'admin',
      actorUserId: null,
      targetUserId: user.id,
      details: { added: ['admin'], roles: ['user', 'admin'], operator: 'ADMIN_EMAIL' },
    });
  });

  it('finds an existing admin on the next start without changing or auditing anything', async () => {
    const email = uniqueEmail('again-admin');
    const first = await ensureAdmin(t.ctx, email, OPERATOR_PASSWORD);
    const again = await ensureAdmin(t.ctx, email, OPERATOR_PASSWORD);
    expect(again).toMatchObject({ created: false, user: { id: first.user.id, roles: ['user', 'admin'] } });
    expect(await roleEvents(first.user.id)).toHaveLength(1);
  });

  it('audits an account created with the admin role by whoever granted it (the CLI)', async () => {
    const user = await registerAccount(
      t.ctx,
      { email: uniqueEmail('cli-admin'), password: PASSWORD, roles: ['user', 'admin'], grantedBy: 'ops' },
      { ip: null, userAgent: 'gatehouse-cli' },
    );
    const events = await roleEvents(user.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ added: ['admin'], operator: 'ops' });
  });

  it('writes no role event for an ordinary registration', async () => {
    const user = await register(t);
    expect(await roleEvents(user.id)).toEqual([]);
  });
});

describe('the server with ADMIN_EMAIL naming an account it did not create', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-admin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start with the way out, and leaves the data directory usable', async () => {
    const env = { DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMITS: 'off' };
    const quiet = createLogger('silent');
    const first = await startServer(loadConfig(env), quiet);
    const reg = await first.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'Admin@Example.com', password: PASSWORD },
    });
    expect(reg.statusCode).toBe(201);
    await first.close();

    const withAdmin = loadConfig({
      ...env,
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: OPERATOR_PASSWORD,
    });
    await expect(startServer(withAdmin, quiet)).rejects.toThrow(
      /gatehouse users create --email admin@example.com --admin/,
    );
    // It let go of the store: the next start (without the variable) opens it.
    const next = await startServer(loadConfig(env), quiet);
    const res = await next.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'admin@example.com', password: PASSWORD },
    });
    expect(res.json().user.roles).toEqual(['user']);
    await next.close();
  }, 90_000); // three starts of the embedded store
});
