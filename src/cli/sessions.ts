import { command, UsageError, userArg, uuidArg } from './command.js';

export interface SessionsListArgs {
  user: string;
  json: boolean;
}

export type SessionsEndArgs = ({ user: string } | { session: string }) & { json: boolean };

export const sessionsList = command<{ user?: string; json?: boolean }, SessionsListArgs>({
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
  check: (v) => ({ user: userArg(v.user), json: v.json === true }),
  load: () => import('./run/sessions.js').then((m) => m.listSessions),
});

export const sessionsEnd = command<{ user?: string; session?: string; json?: boolean }, SessionsEndArgs>({
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
  check(v) {
    if ((v.user === undefined) === (v.session === undefined))
      throw new UsageError('give exactly one of --user or --session');
    const json = v.json === true;
    return v.session === undefined
      ? { user: userArg(v.user), json }
      : { session: uuidArg('session', v.session), json };
  },
  load: () => import('./run/sessions.js').then((m) => m.endSessions),
});
