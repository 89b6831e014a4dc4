import { readAuditLog, requireUser } from '../domain/admin.js';
import type { AuditEvent } from '../domain/model.js';
import { command, sinceArg, wholeNumber } from './command.js';
import { withContext } from './connect.js';
import { formatTime, printJson, printTable, truncate } from './output.js';

export const audit = command<{ user?: string; since?: string; limit?: string; json?: boolean }>({
  path: ['audit'],
  summary: 'Read the audit log, newest first: logins, registrations, every session ended and why.',
  synopsis: '[--user <email|id>] [--since <date|duration>] [--limit <n>] [--json]',
  options: { user: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  optionHelp: [
    { flag: '--user <email|id>', description: 'only events where this user acted or was acted on' },
    {
      flag: '--since <when>',
      description: 'an ISO date/time (2025-01-31, 2025-01-31T12:00:00Z) or 30m, 1h, 7d, 2w',
    },
    { flag: '--limit <n>', description: 'at most this many events (default 50, at most 10000)' },
  ],
  examples: [
    'gatehouse audit --since 1h',
    'gatehouse audit --user ada@example.com --since 2025-01-31 --limit 200',
    'gatehouse audit --json | jq \'.events[] | select(.reason == "admin")\'',
  ],
  json: true,
  async run(args) {
    const since = sinceArg(args.since);
    const limit = wholeNumber('limit', args.limit, 50, 10_000);
    return withContext(async (ctx) => {
      const user = args.user === undefined ? undefined : await requireUser(ctx, args.user);
      const events = await readAuditLog(ctx, { userId: user?.id, since, limit });
      if (args.json) {
        printJson({ events });
        return 0;
      }
      // People read emails, not ids: name each user once.
      const emails = new Map<string, string>();
      for (const id of new Set(events.flatMap((e) => [e.actorUserId, e.targetUserId]))) {
        if (!id) continue;
        const found = await ctx.store.findUserById(id);
        emails.set(id, found?.email ?? id);
      }
      const who = (id: string | null) => (id ? (emails.get(id) ?? id) : null);
      printTable<AuditEvent>(
        events,
        [
          ['AT', (e) => formatTime(e.at)],
          ['ACTION', (e) => e.action],
          ['REASON', (e) => e.reason],
          ['ACTOR', (e) => who(e.actorUserId) ?? (e.userAgent === 'gatehouse-cli' ? 'cli' : null)],
          ['TARGET', (e) => who(e.targetUserId)],
          ['SESSIONS', (e) => (e.sessionIds.length > 0 ? String(e.sessionIds.length) : null)],
          ['IP', (e) => e.ip],
          ['USER AGENT', (e) => truncate(e.userAgent, 30)],
        ],
        'No audit events match.',
      );
      return 0;
    });
  },
});
