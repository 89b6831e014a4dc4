import { endSessionsAsAdmin, listUserSessions, requireUser } from '../../domain/admin.js';
import { deviceOf } from '../../domain/devices.js';
import { cliActor, withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable, truncate } from '../output.js';
import type { SessionsEndArgs, SessionsListArgs } from '../sessions.js';

export async function listSessions(args: SessionsListArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const user = await requireUser(ctx, args.user);
    const sessions = (await listUserSessions(ctx, user.id)).map((s) => ({
      ...s,
      device: deviceOf(s.userAgent),
    }));
    if (args.json) printJson(io, { user: { id: user.id, email: user.email }, sessions });
    else
      printTable<(typeof sessions)[number]>(
        io,
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
}

export async function endSessions(args: SessionsEndArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const user = 'user' in args ? await requireUser(ctx, args.user) : undefined;
    const ended = await endSessionsAsAdmin(
      ctx,
      user ? { userId: user.id } : { sessionId: (args as { session: string }).session },
      cliActor(),
    );
    const ids = ended.map((s) => s.id);
    if (args.json) printJson(io, { endedSessionIds: ids });
    else if (user && ids.length === 0) printLine(io, `${user.email} had no active sessions.`);
    else if (user)
      printLine(io, `Ended ${ids.length} session${ids.length === 1 ? '' : 's'} of ${user.email}.`);
    else printLine(io, `Ended session ${ids[0]}.`);
    return 0;
  });
}

/** "Chrome 120 on macOS 10.15 (desktop)". */
function deviceText(d: ReturnType<typeof deviceOf>): string {
  const name = [d.browser, d.os].filter(Boolean).join(' on ');
  return name ? `${name} (${d.type})` : d.type;
}
