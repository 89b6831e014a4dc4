import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndReason, NewAuditEvent } from '../../src/domain/model.js';
import { hashRefreshToken, newRefreshToken } from '../../src/domain/tokens.js';
import {
  loadMigrations,
  MigrationMismatchError,
  migrate,
  migrationChecksum,
} from '../../src/storage/migrate.js';
import { createStore, type Store } from '../../src/storage/store.js';
import { backends, type TestDatabase } from '../support/backends.js';

/** One contract, every backend: the same SQL must mean the same on PGlite and PostgreSQL. */
describe.each(backends)('store contract on $name', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await backend.open();
    store = createStore(database.db);
  });
  afterAll(() => database.dispose());

  let n = 0;
  const newUser = async (email = `u${++n}.${randomUUID()}@example.test`) => {
    const u = await store.insertUser({
      id: randomUUID(),
      email,
      name: null,
      passwordHash: 'h',
      roles: ['user'],
    });
    if (!u) throw new Error('user not inserted');
    return u;
  };
  const newSession = (userId: string, expiresAt = new Date(Date.now() + 3600_000)) =>
    store.insertSession({ id: randomUUID(), userId, expiresAt, ip: '10.0.0.1', userAgent: 'ua' });

  it('applies migrations once: a second run applies nothing', async () => {
    expect(await migrate(database.db)).toEqual([]);
  });

  it('records each migration with the checksum of its text', async () => {
    const rows = await database.db.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(loadMigrations().map((m) => ({ name: m.name, checksum: migrationChecksum(m.sql) })));
  });

  it('refuses to start on an applied migration whose file was edited, naming it, and changes nothing', async () => {
    const [first, ...rest] = loadMigrations();
    const edited = [{ ...first!, sql: `${first!.sql}\n-- edited after it was applied\n` }, ...rest];
    const err = await migrate(database.db, edited).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationMismatchError);
    expect((err as Error).message).toContain(`Migration ${first!.name} was changed after it was applied`);
    // A CRLF checkout of the same file is the same migration.
    const crlf = loadMigrations().map((m) => ({ ...m, sql: m.sql.replace(/\n/g, '\r\n') }));
    expect(await migrate(database.db, crlf)).toEqual([]);
  });

  it('refuses a database migrated by a newer version (a migration this code does not know)', async () => {
    const older = loadMigrations().slice(0, -1);
    const err = await migrate(database.db, older).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationMismatchError);
    expect((err as Error).message).toMatch(/does not have: it was migrated by a newer version/);
  });

  it('fills in the checksums of migrations applied before checksums were recorded', async () => {
    await database.db.query('UPDATE schema_migrations SET checksum = NULL');
    expect(await migrate(database.db)).toEqual([]);
    const rows = await database.db.query<{ checksum: string | null }>(
      'SELECT checksum FROM schema_migrations',
    );
    expect(rows.every((r) => r.checksum !== null)).toBe(true);
  });

  it('keeps no index twice: no two on one table with the same columns, expressions and predicate', async () => {
    const twins = await database.db.query<{ indexes: string[] }>(
      `SELECT array_agg(indexrelid::regclass::text ORDER BY indexrelid::regclass::text) AS indexes
       FROM pg_index
       WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
       GROUP BY indrelid, indkey::text, indclass::text, coalesce(pg_get_expr(indexprs, indrelid), ''),
                coalesce(pg_get_expr(indpred, indrelid), ''), indisunique
       HAVING count(*) > 1`,
    );
    expect(twins).toEqual([]);
  });

  it('inserts a user and refuses a second one with the same email', async () => {
    const u = await newUser('same@example.test');
    expect(u).toMatchObject({ email: 'same@example.test', roles: ['user'], name: null });
    expect(u).not.toHaveProperty('passwordHash');
    expect(await newUser('same@example.test').catch((e: Error) => e.message)).toBe('user not inserted');
    expect((await store.findUserByEmail('same@example.test'))?.passwordHash).toBe('h');
  });

  const endById = (ids: string[], reason: EndReason = 'logout') =>
    store.endSessions([{ target: { sessionIds: ids }, reason }]);

  it('ends named sessions once, returning only those it ended', async () => {
    const u = await newUser();
    const [a, b] = [await newSession(u.id), await newSession(u.id)];
    const first = await endById([a.id]);
    expect(first).toEqual([
      { id: a.id, userId: u.id, endedAt: expect.any(Date), reason: 'logout', request: 0 },
    ]);
    expect((await endById([a.id, b.id])).map((s) => s.id)).toEqual([b.id]);
    expect(await endById([a.id, b.id])).toEqual([]);
    expect((await store.findSession(a.id))?.endReason).toBe('logout');
  });

  it("ends every session of a user but the one kept, and no one else's", async () => {
    const [u, other] = [await newUser(), await newUser()];
    const [keep, s1, s2] = [await newSession(u.id), await newSession(u.id), await newSession(u.id)];
    const theirs = await newSession(other.id);
    const ended = await store.endSessions([
      { target: { userId: u.id, exceptSessionId: keep.id }, reason: 'logout_others' },
    ]);
    expect(new Set(ended.map((s) => s.id))).toEqual(new Set([s1.id, s2.id]));
    expect(ended.every((s) => s.reason === 'logout_others' && s.request === 0)).toBe(true);
    expect((await store.listActiveSessions(u.id)).map((s) => s.id)).toEqual([keep.id]);
    expect((await store.findSession(theirs.id))?.endedAt).toBeNull();
  });

  it('ends many requests in one call, each session once, with its request and reason', async () => {
    const [u, v, w] = [await newUser(), await newUser(), await newUser()];
    const [u1, u2] = [await newSession(u.id), await newSession(u.id)];
    const [v1, v2, v3] = [await newSession(v.id), await newSession(v.id), await newSession(v.id)];
    const w1 = await newSession(w.id);
    const ended = await store.endSessions([
      { target: { sessionIds: [u1.id] }, reason: 'logout' }, // 0
      { target: { sessionIds: [u1.id] }, reason: 'revoked' }, // 1: the same session again
      { target: { userId: v.id, exceptSessionId: v1.id }, reason: 'logout_others' }, // 2
      { target: { sessionIds: [v1.id, u2.id] }, reason: 'admin' }, // 3
      { target: { userId: w.id }, reason: 'logout_all' }, // 4
      { target: { sessionIds: [randomUUID()] }, reason: 'logout' }, // 5: no such session
    ]);
    const byId = new Map(ended.map((s) => [s.id, s]));
    expect(ended).toHaveLength(6);
    expect(byId.size).toBe(6);
    // u1 named twice: ended once, by one of the two, with that one's reason.
    const u1End = byId.get(u1.id);
    expect([0, 1]).toContain(u1End?.request);
    expect(u1End?.reason).toBe(u1End?.request === 0 ? 'logout' : 'revoked');
    expect(byId.get(v2.id)).toMatchObject({ request: 2, reason: 'logout_others', userId: v.id });
    expect(byId.get(v3.id)).toMatchObject({ request: 2, reason: 'logout_others' });
    expect(byId.get(v1.id)).toMatchObject({ request: 3, reason: 'admin' });
    expect(byId.get(u2.id)).toMatchObject({ request: 3, reason: 'admin', userId: u.id });
    expect(byId.get(w1.id)).toMatchObject({ request: 4, reason: 'logout_all', userId: w.id });
    for (const s of ended) expect((await store.findSession(s.id))?.endReason).toBe(s.reason);
    expect(await store.endSessions([{ target: { userId: v.id }, reason: 'logout_all' }])).toEqual([]);
  });

  it('ends nothing, and sends no statement, for no requests', async () => {
    expect(await store.endSessions([])).toEqual([]);
  });

  it('writes several audit events in one call, keeping each one whole', async () => {
    const [u, v] = [await newUser(), await newUser()];
    const [a, b] = [await newSession(u.id), await newSession(u.id)];
    const whole: NewAuditEvent = {
      action: 'session.ended',
      reason: 'logout',
      actorUserId: u.id,
      targetUserId: u.id,
      sessionIds: [a.id, b.id],
      ip: '10.0.0.9',
      userAgent: 'agent "quoted" \\ ünïcode',
      details: { scope: 'all', nested: { n: 1 } },
    };
    await store.insertAuditEvents([
      whole,
      {
        action: 'session.ended',
        reason: 'admin',
        actorUserId: null,
        targetUserId: v.id,
        sessionIds: [],
        ip: null,
        userAgent: null,
        details: {},
      },
    ]);
    expect(await store.listAuditEvents({ userId: u.id, limit: 10 })).toEqual([
      { id: expect.any(String), at: expect.any(Date), ...whole },
    ]);
    expect(await store.listAuditEvents({ userId: v.id, limit: 10 })).toMatchObject([
      { reason: 'admin', actorUserId: null, sessionIds: [], ip: null, userAgent: null, details: {} },
    ]);
    await store.insertAuditEvents([]);
  });

  it('lists active sessions only: not ended, not expired', async () => {
    const u = await newUser();
    const live = await newSession(u.id);
    await newSession(u.id, new Date(Date.now() - 1000));
    const ended = await newSession(u.id);
    await endById([ended.id]);
    expect((await store.listActiveSessions(u.id)).map((s) => s.id)).toEqual([live.id]);
  });

  it('finds sessions ended since a time (the catch-up query)', async () => {
    const u = await newUser();
    const s = await newSession(u.id);
    const before = new Date(Date.now() - 1000);
    await endById([s.id], 'revoked');
    const since = await store.sessionsEndedSince(before);
    expect(since.ids).toContain(s.id);
    expect(since.endedAtMs).toHaveLength(since.ids.length);
    // The end, read as epoch milliseconds, is the instant the database holds.
    const [row] = await database.db.query<{ ended_at: Date }>('SELECT ended_at FROM sessions WHERE id = $1', [
      s.id,
    ]);
    const end = since.endedAtMs[since.ids.indexOf(s.id)];
    expect(Number.isInteger(end)).toBe(true);
    expect(Math.abs((end ?? 0) - (row?.ended_at.getTime() ?? -1))).toBeLessThan(1);
    expect((await store.sessionsEndedSince(new Date(Date.now() + 60_000))).ids).not.toContain(s.id);
  });

  it('pairs each session the catch-up finds with its own end, and finds none when none ended', async () => {
    expect(await store.sessionsEndedSince(new Date(Date.now() + 3_600_000))).toEqual({
      ids: [],
      endedAtMs: [],
    });
    const u = await newUser();
    const sessions = await Promise.all(Array.from({ length: 5 }, () => newSession(u.id)));
    const before = new Date(Date.now() - 1000);
    // Five different ends, so that an id read beside another session's end is caught.
    for (const [i, s] of sessions.entries())
      await database.db.query(
        `UPDATE sessions SET ended_at = now() - make_interval(secs => $2), end_reason = 'revoked' WHERE id = $1`,
        [s.id, i * 0.25],
      );
    const rows = await database.db.query<{ id: string; ended_at: Date }>(
      'SELECT id, ended_at FROM sessions WHERE id = ANY($1)',
      [sessions.map((s) => s.id)],
    );
    const { ids, endedAtMs } = await store.sessionsEndedSince(before);
    const found = new Map(ids.map((id, i) => [id, endedAtMs[i] as number]));
    for (const row of rows)
      expect(Math.abs((found.get(row.id) ?? 0) - row.ended_at.getTime())).toBeLessThan(1);
  });

  it('stores refresh tokens by hash and records rotation', async () => {
    const u = await newUser();
    const s = await newSession(u.id);
    const t = newRefreshToken();
    await store.insertRefreshToken(t.hash, s.id, s.expiresAt);
    const row = await store.transaction((tx) => tx.lockRefreshToken(hashRefreshToken(t.token)));
    expect(row).toEqual({
      sessionId: s.id,
      expiresAt: s.expiresAt,
      rotatedAt: null,
      successorBox: null,
      replayedAt: null,
    });
    await store.markRefreshTokenRotated(t.hash);
    expect((await store.transaction((tx) => tx.lockRefreshToken(t.hash)))?.rotatedAt).toBeInstanceOf(Date);
    expect(await store.transaction((tx) => tx.lockRefreshToken(newRefreshToken().hash))).toBeNull();
    expect(await store.findRefreshToken(newRefreshToken().hash)).toBeNull();
  });

  it("keeps a rotated refresh token's sealed successor and when it was handed out again", async () => {
    const u = await newUser();
    const s = await newSession(u.id);
    const t = newRefreshToken();
    await store.insertRefreshToken(t.hash, s.id, s.expiresAt);
    const box = Buffer.from([1, 2, 3, 0, 255]);
    await store.markRefreshTokenRotated(t.hash, box);
    const rotated = await store.findRefreshToken(t.hash);
    expect(rotated?.successorBox).toEqual(box);
    expect(rotated?.replayedAt).toBeNull();
    await store.markRefreshTokenReplayed(t.hash);
    expect((await store.findRefreshToken(t.hash))?.replayedAt).toBeInstanceOf(Date);
  });

  it('rolls a transaction back entirely when it throws', async () => {
    const u = await newUser();
    const s = await newSession(u.id);
    await expect(
      store.transaction(async (tx) => {
        await tx.endSessions([{ target: { sessionIds: [s.id] }, reason: 'logout' }]);
        await tx.insertAuditEvent({
          action: 'session.ended',
          reason: 'logout',
          actorUserId: u.id,
          targetUserId: u.id,
          sessionIds: [s.id],
          ip: null,
          userAgent: null,
          details: {},
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store.findSession(s.id))?.endedAt).toBeNull();
    expect(await store.listAuditEvents({ userId: u.id, limit: 10 })).toEqual([]);
  });

  it('records audit events and filters them by user and time, newest first', async () => {
    const [u, other] = [await newUser(), await newUser()];
    const event = (action: string, target: string) =>
      store.insertAuditEvent({
        action,
        reason: null,
        actorUserId: null,
        targetUserId: target,
        sessionIds: [],
        ip: '10.0.0.2',
        userAgent: 'ua',
        details: { n: action },
      });
    await event('a.first', u.id);
    await event('a.second', u.id);
    await event('b.other', other.id);
    const mine = await store.listAuditEvents({ userId: u.id, limit: 10 });
    expect(mine.map((e) => e.action)).toEqual(['a.second', 'a.first']);
    expect(mine[0]).toMatchObject({ ip: '10.0.0.2', details: { n: 'a.second' }, sessionIds: [] });
    expect(
      await store.listAuditEvents({ userId: u.id, since: new Date(Date.now() + 60_000), limit: 10 }),
    ).toEqual([]);
  });

  it("lists a user's events as actor or as target, each once, newest first, within the limit and since", async () => {
    const [u, v] = [await newUser(), await newUser()];
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const rows: [string, string | null, string | null, number][] = [
      ['u.acts.on.v', u.id, v.id, 50],
      ['v.acts.on.u', v.id, u.id, 40],
      ['u.on.self', u.id, u.id, 30],
      ['system.on.u', null, u.id, 20],
      ['v.on.self', v.id, v.id, 10],
    ];
    for (const [action, actor, target, minutesAgo] of rows)
      await database.db.query(
        `INSERT INTO audit_events (at, action, actor_user_id, target_user_id) VALUES ($1, $2, $3, $4)`,
        [at(minutesAgo), action, actor, target],
      );
    const actions = async (filter: Parameters<Store['listAuditEvents']>[0]) =>
      (await store.listAuditEvents(filter)).map((e) => e.action);
    expect(await actions({ userId: u.id, limit: 10 })).toEqual([
      'system.on.u',
      'u.on.self',
      'v.acts.on.u',
      'u.acts.on.v',
    ]);
    expect(await actions({ userId: u.id, limit: 2 })).toEqual(['system.on.u', 'u.on.self']);
    expect(await actions({ userId: u.id, since: at(45), limit: 10 })).toEqual([
      'system.on.u',
      'u.on.self',
      'v.acts.on.u',
    ]);
    expect(await actions({ userId: v.id, limit: 10 })).toEqual(['v.on.self', 'v.acts.on.u', 'u.acts.on.v']);
    // No user: the whole log's newest, and since.
    expect((await actions({ limit: 1 })).length).toBe(1);
    expect(await actions({ since: at(15), limit: 100 })).toContain('v.on.self');
    expect(await actions({ since: at(15), limit: 100 })).not.toContain('system.on.u');
  });

  it("pages a user's active sessions newest first by (created, id), from an exact position", async () => {
    const u = await newUser();
    const other = await newUser();
    const at = new Date(Date.now() - 60_000);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await store.insertSession({
            id: randomUUID(),
            userId: u.id,
            expiresAt: new Date(Date.now() + 3600_000),
            ip: null,
            userAgent: null,
            at: i === 2 ? new Date(at.getTime() + 1) : at,
          })
        ).id,
      );
    await newSession(other.id);
    const ended = await newSession(u.id);
    await store.endSessions([{ target: { sessionIds: [ended.id] }, reason: 'logout' }]);
    await newSession(u.id, new Date(Date.now() - 1000)); // expired
    const expected = [ids[2] as string, ...[ids[0] as string, ids[1] as string].sort().reverse()];
    const first = await store.listSessionsPage(u.id, { after: null, limit: 2 });
    expect(first.map((s) => s.id)).toEqual(expected.slice(0, 2));
    expect(first[0]?.position).toEqual({
      createdAt: expect.stringMatching(/^\d{4}-.*\.\d{6}Z$/),
      id: ids[2],
    });
    expect(Date.parse(first[0]?.position.createdAt as string)).toBe(at.getTime() + 1);
    const rest = await store.listSessionsPage(u.id, { after: first[1]?.position ?? null, limit: 10 });
    expect(rest.map((s) => s.id)).toEqual(expected.slice(2));
  });

  it('stores policy settings, one row a setting, replaced and removed by name', async () => {
    await store.putPolicySetting('SESSION_IDLE_TTL', '3600', 'ops');
    await store.putPolicySetting('SESSION_IDLE_TTL', '7200', 'root');
    await store.putPolicySetting('MAX_SESSIONS_PER_USER', '5', null);
    expect(await store.listPolicySettings()).toEqual([
      { name: 'MAX_SESSIONS_PER_USER', value: '5', updatedAt: expect.any(Date), updatedBy: null },
      { name: 'SESSION_IDLE_TTL', value: '7200', updatedAt: expect.any(Date), updatedBy: 'root' },
    ]);
    await store.deletePolicySetting('SESSION_IDLE_TTL');
    await store.deletePolicySetting('MAX_SESSIONS_PER_USER');
    expect(await store.listPolicySettings()).toEqual([]);
  });

  it('keeps signing keys and retires all but one', async () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'x' };
    await store.insertSigningKey({
      kid: `k1-${n}`,
      alg: 'EdDSA',
      publicJwk: jwk,
      privateJwk: { ...jwk, d: 'd' },
    });
    await store.insertSigningKey({
      kid: `k2-${n}`,
      alg: 'EdDSA',
      publicJwk: jwk,
      privateJwk: { ...jwk, d: 'd' },
    });
    await store.retireSigningKeys(`k2-${n}`);
    const keys = await store.listSigningKeys();
    expect(keys.find((k) => k.kid === `k1-${n}`)?.retiredAt).toBeInstanceOf(Date);
    expect(keys.find((k) => k.kid === `k2-${n}`)?.retiredAt).toBeNull();
    expect(keys.find((k) => k.kid === `k2-${n}`)?.privateJwk).toEqual({ ...jwk, d: 'd' });
  });

  it('lists the instances an ending must wait for: valid leases, or lapsed within the margin, never itself', async () => {
    const [self, valid, recent, lapsed] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const lease = (id: string, ms: number) =>
      database.db.query(
        `INSERT INTO instances (id, address, version, epoch, lease_expires_at, applied_through, feed_lag_ms)
         VALUES ($1, 'h:1', '0.1.0', 2, clock_timestamp() + make_interval(secs => $2 / 1000.0), now(), 3.5)`,
        [id, ms],
      );
    // A margin of 10 s, so that a slow run cannot move "recent" past it.
    await lease(self, 60_000);
    await lease(valid, 60_000);
    await lease(recent, -50);
    await lease(lapsed, -60_000);
    const members = await store.transaction((tx) => tx.barrierMembers(self, 10_000));
    expect(members.map((m) => m.id).sort()).toEqual([valid, recent].sort());
    const v = members.find((m) => m.id === valid);
    expect(v?.epoch).toBe(2);
    expect(v?.remainingMs).toBeGreaterThan(0);
    expect(v?.remainingMs).toBeLessThanOrEqual(60_000);
    expect(members.find((m) => m.id === recent)?.remainingMs).toBeLessThan(0);

    const status = await store.leaseStatus([valid, recent, lapsed, randomUUID()], 10_000);
    expect(Object.fromEntries(status.map((st) => [st.id, st.lapsed]))).toEqual({
      [valid]: false,
      [recent]: false,
      [lapsed]: true,
    });

    const listed = await store.listInstances();
    expect(listed.find((i) => i.id === valid)).toMatchObject({
      address: 'h:1',
      version: '0.1.0',
      epoch: 2,
      leaseValid: true,
      feedLagMs: 3.5,
    });
    expect(listed.find((i) => i.id === lapsed)?.leaseValid).toBe(false);
    expect(listed.find((i) => i.id === valid)?.lagMs).toBeGreaterThanOrEqual(0);
  });
});
