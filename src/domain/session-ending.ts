import type { BarrierTicket } from './barrier.js';
import type { Context } from './context.js';
import { DatabaseUnavailableError } from './errors.js';
import type { GroupCommitOptions } from './group-commit.js';
import type { EndedSession, EndReason, EndTarget, NewAuditEvent, RequestOrigin } from './model.js';
import type { EndedByRequest, Queries, Store } from './store.js';

export type { EndTarget };

export interface EndingAudit {
  actorUserId: string | null;
  origin: RequestOrigin;
  /** Extra facts for the audit event, e.g. the logout scope asked for. */
  details?: Record<string, unknown>;
}

/** One request to end sessions: what, why, and who asked (for the audit trail). */
export interface Ending {
  target: EndTarget;
  reason: EndReason;
  audit: EndingAudit;
}

export type EndSessions = (
  target: EndTarget,
  reason: EndReason,
  audit: EndingAudit,
) => Promise<EndedSession[]>;

/**
 * How concurrent `endSessions` calls share transactions. At most 500
 * endings a batch, so one statement stays small and one transaction's locks
 * few. On PostgreSQL two batches run at once: while one waits on its commit
 * (`NOTIFY` serialises commits) the next does its statements, which measured
 * 6–8% more logouts/s than one at a time; more did not help on 2 cores. The
 * embedded store has one connection, so a second batch would only wait there;
 * and it runs on this thread, so a batch starts only once the requests read in
 * this turn of the event loop have joined it (measured: batches of ~1 without).
 */
export function endingBatches(kind: Store['kind']): GroupCommitOptions {
  return {
    maxBatch: 500,
    concurrency: kind === 'postgres' ? 2 : 1,
    retryAlone: (err) => !(err instanceof DatabaseUnavailableError),
    gatherTurn: kind === 'pglite',
  };
}

/** A deadlock victim is run again this many times in all before its error is given up. */
const ATTEMPTS = 3;

/** What one ending of a group commit gets back: its sessions, and the barrier its batch waits on. */
export interface CommittedEnding {
  ended: EndedSession[];
  /** Resolves once every other instance confirmed the batch (barrier.ts); null: nothing to wait for. */
  confirmed: Promise<void> | null;
}

/**
 * Ends sessions when nothing else has to happen in the same transaction
 * (logout, an admin's end). Concurrent calls commit together (group commit,
 * `ctx.endings`): one transaction of a handful of statements for however many
 * endings arrived while the previous one committed. Resolves, with the
 * sessions this call ended, only once they are committed and revoked in this
 * process and every other instance confirmed them, exactly as
 * `withSessionEnding` does. The barrier is awaited here, outside the group
 * commit, so the next batch commits while this one waits for its acks.
 */
export async function endSessions(
  ctx: Context,
  target: EndTarget,
  reason: EndReason,
  audit: EndingAudit,
): Promise<EndedSession[]> {
  const { ended, confirmed } = await ctx.endings.submit({ target, reason, audit });
  if (confirmed) await confirmed;
  return ended;
}

/** Commits a batch of endings in one transaction; the sessions each ended, in order. */
export async function commitEndings(ctx: Context, endings: readonly Ending[]): Promise<CommittedEnding[]> {
  // The embedded store is one instance: there is no other to confirm, so nothing to wait for.
  if (ctx.store.kind === 'pglite' && endings.every((e) => 'sessionIds' in e.target))
    return (await commitInOneStatement(ctx, endings as readonly NamedEnding[])).map((ended) => ({
      ended,
      confirmed: null,
    }));
  const { result, confirmed } = await endingTransaction(ctx, (_tx, end) => end(endings));
  return result.map((ended) => ({ ended, confirmed }));
}

type NamedEnding = Ending & { target: { sessionIds: readonly string[] } };

/**
 * On the embedded store, a batch that names its sessions (every logout of
 * the current session, an admin's end of one session) is one statement that
 * ends them and writes their audit and outbox rows: one round trip into the
 * database instead of six (BEGIN, UPDATE, two INSERTs, NOTIFY, COMMIT), and no
 * NOTIFY, which only other instances of a shared PostgreSQL need. The same
 * rows, committed together as before.
 */
async function commitInOneStatement(
  ctx: Context,
  endings: readonly NamedEnding[],
): Promise<EndedSession[][]> {
  const { ended, eventsWritten } = await ctx.store.endNamedSessionsRecorded(
    endings.map(({ target, reason, audit }) => ({
      sessionIds: target.sessionIds,
      reason,
      audit: {
        actorUserId: audit.actorUserId,
        ip: audit.origin.ip,
        userAgent: audit.origin.userAgent,
        details: audit.details ?? {},
      },
    })),
  );
  afterCommit(ctx, ended, eventsWritten);
  const byEnding = endings.map((): EndedSession[] => []);
  for (const s of ended) byEnding[s.request]?.push(toEnded(s));
  return byEnding;
}

/**
 * The one path by which sessions end. `fn` runs in a transaction and ends
 * sessions through `end`, which writes the change, its audit event, the
 * cross-instance notification and the session-ended events for webhooks (the
 * outbox) together: a rollback leaves no trace of any of them. Once the
 * transaction has committed, and before this resolves (so before any
 * response is sent), the ended sessions are revoked in this process, and on
 * PostgreSQL every other instance holding a lease has confirmed them (the
 * revocation barrier, barrier.ts) or its lease has lapsed.
 *
 * `fn` may run more than once: a transaction chosen as a deadlock victim is
 * run again, so `fn` must do nothing outside `tx`.
 */
export async function withSessionEnding<T>(
  ctx: Context,
  fn: (tx: Queries, end: EndSessions) => Promise<T>,
): Promise<{ result: T; ended: EndedSession[] }> {
  const { result, ended, confirmed } = await endingTransaction(ctx, (tx, end) =>
    fn(tx, async (target, reason, audit) => (await end([{ target, reason, audit }]))[0] as EndedSession[]),
  );
  if (confirmed) await confirmed;
  return { result, ended };
}

async function endingTransaction<T>(
  ctx: Context,
  fn: (tx: Queries, end: (endings: readonly Ending[]) => Promise<EndedSession[][]>) => Promise<T>,
): Promise<{ result: T; ended: EndedSession[]; confirmed: Promise<void> | null }> {
  for (let attempt = 1; ; attempt++) {
    const ended: EndedByRequest[] = [];
    const tickets: BarrierTicket[] = [];
    let eventsWritten = 0;
    try {
      const result = await ctx.store.transaction((tx) =>
        fn(tx, async (endings) => {
          const now = await tx.endSessions(endings);
          if (now.length > 0) {
            // PostgreSQL only: who must confirm this batch, read under the barrier lock.
            const ticket = ctx.barrier ? await ctx.barrier.enter(tx) : undefined;
            if (ticket) tickets.push(ticket);
            eventsWritten += await recordEnding(tx, endings, now, ticket?.batch);
          }
          ended.push(...now);
          const byEnding = endings.map((): EndedSession[] => []);
          for (const s of now) byEnding[s.request]?.push(toEnded(s));
          return byEnding;
        }),
      );
      afterCommit(ctx, ended, eventsWritten);
      return { result, ended: ended.map(toEnded), confirmed: awaitBarrier(ctx, tickets) };
    } catch (err) {
      // Several sessions locked in different orders by two transactions (a batch of
      // logouts, a password change ending the user's other sessions): one is aborted.
      if (attempt < ATTEMPTS && ctx.store.isTransientConflict(err)) continue;
      throw err;
    }
  }
}

/** Writes what endings leave behind; returns how many webhook deliveries it queued. */
async function recordEnding(
  tx: Queries,
  endings: readonly Ending[],
  ended: readonly EndedByRequest[],
  batch: string | undefined,
): Promise<number> {
  // One audit event per request and user whose sessions it ended (an admin's ends one
  // user's; the others end the caller's), with that request's actor and origin.
  const events = new Map<string, NewAuditEvent>();
  for (const s of ended) {
    const key = `${s.request} ${s.userId}`;
    const event = events.get(key);
    if (event) {
      event.sessionIds.push(s.id);
      continue;
    }
    const { audit } = endings[s.request] as Ending;
    events.set(key, {
      action: 'session.ended',
      reason: s.reason,
      actorUserId: audit.actorUserId,
      targetUserId: s.userId,
      sessionIds: [s.id],
      ip: audit.origin.ip,
      userAgent: audit.origin.userAgent,
      details: audit.details ?? {},
    });
  }
  await tx.insertAuditEvents([...events.values()]);
  await tx.notifySessionsEnded(ended, batch);
  // One session.ended event per session, per active webhook endpoint (docs/events.md), made by
  // the database from the rows just ended: nothing is built or sent when there is no endpoint.
  return tx.insertSessionEndedEvents(ended.map((s) => s.id));
}

function afterCommit(ctx: Context, ended: readonly EndedByRequest[], eventsWritten: number): void {
  ctx.revocations.add(ended);
  const counts = new Map<EndReason, number>();
  for (const s of ended) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  for (const [reason, count] of counts) ctx.metrics.endedSessions(reason, count);
  // Committed: this process's webhook dispatcher sends them now rather than at its next poll.
  if (eventsWritten > 0) ctx.outbox.written();
  if (ended.length > 0) ctx.outbox.ended();
}

/** The barrier of every batch the transaction ended (usually one); null when none waits. */
function awaitBarrier(ctx: Context, tickets: readonly BarrierTicket[]): Promise<void> | null {
  if (!ctx.barrier || tickets.length === 0) return null;
  const barrier = ctx.barrier;
  const waits = tickets.map((t) => barrier.wait(t)).filter((w) => w !== null);
  if (waits.length === 0) return null;
  const all = Promise.all(waits).then(() => {});
  // Awaited by each submitter of the batch; this keeps a batch nobody awaits from being "unhandled".
  all.catch(() => {});
  return all;
}

const toEnded = ({ id, userId, endedAt }: EndedSession): EndedSession => ({ id, userId, endedAt });
