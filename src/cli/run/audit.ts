import { readAuditLog, requireUser } from '../../domain/admin.js';
import type { AuditEvent } from '../../domain/model.js';
import type { AuditArgs } from '../audit.js';
import { CLI_ORIGIN, withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printTable, truncate } from '../output.js';

export async function readAudit(args: AuditArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const user = args.user === undefined ? undefined : await requireUser(ctx, args.user);
    const events = await readAuditLog(ctx, { userId: user?.id, since: args.since, limit: args.limit });
    if (args.json) {
      printJson(io, { events });
      return 0;
    }
    // People read emails, not ids: name each user once (a deleted one by its id).
    const emails = new Map<string, string>();
    for (const id of new Set(events.flatMap((e) => [e.actorUserId, e.targetUserId]))) {
      if (!id) continue;
      const found = await ctx.store.findUserById(id);
      emails.set(id, found?.email ?? id);
    }
    const who = (id: string | null) => (id ? (emails.get(id) ?? id) : null);
    printTable<AuditEvent>(
      io,
      events,
      [
        ['AT', (e) => formatTime(e.at)],
        ['ACTION', (e) => e.action],
        ['REASON', (e) => e.reason],
        ['ACTOR', (e) => who(e.actorUserId) ?? (e.userAgent === CLI_ORIGIN.userAgent ? 'cli' : null)],
        ['TARGET', (e) => who(e.targetUserId)],
        ['SESSIONS', (e) => (e.sessionIds.length > 0 ? String(e.sessionIds.length) : null)],
        ['IP', (e) => e.ip],
        ['USER AGENT', (e) => truncate(e.userAgent, 30)],
      ],
      'No audit events match.',
    );
    return 0;
  });
}
