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
