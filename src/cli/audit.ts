import { command, sinceArg, userArg, wholeNumber } from './command.js';

export interface AuditArgs {
  user: string | undefined;
  since: Date | undefined;
  limit: number;
  json: boolean;
}

export const audit = command<{ user?: string; since?: string; limit?: string; json?: boolean }, AuditArgs>({
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
  check: (v) => ({
    user: v.user === undefined ? undefined : userArg(v.user),
    since: sinceArg(v.since),
    limit: wholeNumber('limit', v.limit, 50, 10_000),
    json: v.json === true,
  }),
  load: () => import('./run/audit.js').then((m) => m.readAudit),
});
