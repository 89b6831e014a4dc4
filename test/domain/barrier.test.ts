import { describe, expect, it } from 'vitest';
import { type BarrierMember, type LeaseStatus, RevocationBarrier } from '../../src/domain/barrier.js';
import { AppError } from '../../src/domain/errors.js';

const SELF = 'self';

/** A barrier whose lease reads come from `status` (mutable), counting the reads. */
function barrier(status: Map<string, LeaseStatus>, opts: { timeoutMs?: number; enabled?: boolean } = {}) {
  const reads: string[][] = [];
  const waits: number[] = [];
  const b = new RevocationBarrier(
    {
      leaseStatus: async (ids) => {
        reads.push([...ids]);
        return ids.flatMap((id) => status.get(id) ?? []);
      },
    },
    {
      self: SELF,
      marginMs: 5,
      timeoutMs: opts.timeoutMs ?? 2000,
      enabled: opts.enabled ?? true,
      observe: (s) => waits.push(s),
    },
  );
  return { b, reads, waits };
}

const members = (...m: [string, number, number][]) => ({
  barrierMembers: async () =>
    m.map(([id, epoch, remainingMs]): BarrierMember => ({ id, epoch, remainingMs })),
});

const settled = async (p: Promise<void> | null) => {
  let state = 'pending';
  p?.then(
    () => {
      state = 'resolved';
    },
    () => {
      state = 'rejected';
    },
  );
  await new Promise((r) => setTimeout(r, 0));
  return p === null ? 'none' : state;
};

describe('RevocationBarrier', () => {
  it('has nothing to wait for when no other instance holds a lease, or when switched off', async () => {
    const { b } = barrier(new Map());
    expect(b.wait(await b.enter(members()))).toBeNull();
    const off = barrier(new Map(), { enabled: false }).b;
    expect(off.wait(await off.enter(members(['a', 1, 900])))).toBeNull();
  });

  it('resolves once every member acked its batch, and not before', async () => {
    const { b, reads, waits } = barrier(new Map());
    const ticket = await b.enter(members(['a', 1, 900], ['b', 1, 900]));
    expect(ticket.batch).toBe(`${SELF}:${ticket.n}`);
    const p = b.wait(ticket);
    b.acked('a', ticket.n);
    b.acked('a', ticket.n + 1); // someone else's batch
    expect(await settled(p)).toBe('pending');
    b.acked('b', ticket.n);
    expect(await settled(p)).toBe('resolved');
    expect(reads).toEqual([]); // acks alone: no database read
    expect(waits).toHaveLength(1);
  });

  it('counts an ack heard before the commit returned', async () => {
    const { b } = barrier(new Map());
    const ticket = await b.enter(members(['a', 1, 900]));
    b.acked('a', ticket.n);
    expect(b.wait(ticket)).toBeNull();
  });

  it('stops waiting for a member that rejoined with a new epoch, or left', async () => {
    const { b } = barrier(new Map());
    const ticket = await b.enter(members(['a', 1, 900], ['b', 3, 900]));
    const p = b.wait(ticket);
    b.rejoined('a', 1); // a renewal of the same epoch changes nothing
    expect(await settled(p)).toBe('pending');
    b.rejoined('a', 2);
    b.rejoined('b', 0);
    expect(await settled(p)).toBe('resolved');
  });

  it('gives up on a silent member only when a fresh read says its lease lapsed, waiting again if it renewed', async () => {
    const status = new Map<string, LeaseStatus>([
      ['a', { id: 'a', epoch: 1, lapsed: false, remainingMs: 20 }],
    ]);
    const { b, reads } = barrier(status);
    const p = b.wait(await b.enter(members(['a', 1, 10])));
    await new Promise((r) => setTimeout(r, 25));
    // Read once at its expiry: renewed meanwhile, so still waited for.
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(await settled(p)).toBe('pending');
    status.set('a', { id: 'a', epoch: 1, lapsed: true, remainingMs: -10 });
    await new Promise((r) => setTimeout(r, 40));
    expect(await settled(p)).toBe('resolved');
  });

  it('answers 503 when it cannot tell within its bound (the database unreachable from here)', async () => {
    const b = new RevocationBarrier(
      {
        leaseStatus: async () => {
          throw new Error('unreachable');
        },
      },
      { self: SELF, marginMs: 0, timeoutMs: 60, enabled: true },
    );
    const p = b.wait(await b.enter(members(['a', 1, 0])));
    const err = await p?.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SERVICE_UNAVAILABLE');
    expect(b.waiting).toBe(0);
  });
});
