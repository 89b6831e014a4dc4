/**
 * GET /auth/sessions a page at a time (docs/api.md §3 and §7): keyset pagination by
 * (createdAt, id), newest first, `limit` and an opaque `cursor`, `current` on every page.
 * Sessions are put in the store directly (logging in hundreds of times would cost argon2 each).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/domain/session-list.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

interface Page {
  sessions: { id: string; createdAt: string; current: boolean }[];
  nextCursor: string | null;
  current: { id: string; current: boolean } | null;
}

const DAY = 86_400_000;

describe.each(backends)('GET /auth/sessions pages on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const get = (who: SignedIn, query = '') =>
    t.app.inject({ method: 'GET', url: `/auth/sessions${query}`, headers: who.headers });
  const page = async (who: SignedIn, query = ''): Promise<Page> => {
    const res = await get(who, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  /** Every page, following the cursor; the ids in the order shown. */
  const walk = async (who: SignedIn, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(who, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.sessions.length).toBeLessThanOrEqual(limit);
      ids.push(...p.sessions.map((s) => s.id));
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    return { ids, pages };
  };
  /** `n` more sessions of the user, created `at` (default: one per millisecond, older than now). */
  const addSessions = async (who: SignedIn, n: number, at?: (i: number) => Date) => {
    const ids: string[] = [];
    const base = Date.now() - 60_000;
    for (let i = 0; i < n; i++) {
      const s = await t.store.insertSession({
        id: randomUUID(),
        userId: who.user.id,
        expiresAt: new Date(Date.now() + DAY),
        ip: '192.0.2.1',
        userAgent: 'paging',
        at: at ? at(i) : new Date(base - i),
      });
      ids.push(s.id);
    }
    return ids;
  };
  /** The user's active sessions, newest first, as the database orders them. */
  const expected = async (who: SignedIn) =>
    (
      await t.database.db.query<{ id: string }>(
        `SELECT id FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND expires_at > now()
         ORDER BY created_at DESC, id DESC`,
        [who.user.id],
      )
    ).map((r) => r.id);

  it('answers 50 by default, newest first, with a cursor to the rest', async () => {
    const a = await signedInUser(t);
    await addSessions(a, 60);
    const all = await expected(a);
    expect(all).toHaveLength(61);
    const first = await page(a);
    expect(first.sessions.map((s) => s.id)).toEqual(all.slice(0, 50));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(a, `?cursor=${first.nextCursor}`);
    expect(second.sessions.map((s) => s.id)).toEqual(all.slice(50));
    expect(second.nextCursor).toBeNull();
    expect((await get(a, `?cursor=${first.nextCursor}`)).headers['cache-control']).toBe('no-store');
  });

  it('shows every session exactly once, in order, whatever the page size', async () => {
    const a = await signedInUser(t);
    await addSessions(a, 24);
    const all = await expected(a);
    for (const limit of [1, 2, 7, 25, 200]) {
      const { ids, pages } = await walk(a, limit);
      expect(ids).toEqual(all);
      expect(pages).toBe(Math.max(1, Math.ceil(all.length / limit)));
    }
  });

  it('breaks ties of creation time by id, across page boundaries', async () => {
    const a = await signedInUser(t);
    const same = new Date(Date.now() - 30_000);
    await addSessions(a, 9, () => same);
    const all = await expected(a);
    expect((await walk(a, 2)).ids).toEqual(all);
    const tied = all.slice(1);
    expect(tied).toEqual([...tied].sort().reverse());
  });

  it('keeps positions to the microsecond (sessions created within one millisecond)', async () => {
    const a = await signedInUser(t);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // created_at 1 µs apart, ids in the opposite order: a cursor rounded to the millisecond would repeat or skip.
    const sorted = [...ids].sort();
    for (const [i, id] of sorted.entries())
      await t.database.db.query(
        `INSERT INTO sessions (id, user_id, expires_at, created_at, last_used_at)
         VALUES ($1, $2, now() + interval '1 day', timestamptz '2026-01-01 00:00:00.000100+00' + $3 * interval '1 microsecond', now())`,
        [id, a.user.id, i],
      );
    const { ids: shown } = await walk(a, 1);
    expect(shown).toEqual([a.session.id, ...sorted.reverse()]);
  });

  it('moves nothing when sessions are opened or ended between pages', async () => {
    const a = await signedInUser(t);
    await addSessions(a, 9);
    const before = await expected(a); // 10: the login's, then 9 older
    const first = await page(a, '?limit=4');
    expect(first.sessions.map((s) => s.id)).toEqual(before.slice(0, 4));
    // Meanwhile: two newer sessions, one ended on the page already shown, one on the next.
    const added = await addSessions(a, 2, () => new Date());
    const endedSeen = before[2] as string;
    const endedUnseen = before[5] as string;
    await t.database.db.query(
      `UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ANY($1::uuid[])`,
      [[endedSeen, endedUnseen]],
    );
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const p = await page(a, `?limit=4&cursor=${cursor}`);
      rest.push(...p.sessions.map((s) => s.id));
      cursor = p.nextCursor;
    }
    expect(rest).toEqual(before.slice(4).filter((id) => id !== endedUnseen));
    for (const id of added) expect(rest).not.toContain(id);
    // A fresh walk sees the world as it is now.
    expect((await walk(a, 4)).ids).toEqual(await expected(a));
  });

  it('shows each session once while others are opened and ended during the walk', async () => {
    const a = await signedInUser(t);
    const stable = await addSessions(a, 20);
    const doomed = await addSessions(a, 10, (i) => new Date(Date.now() - 50_000 - i * 7));
    const opened: string[] = [];
    const openedLate: string[] = [];
    let firstPageAnswered = false;
    let walking = true;
    // Meanwhile, as fast as the store allows: new sessions (newer than any page) and endings.
    const churn = (async () => {
      for (let i = 0; walking || i < doomed.length; i++) {
        if (i < doomed.length)
          await t.database.db.query(
            `UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = $1`,
            [doomed[i]],
          );
        // A minute ahead: newer than every session already listed, whatever the clock's
        // resolution (a Date has milliseconds, the database microseconds).
        if (walking) {
          // Only a session whose insert began after the first page was answered is surely
          // newer than that page; one racing the first page may land on the second.
          const late = firstPageAnswered;
          const ids = await addSessions(a, 1, () => new Date(Date.now() + 60_000));
          opened.push(...ids);
          if (late) openedLate.push(...ids);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await page(a, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...p.sessions.map((s) => s.id));
      firstPageAnswered = true;
      // The walk goes on only once a session newer than the first page exists.
      while (openedLate.length === 0) await new Promise((r) => setTimeout(r, 1));
      cursor = p.nextCursor;
    } while (cursor);
    walking = false;
    await churn;
    expect(opened.length).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of [...stable, a.session.id]) expect(seen).toContain(id);
    // Sessions opened after the first page are newer than it: no later page shows them.
    for (const id of openedLate) expect(seen).not.toContain(id);
  });

  it('still answers from a cursor whose session has since ended (it is a position, not a session)', async () => {
    const a = await signedInUser(t);
    await addSessions(a, 5);
    const all = await expected(a);
    const first = await page(a, '?limit=2');
    await t.database.db.query(`UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = $1`, [
      all[1],
    ]);
    const second = await page(a, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.sessions.map((s) => s.id)).toEqual(all.slice(2, 4));
  });

  it("gives the caller's own session as `current` on every page, wherever the list has it", async () => {
    const a = await signedInUser(t);
    // Newer sessions push the caller's own to the last page.
    await addSessions(a, 5, (i) => new Date(Date.now() + 60_000 + i));
    const first = await page(a, '?limit=2');
    expect(first.sessions.some((s) => s.current)).toBe(false);
    expect(first.current).toMatchObject({ id: a.session.id, current: true });
    const last = await page(a, `?limit=2&cursor=${(await page(a, '?limit=5')).nextCursor}`);
    expect(last.sessions.map((s) => [s.id, s.current])).toEqual([[a.session.id, true]]);
    expect(last.current).toEqual(last.sessions[0]);
  });

  it('fills a page past sessions that have gone idle but are not swept yet', async () => {
    const a = await signedInUser(t);
    const ids = await addSessions(a, 8);
    // Four of the eight newest-but-one are idle (last used 20 days ago; the idle limit is 14).
    const idle = [ids[0], ids[2], ids[3], ids[5]];
    await t.database.db.query(
      `UPDATE sessions SET last_used_at = now() - interval '20 days' WHERE id = ANY($1::uuid[])`,
      [idle],
    );
    const active = (await expected(a)).filter((id) => !idle.includes(id));
    const first = await page(a, '?limit=3');
    expect(first.sessions.map((s) => s.id)).toEqual(active.slice(0, 3));
    expect((await walk(a, 3)).ids).toEqual(active);
  });

  it("never shows another user's sessions, whatever cursor is sent", async () => {
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    await addSessions(a, 3);
    const bIds = await addSessions(b, 6, () => new Date(Date.now() - 120_000));
    const bCursor = (await page(b, '?limit=2')).nextCursor as string;
    expect(decodeCursor(bCursor)).toMatchObject({ id: expect.any(String) });
    const aIds = await expected(a);
    const p = await page(a, `?limit=200&cursor=${bCursor}`);
    for (const s of p.sessions) expect(aIds).toContain(s.id);
    for (const id of [...bIds, b.session.id]) expect(JSON.stringify(p)).not.toContain(id);
    // A cursor naming B's session id directly, at any position, shows only A's.
    const forged = encodeCursor({ createdAt: '2999-01-01T00:00:00.000000Z', id: bIds[0] as string });
    const all = await page(a, `?limit=200&cursor=${forged}`);
    expect(all.sessions.map((s) => s.id)).toEqual(aIds);
    expect(all.current?.id).toBe(a.session.id);
  });

  describe('refuses what it cannot read with 422 in the envelope', () => {
    const badLimits: [string, string][] = [
      ['0', '/limit'],
      ['201', '/limit'],
      ['-1', '/limit'],
      ['1.5', '/limit'],
      ['abc', '/limit'],
      ['', '/limit'],
      ['1e2', '/limit'],
      ['9999999999999', '/limit'],
    ];
    it.each(badLimits)('limit=%s', async (limit, path) => {
      const a = await signedInUser(t);
      const body = expectEnvelope(await get(a, `?limit=${limit}`), 'VALIDATION_ERROR');
      expect(body.details).toEqual([expect.objectContaining({ path })]);
    });

    it('a repeated limit', async () => {
      const a = await signedInUser(t);
      expectEnvelope(await get(a, '?limit=1&limit=2'), 'VALIDATION_ERROR');
    });

    it('an unknown parameter', async () => {
      const a = await signedInUser(t);
      const body = expectEnvelope(await get(a, '?page=2'), 'VALIDATION_ERROR');
      expect(body.details).toEqual([{ path: '/page', message: 'is not an allowed field' }]);
    });

    const badCursors: [string, string][] = [
      ['not base64url', 'a+b/c='],
      ['base64url of nothing we made', Buffer.from('hello').toString('base64url')],
      ['JSON of the wrong shape', Buffer.from('{"x":1}').toString('base64url')],
      [
        'a date that does not exist',
        encodeCursor({ createdAt: '2026-02-30T00:00:00.000000Z', id: randomUUID() }),
      ],
      [
        'a date without microseconds',
        Buffer.from(`{"t":"2026-01-01T00:00:00Z","i":"${randomUUID()}"}`).toString('base64url'),
      ],
      [
        'an id that is not a UUID',
        Buffer.from('{"t":"2026-01-01T00:00:00.000000Z","i":"1; DROP TABLE"}').toString('base64url'),
      ],
      ['too long', 'A'.repeat(201)],
      ['empty', ''],
    ];
    it.each(badCursors)('cursor: %s', async (_, cursor) => {
      const a = await signedInUser(t);
      const body = expectEnvelope(await get(a, `?cursor=${encodeURIComponent(cursor)}`), 'VALIDATION_ERROR');
      expect(body.details).toEqual([expect.objectContaining({ path: '/cursor' })]);
    });

    it('and still asks for a token first (401 before 422)', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/auth/sessions?limit=0' });
      expectEnvelope(res, 'UNAUTHORIZED');
    });
  });
});
