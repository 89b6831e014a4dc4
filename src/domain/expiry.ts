import { flushActivity } from './activity.js';
import type { Context } from './context.js';
import type { EndedSession } from './model.js';
import { withSessionEnding } from './session-ending.js';

/** Sessions ended per transaction by the sweeper: bounds its locks and its audit writes. */
export const SWEEP_BATCH = 500;

/**
 * Ends sessions whose absolute lifetime has run out (reason "expired"), so
 * that expiry is an event like any other ending: an audit entry and a
 * webhook per session. An expired session already refuses its refresh
 * tokens; this only makes it official. Rows another transaction holds (a
 * racing refresh or logout, another instance's sweep) are skipped, not waited for.
 */
export async function endExpiredSessions(ctx: Context, limit = SWEEP_BATCH): Promise<EndedSession[]> {
  const { ended } = await withSessionEnding(ctx, async (tx, end) => {
    const ids = await tx.lockExpiredSessions(limit);
    if (ids.length > 0)
      await end({ sessionIds: ids }, 'expired', {
        actorUserId: null,
        origin: { ip: null, userAgent: null },
        details: { by: 'expiry sweep' },
      });
  });
  return ended;
}

/**
 * Ends sessions unused for SESSION_IDLE_TTL (reason "idle_timeout"). This
 * instance's unwritten uses are written first, so it never ends a session it
 * has itself seen in use; other instances' reach the database within one
 * flush interval, which SESSION_IDLE_TTL leaves room for (src/config.ts).
 */
export async function endIdleSessions(ctx: Context, limit = SWEEP_BATCH): Promise<EndedSession[]> {
  await flushActivity(ctx.activity, ctx.store);
  const usedBy = new Date(Date.now() - ctx.settings.policy.idleTtl * 1000);
  const { ended } = await withSessionEnding(ctx, async (tx, end) => {
    const ids = await tx.lockIdleSessions(usedBy, limit);
    if (ids.length > 0)
      await end({ sessionIds: ids }, 'idle_timeout', {
        actorUserId: null,
        origin: { ip: null, userAgent: null },
        details: { by: 'idle sweep' },
      });
  });
  return ended;
}
