import { command, emailArg, UsageError, userArg, wholeNumber } from './command.js';
import type { CliIo } from './output.js';
import { canAsk } from './prompt.js';

export interface UsersCreateArgs {
  email: string;
  /** null: ask on the terminal (checked: there is one), unless the account exists and --admin only grants. */
  password: string | null;
  name: string | null;
  admin: boolean;
  json: boolean;
}

export interface UsersListArgs {
  limit: number;
  json: boolean;
}

/** The account an operator acts on (disable, enable, delete). */
export interface UserArgs {
  user: string;
  json: boolean;
}

export interface SetPasswordArgs extends UserArgs {
  /** null: ask on the terminal (checked: there is one). */
  password: string | null;
}

const PASSWORD_SOURCES =
  'It is taken from --password, else from the GATEHOUSE_PASSWORD environment variable, else asked\n' +
  'for on the terminal. Prefer the last two: a --password value is visible to other users of the\n' +
  'machine and stays in the shell history.';

/** --password, else GATEHOUSE_PASSWORD, else null (ask), which needs a terminal when `needed`. */
function passwordArg(io: CliIo, raw: string | undefined, needed: boolean): string | null {
  const password = raw ?? (io.env.GATEHOUSE_PASSWORD || null);
  if (password === null && needed && !canAsk(io))
    throw new UsageError(
      'no password: pass --password, set GATEHOUSE_PASSWORD, or run on a terminal to be asked',
    );
  return password;
}

/** What disable, enable and delete share: one account, named by --user. */
const userOption = {
  options: { user: { type: 'string' as const } },
  optionHelp: [{ flag: '--user <email|id>', description: 'the account (required)' }],
  json: true,
  check: (v: { user?: string; json?: boolean }): UserArgs => ({
    user: userArg(v.user),
    json: v.json === true,
  }),
};

export const usersCreate = command<
  { email?: string; password?: string; name?: string; admin?: boolean; json?: boolean },
  UsersCreateArgs
>({
  path: ['users', 'create'],
  summary: 'Create an account, or make an existing one an admin (--admin).',
  synopsis: '--email <email> [--password <password>] [--name <name>] [--admin] [--json]',
  description: `The password follows the same rules as POST /auth/register. ${PASSWORD_SOURCES}\nWith --admin, an existing account is given the admin role (its password is left unchanged).`,
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    admin: { type: 'boolean' },
  },
  optionHelp: [
    { flag: '--email <email>', description: 'the account email (required)' },
    { flag: '--password <password>', description: 'the password (see above for safer ways)' },
    { flag: '--name <name>', description: 'display name' },
    { flag: '--admin', description: 'grant the admin role (also to an existing account)' },
  ],
  examples: [
    'gatehouse users create --email admin@example.com --admin          # asks for the password',
    "GATEHOUSE_PASSWORD='correct horse battery' gatehouse users create --email ada@example.com --name Ada",
  ],
  json: true,
  check: (v, io) => ({
    email: emailArg(v.email),
    // Only a new account needs one (--admin on an existing account does not): without
    // --admin, a script that gave none fails here, before the database is opened.
    password: passwordArg(io, v.password, !v.admin),
    name: v.name?.trim() || null,
    admin: v.admin === true,
    json: v.json === true,
  }),
  load: () => import('./run/users.js').then((m) => m.createUser),
});

export const usersList = command<{ limit?: string; json?: boolean }, UsersListArgs>({
  path: ['users', 'list'],
  summary: 'List accounts, oldest first.',
  synopsis: '[--limit <n>] [--json]',
  options: { limit: { type: 'string' } },
  optionHelp: [{ flag: '--limit <n>', description: 'at most this many (default 100, at most 10000)' }],
  examples: ['gatehouse users list', "gatehouse users list --json | jq -r '.users[].email'"],
  json: true,
  check: (v) => ({ limit: wholeNumber('limit', v.limit, 100, 10_000), json: v.json === true }),
  load: () => import('./run/users.js').then((m) => m.listUsers),
});

export const usersDisable = command<{ user?: string; json?: boolean }, UserArgs>({
  path: ['users', 'disable'],
  summary: 'Stop an account: every session ends now, and it cannot log in or refresh until enabled.',
  synopsis: '--user <email|id> [--json]',
  description:
    'Its sessions end through the same path as a logout (reason "user_disabled"): every running\n' +
    'instance refuses their tokens at once. A login to a disabled account gets the same 401 as a\n' +
    'wrong password. Disabling a disabled account changes nothing.',
  ...userOption,
  examples: ['gatehouse users disable --user ada@example.com'],
  load: () => import('./run/users.js').then((m) => m.disableUser),
});

export const usersEnable = command<{ user?: string; json?: boolean }, UserArgs>({
  path: ['users', 'enable'],
  summary: 'Let a disabled account log in again (its ended sessions stay ended).',
  synopsis: '--user <email|id> [--json]',
  ...userOption,
  examples: ['gatehouse users enable --user ada@example.com'],
  load: () => import('./run/users.js').then((m) => m.enableUser),
});

export const usersDelete = command<{ user?: string; json?: boolean }, UserArgs>({
  path: ['users', 'delete'],
  summary: 'Delete an account: every session ends now, and its email is free again.',
  synopsis: '--user <email|id> [--json]',
  description:
    'Its sessions end through the same path as a logout (reason "user_deleted"), so every running\n' +
    'instance refuses their tokens at once; they stay in the database, ended, as the record of it.\n' +
    'The audit log keeps its events, naming it by id.',
  ...userOption,
  examples: ['gatehouse users delete --user ada@example.com'],
  load: () => import('./run/users.js').then((m) => m.deleteUser),
});

export const usersSetPassword = command<
  { user?: string; password?: string; json?: boolean },
  SetPasswordArgs
>({
  path: ['users', 'set-password'],
  summary: "Set an account's password and end every session it has.",
  synopsis: '--user <email|id> [--password <password>] [--json]',
  description: `The password follows the same rules as POST /auth/register. ${PASSWORD_SOURCES}\nEvery session of the account ends (reason "password_changed"): whoever knew the old one is out.`,
  options: { user: { type: 'string' }, password: { type: 'string' } },
  optionHelp: [
    { flag: '--user <email|id>', description: 'the account (required)' },
    { flag: '--password <password>', description: 'the new password (see above for safer ways)' },
  ],
  examples: [
    "GATEHOUSE_PASSWORD='a new long passphrase' gatehouse users set-password --user ada@example.com",
  ],
  json: true,
  check: (v, io) => ({
    user: userArg(v.user),
    password: passwordArg(io, v.password, true),
    json: v.json === true,
  }),
  load: () => import('./run/users.js').then((m) => m.setPassword),
});

export const usersResetFactors = command<{ user?: string; json?: boolean }, UserArgs>({
  path: ['users', 'reset-factors'],
  summary: "Remove an account's second factors: TOTP, recovery codes and passkeys.",
  synopsis: '--user <email|id> [--json]',
  description:
    'For someone who lost their authenticator: afterwards the password alone signs in, and they\n' +
    'can enrol again. Prints what was removed; audited (mfa.factors_reset). Sessions are left\n' +
    'alone: end them with gatehouse sessions end if the device may be in the wrong hands.',
  ...userOption,
  examples: ['gatehouse users reset-factors --user ada@example.com'],
  load: () => import('./run/factors.js').then((m) => m.resetUserFactors),
});
