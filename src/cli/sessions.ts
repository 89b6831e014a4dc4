import { endSessionsAsAdmin, listUserSessions, requireUser } from '../domain/admin.js';
import { deviceOf } from '../domain/devices.js';
import { command, required, UsageError, uuidArg } from './command.js';
import { CLI_ORIGIN, operator, withContext } from './connect.js';
import { formatTime, printJson, printLine, printTable, truncate } from './output.js';

export const sessionsList = command<{ user?: string; json?: boolean }>({
  path: ['sessions', 'list'],
  summary: "List a user's active sessions, newest first, with their devices and last use.",
  description:
    'LAST USED is as written to the database: a request served by a running instance reaches it\n' +
    'within SESSION_ACTIVITY_FLUSH_MS; a refresh at once.',
  synopsis: '--user <email|id> [--json]',
  options: { user: { type: 'string' } },
  optionHelp: [{ flag: '--user <email|id>', description: 'whose sessions (required)' }],
  examples: ['gatehouse sessions list --user ada@example.com'],
  json: true,
  async run(args) {
    const who = required('user', args.user);
    return withContext(async (ctx) => {
      const user = await requireUser(ctx, who);
      const sessions = (await listUserSessions(ctx, user.id)).map((s) => ({
        ...s,
        device: deviceOf(s.userAgent),
      }));
      if (args.json) printJson({ user: { id: user.id, email: user.email }, sessions });
      else
        printTable<(typeof sessions)[number]>(
          sessions,
          [
            ['ID', (s) => s.id],
            ['DEVICE', (s) => truncate(s.deviceName ?? deviceText(s.device))],
            ['CREATED', (s) => formatTime(s.createdAt)],
            ['LAST USED', (s) => formatTime(s.lastUsedAt)],
            ['EXPIRES', (s) => formatTime(s.expiresAt)],
            ['IP', (s) => s.ip],
            ['USER AGENT', (s) => truncate(s.userAgent)],
          ],
          `${user.email} has no active sessions.`,
        );
      return 0;
    });
  },
});

/** "Chrome 120 on macOS 10.15 (desktop)". */
function deviceText(d: ReturnType<typeof deviceOf>): string {
  const name = [d.browser, d.os].filter(Boolean).join(' on ');
  return name ? `${name} (${d.type})` : d.type;
}

export const sessionsEnd = command<{ user?: string; session?: string; json?: boolean }>({
  path: ['sessions', 'end'],
  summary: 'End one session, or every session of a user: the admin side of logout.',
  synopsis: '--user <email|id> | --session <id> [--json]',
  description:
    'Ends them the way POST /auth/logout does: recorded in the audit log (reason "admin"), and on\n' +
    'PostgreSQL announced to every running instance, which refuses their tokens at once. Their refresh\n' +
    'tokens stop working too.',
  options: { user: { type: 'string' }, session: { type: 'string' } },
  optionHelp: [
    { flag: '--user <email|id>', description: 'end every active session of this user' },
    { flag: '--session <id>', description: 'end this one session' },
  ],
  examples: [
    'gatehouse sessions end --user ada@example.com',
    'gatehouse sessions end --session 0b8f0f6e-3c1c-4d6e-9a53-0d7f1c2e4b5a',
  ],
  json: true,
  async run(args) {
    if ((args.user === undefined) === (args.session === undefined))
      throw new UsageError('give exactly one of --user or --session');
    const sessionId = args.session === undefined ? undefined : uuidArg('session', args.session);
    const who = args.user === undefined ? undefined : required('user', args.user);
    return withContext(async (ctx) => {
      const actor = { origin: CLI_ORIGIN, operator: operator() };
      const user = who === undefined ? undefined : await requireUser(ctx, who);
      const ended = await endSessionsAsAdmin(
        ctx,
        user ? { userId: user.id } : { sessionId: sessionId! },
        actor,
      );
      const ids = ended.map((s) => s.id);
      if (args.json) printJson({ endedSessionIds: ids });
      else if (user && ids.length === 0) printLine(`${user.email} had no active sessions.`);
      else if (user) printLine(`Ended ${ids.length} session${ids.length === 1 ? '' : 's'} of ${user.email}.`);
      else printLine(`Ended session ${sessionId}.`);
      return 0;
    });
  },
});
