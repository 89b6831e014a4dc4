import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/domain/store.js';
import { hashMailToken } from '../../src/mail/tokens.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { createStore, type Store } from '../../src/storage/store.js';
import { backends, type TestDatabase } from '../support/backends.js';

/** The SQL of mail and mailed tokens, on every backend: what the dispatcher and the flows rest on. */
describe.each(backends)('mail outbox and mailed tokens on $name', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await backend.open();
    store = createStore(database.db);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    await database.db.query('DELETE FROM mail_outbox');
  });

  const message = (to = `${randomUUID()}@example.test`): MailMessage => ({
    to,
    subject: 'Subject',
    text: 'text https://x.test/account#verify=abc',
    html: '<p>html</p>',
    link: 'https://x.test/account#verify=abc',
  });
  const queue = async (n: number) => {
    for (let i = 0; i < n; i++) await store.insertMail({ kind: 'verify_email', message: message() });
  };
  const user = async (email = `${randomUUID()}@example.test`) => {
    const u = await store.insertUser({
      id: randomUUID(),
      email,
      name: null,
      passwordHash: 'x',
      roles: ['user'],
    });
    if (!u) throw new Error('not inserted');
    return u;
  };

  it('claims a queued mail with its whole message, counts the attempt, and leases it', async () => {
    const m = message();
    await store.insertMail({ kind: 'password_reset', message: m });
    const [claimed] = await store.claimMails(10, 60_000);
    expect(claimed).toEqual({ id: expect.any(String), kind: 'password_reset', message: m, attempts: 1 });
    // Leased: nobody else claims it until the lease runs out.
    expect(await store.claimMails(10, 60_000)).toEqual([]);
  });

  it('claims again once the lease has run out (the claimer died), and ignores the dead claimer’s late outcome', async () => {
    await queue(1);
    const [first] = await store.claimMails(1, 1);
    await new Promise((r) => setTimeout(r, 20));
    const [second] = await store.claimMails(1, 60_000);
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    await store.markMailSent(first!.id, 1); // the first attempt's outcome, too late
    expect((await store.listMails(1))[0]?.state).toBe('queued');
    await store.markMailSent(second!.id, 2);
    expect((await store.listMails(1))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('a retry waits its delay and keeps the error; dead is final; both clear nothing but what they say', async () => {
    await queue(2);
    const [a, b] = await store.claimMails(2, 60_000);
    await store.scheduleMailRetry(a!.id, 1, 60_000, 'ECONNECTION');
    await store.markMailDead(b!.id, 1, 'gave up');
    expect(await store.claimMails(10, 60_000)).toEqual([]);
    const listed = await store.listMails(10);
    expect(listed.find((m) => m.id === a!.id)).toMatchObject({ state: 'queued', lastError: 'ECONNECTION' });
    expect(listed.find((m) => m.id === b!.id)).toMatchObject({ state: 'dead', lastError: 'gave up' });
    const bodies = await database.db.query<{ id: string; body: unknown }>(
      'SELECT id::text AS id, body FROM mail_outbox',
    );
    expect(bodies.find((r) => r.id === a!.id)?.body).not.toBeNull();
    expect(bodies.find((r) => r.id === b!.id)?.body).toBeNull();
  });

  it('lists the latest first, without bodies', async () => {
    await queue(3);
    const listed = await store.listMails(2);
    expect(listed).toHaveLength(2);
    expect(Number(listed[0]!.id)).toBeGreaterThan(Number(listed[1]!.id));
    expect(Object.keys(listed[0]!)).not.toContain('message');
    expect(JSON.stringify(listed)).not.toContain('#verify=');
  });

  it('moves an account to a new verified address, unless another account has it', async () => {
    const a = await user();
    const b = await user();
    expect(await store.setVerifiedEmail(a.id, b.email)).toBe(false);
    const fresh = `${randomUUID()}@example.test`;
    expect(await store.setVerifiedEmail(a.id, fresh)).toBe(true);
    expect(await store.findUserById(a.id)).toMatchObject({ email: fresh, emailVerified: true });
  });

  it('stores a token by hash, locks it, marks it used, prunes it once expired', async () => {
    const u = await user();
    const hash = hashMailToken(randomUUID());
    const expiresAt = new Date(Date.now() + 1000);
    await store.insertEmailToken({
      hash,
      userId: u.id,
      purpose: 'reset',
      email: u.email,
      passwordStamp: Buffer.from('stamp'),
      expiresAt,
    });
    const row = await store.transaction((tx) => tx.lockEmailToken(hash));
    expect(row).toMatchObject({ userId: u.id, purpose: 'reset', email: u.email, usedAt: null });
    expect(row?.passwordStamp?.toString()).toBe('stamp');
    expect(row?.expiresAt.getTime()).toBe(expiresAt.getTime());
    await store.markEmailTokenUsed(hash);
    expect((await store.lockEmailToken(hash))?.usedAt).toBeInstanceOf(Date);
    expect(await store.pruneEmailTokens(new Date())).toBe(0);
    expect(await store.pruneEmailTokens(new Date(Date.now() + 2000))).toBeGreaterThanOrEqual(1);
    expect(await store.lockEmailToken(hash)).toBeNull();
  });

  if (backend.name === 'postgres')
    it('hands concurrent claimers disjoint mails (SKIP LOCKED)', async () => {
      await queue(60);
      const others = Array.from({ length: 2 }, () =>
        openPostgres({ connectionString: database.databaseUrl as string }),
      );
      try {
        const claimed: string[] = [];
        await Promise.all(
          [store, ...others.map(createStore)].map(async (s) => {
            for (;;) {
              const batch = await s.claimMails(4, 60_000);
              if (batch.length === 0) return;
              claimed.push(...batch.map((m) => m.id));
            }
          }),
        );
        expect(claimed).toHaveLength(60);
        expect(new Set(claimed).size).toBe(60);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    });
});
