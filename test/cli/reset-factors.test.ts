import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newRecoveryCodes } from '../../src/mfa/recovery-codes.js';
import { gatehouse, tempDir, withDomain } from './run-cli.js';

vi.setConfig({ testTimeout: 60_000 });

const dir = tempDir('reset-factors');
const env = { DATA_DIR: dir.path };
const cli = (...args: string[]) => gatehouse(args, env);
const PASSWORD = 'a long enough passphrase';

beforeAll(async () => {
  expect((await cli('migrate')).code).toBe(0);
});
afterAll(() => dir.remove());

/** An account with TOTP enabled, 10 recovery codes and two passkeys, made in the store directly. */
async function accountWithFactors(email: string): Promise<string> {
  const created = await cli('users', 'create', '--email', email, '--password', PASSWORD, '--json');
  expect(created.code, created.stderr).toBe(0);
  const userId = JSON.parse(created.stdout).user.id as string;
  await withDomain(dir.path, async (ctx) => {
    await ctx.store.putPendingTotp(userId, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    await ctx.store.confirmTotp(userId, 1);
    await ctx.store.replaceRecoveryCodes(userId, newRecoveryCodes().hashes);
    for (const name of ['Laptop', 'Phone'])
      await ctx.store.insertPasskey({
        id: randomUUID(),
        userId,
        credentialId: randomUUID(),
        publicKey: new Uint8Array([1, 2, 3]),
        counter: 0,
        transports: [],
        deviceType: 'multiDevice',
        backedUp: true,
        name,
      });
  });
  return userId;
}

describe('gatehouse users reset-factors', () => {
  it('removes TOTP, the recovery codes and the passkeys, prints what it removed, and audits it', async () => {
    const userId = await accountWithFactors('lost@example.com');
    const other = await accountWithFactors('kept@example.com');
    const r = await cli('users', 'reset-factors', '--user', 'lost@example.com');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `Removed from lost@example.com (${userId}): TOTP (enabled), 10 recovery codes, 2 passkeys (Laptop, Phone).\n`,
    );
    await withDomain(dir.path, async (ctx) => {
      expect(await ctx.store.findTotp(userId)).toBeNull();
      expect(await ctx.store.countRecoveryCodes(userId)).toBe(0);
      expect(await ctx.store.listPasskeys(userId)).toEqual([]);
      // Nobody else's.
      expect(await ctx.store.countRecoveryCodes(other)).toBe(10);
      expect(await ctx.store.listPasskeys(other)).toHaveLength(2);
      const [event] = (await ctx.store.listAuditEvents({ userId, limit: 50 })).filter(
        (e) => e.action === 'mfa.factors_reset',
      );
      expect(event).toMatchObject({
        reason: 'admin',
        actorUserId: null,
        userAgent: 'gatehouse-cli',
        details: { totp: 'enabled', recoveryCodes: 10, passkeys: ['Laptop', 'Phone'] },
      });
      expect(event?.details).toHaveProperty('operator');
    });
  });

  it('--json, and an account with nothing to remove is no error', async () => {
    const r1 = await cli('users', 'create', '--email', 'plain@example.com', '--password', PASSWORD, '--json');
    const id = JSON.parse(r1.stdout).user.id as string;
    const r = await cli('users', 'reset-factors', '--user', id, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      user: { id, email: 'plain@example.com' },
      removed: { totp: null, recoveryCodes: 0, passkeys: [] },
    });
    const text = await cli('users', 'reset-factors', '--user', 'plain@example.com');
    expect(text.stdout).toMatch(/had no second factors; nothing removed/);
  });

  it('exits 1 for an unknown account, and 2 without --user', async () => {
    const unknown = await cli('users', 'reset-factors', '--user', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nobody@example.com/);
    expect((await cli('users', 'reset-factors')).code).toBe(2);
  });
});
