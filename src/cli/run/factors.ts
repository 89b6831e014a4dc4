import { requireUser } from '../../domain/admin.js';
import { resetFactors } from '../../mfa/reset.js';
import { cliActor, withContext } from '../connect.js';
import { type CliIo, printJson, printLine } from '../output.js';
import type { UserArgs } from '../users.js';

export async function resetUserFactors(args: UserArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const user = await requireUser(ctx, args.user);
    const removed = await resetFactors(ctx, user, cliActor());
    if (args.json) {
      printJson(io, { user: { id: user.id, email: user.email }, removed });
      return 0;
    }
    const parts = [
      removed.totp && `TOTP (${removed.totp})`,
      removed.recoveryCodes > 0 &&
        `${removed.recoveryCodes} recovery code${removed.recoveryCodes === 1 ? '' : 's'}`,
      removed.passkeys.length > 0 &&
        `${removed.passkeys.length} passkey${removed.passkeys.length === 1 ? '' : 's'} (${removed.passkeys.join(', ')})`,
    ].filter(Boolean);
    printLine(
      io,
      parts.length === 0
        ? `${user.email} (${user.id}) had no second factors; nothing removed.`
        : `Removed from ${user.email} (${user.id}): ${parts.join(', ')}.`,
    );
    return 0;
  });
}
