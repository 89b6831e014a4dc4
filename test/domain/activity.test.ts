import { describe, expect, it } from 'vitest';
import { flushActivity, SessionActivity } from '../../src/domain/activity.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('SessionActivity (uses noted in memory, written in batches)', () => {
  it('keeps the latest use per session and writes each session once per flush', async () => {
    const activity = new SessionActivity();
    activity.note(A, 1000);
    activity.note(A, 2000);
    activity.note(B, 1500);
    expect(activity.lastUse({ id: A, lastUsedAt: new Date(500) })).toBe(2000);
    expect(activity.lastUse({ id: A, lastUsedAt: new Date(9000) })).toBe(9000);
    const written: { id: string; at: Date }[][] = [];
    expect(
      await flushActivity(activity, { recordSessionActivity: async (u) => void written.push([...u]) }),
    ).toBe(2);
    expect(written).toEqual([
      [
        { id: A, at: new Date(2000) },
        { id: B, at: new Date(1500) },
      ],
    ]);
    expect(activity.size).toBe(0);
    expect(await flushActivity(activity, { recordSessionActivity: async () => {} })).toBe(0);
  });

  it('gives the uses back when the write fails, keeping a newer one noted meanwhile', async () => {
    const activity = new SessionActivity();
    activity.note(A, 1000);
    activity.note(B, 1000);
    await expect(
      flushActivity(activity, {
        recordSessionActivity: async () => {
          activity.note(A, 3000); // a request during the failed write
          throw new Error('database unreachable');
        },
      }),
    ).rejects.toThrow('database unreachable');
    expect(activity.pendingUse(A)).toBe(3000);
    expect(activity.pendingUse(B)).toBe(1000);
  });
});
