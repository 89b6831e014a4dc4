import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPasskey } from '../../src/mfa/model.js';
import { createStore, type Store } from '../../src/storage/store.js';
import { backends, type TestDatabase } from '../support/backends.js';

const hash = (s: string) => createHash('sha256').update(s).digest();

/**
 * Second factors' SQL on every backend: each "use once" is one conditional
 * statement, which the HTTP tests' guarantees (no replay, single use) rest on.
 */
describe.each(backends)('second-factor queries on $name', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await backend.open();
    store = createStore(database.db);
  });
  afterAll(() => database.dispose());

  const user = async () => {
    const u = await store.insertUser({
      id: randomUUID(),
      email: `${randomUUID()}@example.test`,
      name: null,
      passwordHash: 'x',
      roles: ['user'],
    });
    if (!u) throw new Error('not inserted');
    return u.id;
  };
  const passkey = (userId: string, name = 'Key'): NewPasskey => ({
    id: randomUUID(),
    userId,
    credentialId: randomUUID(),
    publicKey: new Uint8Array([1, 2, 3]),
    counter: 0,
    transports: ['internal'],
    deviceType: 'multiDevice',
    backedUp: true,
    name,
  });

  it('a pending enrolment is replaced; a confirmed one is not', async () => {
    const id = await user();
    expect(await store.putPendingTotp(id, 'AAAA')).toBe(true);
    expect(await store.putPendingTotp(id, 'BBBB')).toBe(true);
    expect((await store.findTotp(id))?.secret).toBe('BBBB');
    expect(await store.confirmTotp(id, 100)).toBe(true);
    expect(await store.confirmTotp(id, 101)).toBe(false);
    expect(await store.putPendingTotp(id, 'CCCC')).toBe(false);
    expect(await store.findTotp(id)).toMatchObject({
      secret: 'BBBB',
      lastUsedStep: 100,
      confirmedAt: expect.any(Date),
    });
  });

  it('a time step is used once, and never one at or before the last', async () => {
    const id = await user();
    await store.putPendingTotp(id, 'AAAA');
    expect(await store.useTotpStep(id, 5)).toBe(false); // not confirmed yet
    await store.confirmTotp(id, 10);
    expect(await store.useTotpStep(id, 10)).toBe(false);
    expect(await store.useTotpStep(id, 9)).toBe(false);
    expect(await store.useTotpStep(id, 11)).toBe(true);
    expect(await store.useTotpStep(id, 11)).toBe(false);
    // Two transactions racing with one step: one wins.
    const results = await Promise.all([
      store.transaction((tx) => tx.useTotpStep(id, 12)),
      store.transaction((tx) => tx.useTotpStep(id, 12)),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('recovery codes: replaced as a set, each used once, only by their owner', async () => {
    const a = await user();
    const b = await user();
    await store.replaceRecoveryCodes(a, [hash('one'), hash('two')]);
    await store.replaceRecoveryCodes(b, [hash('three')]);
    expect(await store.useRecoveryCode(b, hash('one'))).toBe(false);
    expect(await store.useRecoveryCode(a, hash('one'))).toBe(true);
    expect(await store.useRecoveryCode(a, hash('one'))).toBe(false);
    expect(await store.countRecoveryCodes(a)).toBe(1);
    await store.replaceRecoveryCodes(a, [hash('four')]);
    expect(await store.useRecoveryCode(a, hash('two'))).toBe(false);
    expect(await store.deleteRecoveryCodes(a)).toBe(1);
    expect(await store.countRecoveryCodes(b)).toBe(1);
  });

  it('passkeys: a credential once; rename and delete only the owner’s', async () => {
    const a = await user();
    const b = await user();
    const p = passkey(a, 'Laptop');
    expect(await store.insertPasskey(p)).toMatchObject({ id: p.id, name: 'Laptop', lastUsedAt: null });
    expect(await store.insertPasskey({ ...passkey(b), credentialId: p.credentialId })).toBeNull();
    expect(await store.renamePasskey(b, p.id, 'Mine now')).toBeNull();
    expect(await store.deletePasskey(b, p.id)).toBe(false);
    expect(await store.renamePasskey(a, p.id, 'Work')).toMatchObject({ name: 'Work' });
    await store.recordPasskeyUse(p.id, 7, false, new Date('2026-01-02T03:04:05Z'));
    expect(await store.findPasskeyByCredentialId(p.credentialId)).toMatchObject({
      userId: a,
      counter: 7,
      backedUp: false,
      transports: ['internal'],
      publicKey: new Uint8Array([1, 2, 3]),
      lastUsedAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(await store.listPasskeyCredentials(a)).toEqual([p.credentialId]);
    expect(await store.deletePasskeys(a)).toEqual(['Work']);
    expect(await store.listPasskeys(a)).toEqual([]);
  });

  it('mfaTokens: counted failures, deleted once', async () => {
    const id = await user();
    const token = hash(randomUUID());
    await store.insertMfaToken(token, {
      userId: id,
      remember: false,
      deviceName: 'Phone',
      failures: 0,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await store.countMfaFailure(token)).toBe(1);
    expect(await store.countMfaFailure(token)).toBe(2);
    expect(await store.transaction((tx) => tx.lockMfaToken(token))).toMatchObject({
      userId: id,
      remember: false,
      deviceName: 'Phone',
      failures: 2,
    });
    await store.deleteMfaToken(token);
    expect(await store.findMfaToken(token)).toBeNull();
    expect(await store.countMfaFailure(token)).toBe(0);
  });

  it('challenges: taken once, only for their purpose; expired ones are swept by the next insert', async () => {
    const id = await user();
    const reg = hash(randomUUID());
    await store.insertChallenge(reg, {
      purpose: 'registration',
      challenge: 'c1',
      userId: id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await store.takeChallenge(reg, 'authentication')).toBeNull();
    expect(await store.takeChallenge(reg, 'registration')).toMatchObject({ challenge: 'c1', userId: id });
    expect(await store.takeChallenge(reg, 'registration')).toBeNull();
    const old = hash(randomUUID());
    await store.insertChallenge(old, {
      purpose: 'authentication',
      challenge: 'c2',
      userId: null,
      expiresAt: new Date(Date.now() - 1),
    });
    await store.insertChallenge(hash(randomUUID()), {
      purpose: 'authentication',
      challenge: 'c3',
      userId: null,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await store.takeChallenge(old, 'authentication')).toBeNull();
  });

  it('deleting an account deletes its factors', async () => {
    const id = await user();
    await store.putPendingTotp(id, 'AAAA');
    await store.replaceRecoveryCodes(id, [hash(randomUUID())]);
    await store.insertPasskey(passkey(id));
    await store.deleteUser(id);
    expect(await store.findTotp(id)).toBeNull();
    expect(await store.countRecoveryCodes(id)).toBe(0);
    expect(await store.listPasskeys(id)).toEqual([]);
  });
});
