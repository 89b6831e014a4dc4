import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin } from '../domain/model.js';
import { openSession, requireVerifiedEmail, type TokenGrant } from '../domain/sessions.js';
import { publicUser } from '../domain/users.js';
import { verifyPasskeyAssertion } from './passkeys.js';

export interface PasskeyLoginInput {
  challengeId: string;
  response: AuthenticationResponseJSON;
  remember?: boolean;
  deviceName?: string;
}

/**
 * The request body, whose shape the route's schema checked, as the WebAuthn
 * library types it (its enums are plain strings in the schema); the library
 * checks what they hold.
 */
export const passkeyLogin = (body: { challengeId: string; response: object }): PasskeyLoginInput =>
  body as PasskeyLoginInput;

/**
 * POST /auth/login/passkey: a discoverable passkey signs in with no password
 * and no TOTP: it is a possession factor verified by the device's PIN or
 * biometrics (userVerification required), so two factors already. Anything
 * that does not verify is 401, one answer, audited; then, as for a password,
 * REQUIRE_VERIFIED_EMAIL may refuse the account (403).
 */
export async function loginWithPasskey(
  ctx: Context,
  input: PasskeyLoginInput,
  origin: RequestOrigin,
): Promise<TokenGrant> {
  const { passkey, verified } = await verifyPasskeyAssertion(ctx, input);
  const user = passkey && (await ctx.store.findUserById(passkey.userId));
  if (!verified || !user || user.disabledAt) {
    ctx.metrics.logins.inc({ result: 'failure' });
    await ctx.store.insertAuditEvent({
      action: 'login.failed',
      reason: verified && user?.disabledAt ? 'account_disabled' : 'bad_passkey',
      actorUserId: null,
      targetUserId: passkey?.userId ?? null,
      sessionIds: [],
      ...origin,
      details: { method: 'passkey' },
    });
    throw new AppError('UNAUTHORIZED', 'The passkey could not be verified');
  }
  await requireVerifiedEmail(ctx, user, origin);
  return openSession(
    ctx,
    publicUser(user),
    { method: 'passkey', remember: input.remember, deviceName: input.deviceName ?? null },
    origin,
  );
}
