import { describe, expect, it } from 'vitest';
import { RevocationList } from '../../src/domain/revocation.js';

describe('RevocationList', () => {
  it('knows a session as ended once added', () => {
    const list = new RevocationList(900);
    list.add([{ id: 'a', endedAt: new Date() }]);
    expect(list.isEnded('a')).toBe(true);
    expect(list.isEnded('b')).toBe(false);
  });

  it('forgets a session one token lifetime plus skew after it ended, not before', () => {
    const list = new RevocationList(900, 60);
    const endedAt = new Date();
    list.add([{ id: 'a', endedAt }]);
    expect(list.prune(endedAt.getTime() + 959_000)).toBe(0);
    expect(list.isEnded('a')).toBe(true);
    expect(list.prune(endedAt.getTime() + 960_000)).toBe(1);
    expect(list.isEnded('a')).toBe(false);
    expect(list.size).toBe(0);
  });

  it('does not store sessions that ended so long ago that every token of theirs has expired', () => {
    const list = new RevocationList(900, 60);
    list.add([{ id: 'old', endedAt: new Date(Date.now() - 961_000) }]);
    expect(list.isEnded('old')).toBe(false);
  });

  it('tells its listeners of the sessions each add newly learns, once each, and nothing else', () => {
    const list = new RevocationList(900, 60);
    const told: string[][] = [];
    list.add([{ id: 'before', endedAt: new Date() }]);
    const unsubscribe = list.onAdded((ended) => told.push(ended.map((s) => s.id)));
    list.add([
      { id: 'before', endedAt: new Date() }, // known already
      { id: 'a', endedAt: new Date() },
      { id: 'a', endedAt: new Date() }, // twice in one add (a batch and its own notification)
      { id: 'old', endedAt: new Date(Date.now() - 961_000) }, // every token of it expired
      { id: 'b', endedAt: new Date() },
    ]);
    list.add([{ id: 'b', endedAt: new Date() }]); // heard again: nothing new
    unsubscribe();
    list.add([{ id: 'c', endedAt: new Date() }]);
    expect(told).toEqual([['a', 'b']]);
    expect(['before', 'a', 'b', 'c'].every((id) => list.isEnded(id))).toBe(true);
    expect(list.isEnded('old')).toBe(false);
  });

  it('keeps a session whose token outlives the cover until that token expires, however long ago it ended', () => {
    const list = new RevocationList(900, 60);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const token = { sessionId: 'long', iat: exp - 7200, exp };
    expect(list.outlivesCover(token)).toBe(true);
    list.confirmOutliving(token, null); // checked: not ended yet
    list.add([{ id: 'long', endedAt: new Date(Date.now() - 961_000) }]); // ended long ago, heard late
    expect(list.isEnded('long')).toBe(true);
  });

  describe('addSince (a catch-up: ids and ends side by side)', () => {
    const now = Date.now();
    const endings = {
      ids: ['a', 'old', 'b'],
      endedAtMs: [now - 1000, now - 961_000, now - 959_000],
    };

    it('adds what add would: each session until a token lifetime plus skew after its own end', () => {
      const list = new RevocationList(900, 60);
      list.addSince(endings);
      expect(list.isEnded('a')).toBe(true);
      expect(list.isEnded('b')).toBe(true);
      expect(list.isEnded('old')).toBe(false);
      expect(list.size).toBe(2);
      // Each is forgotten at its own time: b (ended 959 s ago) first, a later.
      expect(list.prune(now + 999)).toBe(0);
      expect(list.prune(now + 1_000)).toBe(1);
      expect(list.isEnded('b')).toBe(false);
      expect(list.isEnded('a')).toBe(true);
      expect(list.prune(now + 958_999)).toBe(0);
      expect(list.prune(now + 959_000)).toBe(1);
    });

    it('tells listeners, and keeps outliving sessions, as add does', () => {
      const list = new RevocationList(900, 60);
      const told: { id: string; endedAt: number }[][] = [];
      list.onAdded((ended) => told.push(ended.map((s) => ({ id: s.id, endedAt: s.endedAt.getTime() }))));
      const exp = Math.floor(now / 1000) + 3600;
      list.confirmOutliving({ sessionId: 'old', exp }, null);
      list.addSince(endings);
      expect(told).toEqual([
        [
          { id: 'a', endedAt: now - 1000 },
          { id: 'old', endedAt: now - 961_000 },
          { id: 'b', endedAt: now - 959_000 },
        ],
      ]);
      expect(list.isEnded('old')).toBe(true);
    });
  });

  it('is stale from markStale until markCurrent, remembering since when', () => {
    const list = new RevocationList(900);
    expect(list.current).toBe(true);
    list.markStale();
    const since = list.staleSince;
    expect(list.current).toBe(false);
    expect(since).toBeTypeOf('number');
    list.markStale();
    expect(list.staleSince).toBe(since);
    list.markCurrent();
    expect(list.current).toBe(true);
    expect(list.staleSince).toBeNull();
  });

  it('vouches for tokens only until the lease it holds, once it requires one', async () => {
    const list = new RevocationList(900);
    expect(list.current).toBe(true); // the embedded store: no lease, never fenced by one
    list.requireLease();
    expect(list.current).toBe(false);
    list.holdLeaseUntil(performance.now() + 30);
    expect(list.current).toBe(true);
    expect(list.leaseLapsed).toBe(false);
    // A confirmation that arrives late never moves the lease back.
    list.holdLeaseUntil(performance.now() - 1000);
    expect(list.current).toBe(true);
    await new Promise((r) => setTimeout(r, 40));
    expect(list.current).toBe(false);
    expect(list.leaseLapsed).toBe(true);
    // A stale feed fences too, whatever the lease says.
    list.holdLeaseUntil(performance.now() + 10_000);
    list.markStale();
    expect(list.current).toBe(false);
    list.markCurrent();
    expect(list.current).toBe(true);
  });
});
