import { findUser, grantAdmin, listUsers } from '../domain/admin.js';
import { AppError } from '../domain/errors.js';
import type { User } from '../domain/model.js';
import { register } from '../domain/users.js';
import { command, emailArg, UsageError, wholeNumber } from './command.js';
import { CLI_ORIGIN, operator, withContext } from './connect.js';
import { formatTime, printJson, printLine, printTable } from './output.js';
import { promptHidden } from './prompt.js';

export const usersCreate = command<{
  email?: string;
  password?: string;
  name?: string;
  admin?: boolean;
  json?: boolean;
}>({
  path: ['users', 'create'],
  summary: 'Create an account, or make an existing one an admin (--admin).',
  synopsis: '--email <email> [--password <password>] [--name <name>] [--admin] [--json]',
  description:
    'The password follows the same rules as POST /auth/register. It is taken from --password, else from\n' +
    'the GATEHOUSE_PASSWORD environment variable, else asked for on the terminal. Prefer the last two:\n' +
    'a --password value is visible to other users of the machine and stays in the shell history.\n' +
    'With --admin, an existing account is given the admin role (its password is left unchanged).',
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
  async run(args) {
    const email = emailArg(args.email);
    const name = args.name?.trim() || null;
    const password = args.password ?? (process.env.GATEHOUSE_PASSWORD || null);
    // Only a new account needs one (--admin on an existing account does not): without --admin,
    // a script that gave none fails before the database is even opened.
    if (password === null && !args.admin) checkCanAsk();
    return withContext(async (ctx) => {
      const actor = { origin: CLI_ORIGIN, operator: operator() };
      const existing = await findUser(ctx, email);
      if (existing) {
        if (!args.admin)
          throw new AppError(
            'CONFLICT',
            `An account with email ${existing.email} already exists (add --admin to make it an admin)`,
          );
        const { user, granted } = await grantAdmin(ctx, existing, actor);
        if (args.json) printJson({ user, created: false, grantedAdmin: granted });
        else
          printLine(
            granted
              ? `Made ${user.email} an admin (${user.id}).`
              : `${user.email} is already an admin (${user.id}).`,
          );
        return 0;
      }
      if (password === null) checkCanAsk();
      const secret = password ?? (await askPassword());
      const user = await register(
        ctx,
        {
          email,
          password: secret,
          name,
          roles: args.admin ? ['user', 'admin'] : ['user'],
          grantedBy: actor.operator,
        },
        CLI_ORIGIN,
      );
      if (args.json) printJson({ user, created: true, grantedAdmin: Boolean(args.admin) });
      else printLine(`Created ${args.admin ? 'admin ' : ''}${user.email} (${user.id}).`);
      return 0;
    });
  },
});

export const usersList = command<{ limit?: string; json?: boolean }>({
  path: ['users', 'list'],
  summary: 'List accounts, oldest first.',
  synopsis: '[--limit <n>] [--json]',
  options: { limit: { type: 'string' } },
  optionHelp: [{ flag: '--limit <n>', description: 'at most this many (default 100, at most 10000)' }],
  examples: ['gatehouse users list', "gatehouse users list --json | jq -r '.users[].email'"],
  json: true,
  async run(args) {
    const limit = wholeNumber('limit', args.limit, 100, 10_000);
    return withContext(async (ctx) => {
      const users = await listUsers(ctx, limit);
      if (args.json) printJson({ users });
      else
        printTable<User>(
          users,
          [
            ['ID', (u) => u.id],
            ['EMAIL', (u) => u.email],
            ['NAME', (u) => u.name],
            ['ROLES', (u) => u.roles.join(',')],
            ['CREATED', (u) => formatTime(u.createdAt)],
          ],
          'No users yet. Create one with: gatehouse users create --email <email> --admin',
        );
      return 0;
    });
  },
});

function checkCanAsk(): void {
  if (!process.stdin.isTTY)
    throw new UsageError(
      'no password: pass --password, set GATEHOUSE_PASSWORD, or run on a terminal to be asked',
    );
}

async function askPassword(): Promise<string> {
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Repeat password: ');
  if (first !== again) throw new AppError('VALIDATION_ERROR', 'The two passwords do not match');
  return first;
}
