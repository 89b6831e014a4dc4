import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backends, embeddedPool, type TestDatabase } from '../support/backends.js';

/**
 * The embedded test databases are reused (test/support/backends.ts): every other file trusts
 * that what it opens looks like a fresh copy of the migrated template. These are the cases
 * where reuse could hand on something else.
 */
const embedded = backends.find((b) => b.name === 'pglite');
if (!embedded) throw new Error('the embedded backend is always configured');

const pgliteOf = (t: TestDatabase) => (t.db as unknown as { pglite: object }).pglite;

async function writeSomething(t: TestDatabase): Promise<void> {
  await t.db.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, 'reused@example.test', 'x')`, [
    randomUUID(),
  ]);
  await t.db.query(`INSERT INTO audit_events (action) VALUES ('test.written'), ('test.written')`);
}

describe('embedded test databases', () => {
  it('hands on a used database emptied, with its sequences restarted and its settings reset', async () => {
    const first = await embedded.open();
    await writeSomething(first);
    await first.db.exec(`SET statement_timeout = '1234ms'`);
    await first.dispose();

    const second = await embedded.open();
    try {
      expect(pgliteOf(second)).toBe(pgliteOf(first));
      expect(await second.db.query('SELECT id FROM users')).toEqual([]);
      expect(
        await second.db.query(
          `INSERT INTO audit_events (action) VALUES ('test.after') RETURNING id::text AS id`,
        ),
      ).toEqual([{ id: '1' }]);
      expect(await second.db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '0' }]);
    } finally {
      await second.dispose();
    }
  });

  it('closes a database whose schema a test changed instead of handing it on', async () => {
    const changed = await embedded.open();
    await changed.db.exec('CREATE TABLE test_extra (n int)');
    await changed.dispose();
    expect((pgliteOf(changed) as { closed: boolean }).closed).toBe(true);
    expect(embeddedPool.idle).not.toContain(pgliteOf(changed));

    const next = await embedded.open();
    try {
      expect(pgliteOf(next)).not.toBe(pgliteOf(changed));
      expect(
        await next.db.query(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = 'test_extra'`,
        ),
      ).toEqual([]);
    } finally {
      await next.dispose();
    }
  });

  it('gives each open its own Database, so a patch to one never reaches the next', async () => {
    const patched = await embedded.open();
    const instance = pgliteOf(patched);
    Object.assign(patched.db, {
      query: async () => {
        throw new Error('patched by a test');
      },
    });
    await patched.dispose();

    const next = await embedded.open();
    try {
      expect(pgliteOf(next)).toBe(instance);
      expect(await next.db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await next.dispose();
    }
  });

  it('does not hand on a database its user closed, and disposing twice keeps one copy', async () => {
    const closed = await embedded.open();
    await closed.db.close();
    await closed.dispose();
    expect(embeddedPool.idle).not.toContain(pgliteOf(closed));

    const twice = await embedded.open();
    await twice.dispose();
    await twice.dispose();
    expect(embeddedPool.idle.filter((p) => p === pgliteOf(twice))).toHaveLength(1);
  });
});
