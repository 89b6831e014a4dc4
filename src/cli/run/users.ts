import {
  type AccountChange,
  deleteUser as deleteAccount,
  disableUser as disableAccount,
  enableUser as enableAccount,
  setUserPassword,
} from '../../domain/accounts.js';
import { findUser, grantAdmin, listUsers as listAccounts, requireUser } from '../../domain/admin.js';
import type { Context } from '../../domain/context.js';
import { AppError } from '../../domain/errors.js';
import type { User } from '../../domain/model.js';
import { register } from '../../domain/users.js';
import { UsageError } from '../command.js';
import { CLI_ORIGIN, cliActor, withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable } from '../output.js';
import { canAsk, promptHidden } from '../prompt.js';
import type { SetPasswordArgs, UserArgs, UsersCreateArgs, UsersListArgs } from '../users.js';

export async function createUser(args: UsersCreateArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const actor = cliActor();
    const existing = await findUser(ctx, args.email);
    if (existing) {
      if (!args.admin)
        throw new AppError(
          'CONFLICT',
          `An account with email ${existing.email} already exists (add --admin to make it an admin)`,
        );
      const { user, granted } = await grantAdmin(ctx, existing, actor);
      if (args.json) printJson(io, { user, created: false, grantedAdmin: granted });
      else
        printLine(
          io,
          granted
            ? `Made ${user.email} an admin (${user.id}).`
            : `${user.email} is already an admin (${user.id}).`,
        );
      return 0;
    }
    const password = args.password ?? (await askPassword(io));
    const user = await register(
      ctx,
      {
        email: args.email,
        password,
        name: args.name,
        roles: args.admin ? ['user', 'admin'] : ['user'],
        grantedBy: actor.operator,
      },
      CLI_ORIGIN,
      actor,
    );
    if (args.json) printJson(io, { user, created: true, grantedAdmin: args.admin });
    else printLine(io, `Created ${args.admin ? 'admin ' : ''}${user.email} (${user.id}).`);
    return 0;
  });
}

export async function listUsers(args: UsersListArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const users = await listAccounts(ctx, args.limit);
    if (args.json) printJson(io, { users });
    else
      printTable(
        io,
        users,
        [
          ['ID', (u) => u.id],
          ['EMAIL', (u) => u.email],
          ['NAME', (u) => u.name],
          ['ROLES', (u) => u.roles.join(',')],
          ['CREATED', (u) => formatTime(u.createdAt)],
          ['STATE', (u) => (u.disabledAt ? `disabled ${formatTime(u.disabledAt)}` : 'active')],
        ],
        'No users yet. Create one with: gatehouse users create --email <email> --admin',
      );
    return 0;
  });
}

export const disableUser = accountCommand(disableAccount, (user, { changed }) =>
  changed ? `Disabled ${user.email}` : `${user.email} was already disabled`,
);

export const enableUser = accountCommand(enableAccount, (user, { changed }) =>
  changed ? `Enabled ${user.email}` : `${user.email} was not disabled`,
);

export const deleteUser = accountCommand(deleteAccount, (user) => `Deleted ${user.email} (${user.id})`);

export async function setPassword(args: SetPasswordArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const user = await requireUser(ctx, args.user);
    const password = args.password ?? (await askPassword(io));
    const result = await setUserPassword(ctx, user, password, cliActor());
    report(io, args, user, result, `Set a new password for ${user.email}`);
    return 0;
  });
}

/** A command that changes one account (named by --user) and may end its sessions. */
function accountCommand(
  change: (ctx: Context, user: User, actor: ReturnType<typeof cliActor>) => Promise<AccountChange>,
  done: (user: User, result: AccountChange) => string,
) {
  return (args: UserArgs, io: CliIo): Promise<number> =>
    withContext(io, async (ctx) => {
      const user = await requireUser(ctx, args.user);
      const result = await change(ctx, user, cliActor());
      report(io, args, user, result, done(user, result));
      return 0;
    });
}

function report(io: CliIo, args: { json: boolean }, user: User, result: AccountChange, done: string): void {
  const ids = result.endedSessions.map((s) => s.id);
  if (args.json)
    printJson(io, {
      user: { id: user.id, email: user.email },
      changed: result.changed,
      endedSessionIds: ids,
    });
  else if (ids.length === 0) printLine(io, `${done}.`);
  else printLine(io, `${done}; ended ${ids.length} session${ids.length === 1 ? '' : 's'}.`);
}

async function askPassword(io: CliIo): Promise<string> {
  // The account may not have existed when the arguments were checked (--admin alone).
  if (!canAsk(io))
    throw new UsageError(
      'no password: pass --password, set GATEHOUSE_PASSWORD, or run on a terminal to be asked',
    );
  const first = await promptHidden(io, 'Password: ');
  const again = await promptHidden(io, 'Repeat password: ');
  if (first !== again) throw new AppError('VALIDATION_ERROR', 'The two passwords do not match');
  return first;
}
