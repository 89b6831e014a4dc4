import { randomUUID } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin } from '../domain/model.js';
import { requireFreshProof } from '../domain/reauthentication.js';
import type { Caller } from '../domain/tokens.js';
import type { ChallengePurpose, Passkey, PasskeyRecord } from './model.js';
import { newOpaqueToken, sha256 } from './secrets.js';

/**
 * The WebAuthn library, loaded on the first passkey ceremony rather than at start: it and its
 * ASN.1 dependencies are ~230 modules, ~135 ms of every start's module loading, and most
 * servers see a passkey rarely or never.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => {
  library ??= import('@simplewebauthn/server');
  return library;
};

/** A ceremony must finish within this; the browser is told the same timeout. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

const audit = (caller: Caller, origin: RequestOrigin, action: string, details: Record<string, unknown>) => ({
  action,
  reason: null,
  actorUserId: caller.userId,
  targetUserId: caller.userId,
  sessionIds: [caller.sessionId],
  ...origin,
  details,
});

/**
 * Keeps a challenge server side under the SHA-256 of a fresh challengeId, the
 * only handle the client gets: a challenge cannot be chosen, reused or
 * carried from one purpose to another.
 */
async function storeChallenge(
  ctx: Context,
  purpose: ChallengePurpose,
  challenge: string,
  userId: string | null,
): Promise<string> {
  const { token, hash } = newOpaqueToken();
  await ctx.store.transaction(async (tx) => {
    // A registration's account may have been deleted while the caller's token lives.
    if (userId && !(await tx.lockUser(userId))) throw new AppError('UNAUTHORIZED', 'Session has ended');
    await tx.insertChallenge(hash, {
      purpose,
      challenge,
      userId,
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    });
  });
  return token;
}

/** The challenge, deleted as it is read: used once whatever the outcome. Null when unknown, used or expired. */
async function takeChallenge(ctx: Context, challengeId: string, purpose: ChallengePurpose) {
  const challenge = await ctx.store.takeChallenge(sha256(challengeId), purpose);
  return challenge && challenge.expiresAt.getTime() > Date.now() ? challenge : null;
}

const invalid = (why: string) => new AppError('INVALID_CREDENTIAL', why);

/** POST /auth/passkeys/registration-options (fresh proof). */
export async function registrationOptions(
  ctx: Context,
  caller: Caller,
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  await requireFreshProof(ctx, caller);
  const { rpId, rpName } = ctx.settings.secondFactors;
  const existing = await ctx.store.listPasskeyCredentials(caller.userId);
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: caller.email,
    userDisplayName: caller.name ?? caller.email,
    // The user handle a discoverable passkey gives back at sign-in: the account id, nothing personal.
    userID: new TextEncoder().encode(caller.userId),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((id) => ({ id })),
    // Discoverable (sign-in without typing an email) and verified (PIN or biometrics): a passkey alone is two factors.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const challengeId = await storeChallenge(ctx, 'registration', options.challenge, caller.userId);
  return { challengeId, options };
}

/**
 * POST /auth/passkeys: verifies the attestation against the stored challenge,
 * this RP ID and the expected origins; stores the passkey only when all hold.
 */
export async function registerPasskey(
  ctx: Context,
  caller: Caller,
  input: { challengeId: string; response: RegistrationResponseJSON; name?: string },
  origin: RequestOrigin,
): Promise<Passkey> {
  const challenge = await takeChallenge(ctx, input.challengeId, 'registration');
  if (!challenge || challenge.userId !== caller.userId)
    throw invalid('The challenge is unknown, expired or already used; ask for new options');
  const { rpId, origins } = ctx.settings.secondFactors;
  const { verifyRegistrationResponse } = await webauthn();
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      requireUserVerification: true,
    });
  } catch (err) {
    throw invalid(`The passkey could not be verified: ${registrationFailure(err)}`);
  }
  if (!verified.verified) throw invalid('The passkey could not be verified');
  const info = verified.registrationInfo;
  const name = input.name ?? `Passkey ${new Date().toISOString().slice(0, 10)}`;
  const passkey = await ctx.store.transaction(async (tx) => {
    if (!(await tx.lockUser(caller.userId))) throw new AppError('UNAUTHORIZED', 'Session has ended');
    const stored = await tx.insertPasskey({
      id: randomUUID(),
      userId: caller.userId,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name,
    });
    if (stored)
      await tx.insertAuditEvent(audit(caller, origin, 'mfa.passkey_added', { passkeyId: stored.id, name }));
    return stored;
  });
  if (!passkey) throw new AppError('CONFLICT', 'This passkey is already registered');
  return passkey;
}

/** POST /auth/passkeys/authentication-options: a discoverable sign-in (no allowCredentials, no account named). */
export async function authenticationOptions(
  ctx: Context,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: ctx.settings.secondFactors.rpId,
    userVerification: 'required',
    timeout: CHALLENGE_TTL_MS,
  });
  const challengeId = await storeChallenge(ctx, 'authentication', options.challenge, null);
  return { challengeId, options };
}

/**
 * Verifies an assertion against a stored authentication challenge: the
 * passkey it names, its signature, origin, RP ID, user verification and
 * counter, and records the use. `passkey` is the one the assertion named, if
 * registered (whose account a failure concerns); `verified` says whether it
 * proved anything. Nothing is written on failure but the spent challenge.
 */
export async function verifyPasskeyAssertion(
  ctx: Context,
  input: { challengeId: string; response: AuthenticationResponseJSON },
): Promise<{ passkey: PasskeyRecord | null; verified: boolean }> {
  const challenge = await takeChallenge(ctx, input.challengeId, 'authentication');
  const passkey = await ctx.store.findPasskeyByCredentialId(input.response.id);
  if (!challenge || !passkey) return { passkey, verified: false };
  const handle = input.response.response.userHandle;
  if (handle && Buffer.from(handle, 'base64url').toString() !== passkey.userId)
    return { passkey, verified: false };
  const { rpId, origins } = ctx.settings.secondFactors;
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
        counter: passkey.counter,
        transports: passkey.transports,
      },
    });
    if (!verified) return { passkey, verified: false };
    await ctx.store.recordPasskeyUse(
      passkey.id,
      authenticationInfo.newCounter,
      authenticationInfo.credentialBackedUp,
      new Date(),
    );
    return { passkey, verified: true };
  } catch {
    // A wrong origin, challenge, signature or a counter that went backwards (a cloned authenticator).
    return { passkey, verified: false };
  }
}

/** PATCH /auth/passkeys/:id. 404 for another user's passkey, as for one that does not exist. */
export async function renamePasskey(
  ctx: Context,
  caller: Caller,
  id: string,
  name: string,
  origin: RequestOrigin,
): Promise<Passkey> {
  const renamed = await ctx.store.transaction(async (tx) => {
    const p = await tx.renamePasskey(caller.userId, id, name);
    if (p) await tx.insertAuditEvent(audit(caller, origin, 'mfa.passkey_renamed', { passkeyId: id, name }));
    return p;
  });
  if (!renamed) throw new AppError('NOT_FOUND', 'You have no passkey with this id');
  return renamed;
}

/** DELETE /auth/passkeys/:id (fresh proof). */
export async function deletePasskey(
  ctx: Context,
  caller: Caller,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  await requireFreshProof(ctx, caller);
  const deleted = await ctx.store.transaction(async (tx) => {
    const done = await tx.deletePasskey(caller.userId, id);
    if (done) await tx.insertAuditEvent(audit(caller, origin, 'mfa.passkey_deleted', { passkeyId: id }));
    return done;
  });
  if (!deleted) throw new AppError('NOT_FOUND', 'You have no passkey with this id');
}

/**
 * Why an attestation did not verify, in fixed words per kind of failure. The library's own
 * messages quote values: the expected challenge (random, so an answer that echoed it could
 * contain any text at all), the expected origins, and whatever origin, type or challenge the
 * client put in its clientDataJSON (reflected back to it). Each pattern is the fixed start of
 * one of @simplewebauthn/server 14's messages, anchored so that a value the client chose cannot
 * steer the choice; a message that matches none gets the last, general sentence.
 */
const REGISTRATION_FAILURES: readonly (readonly [RegExp, string])[] = [
  [
    /^(Unexpected registration response challenge|Custom challenge verifier)/,
    'it answers another challenge than the one issued; ask for new options and try again',
  ],
  [
    /^Unexpected registration response origin/,
    'it was made on another origin than this site (WEBAUTHN_ORIGINS)',
  ],
  [/^Unexpected RP ID hash/, 'it was made for another RP ID than this server (WEBAUTHN_RP_ID)'],
  [
    /^User (verification|presence) was required/,
    'the authenticator did not verify the user (PIN or biometrics), which is required',
  ],
  [
    /^Unexpected registration response type/,
    'it is not the answer to a registration (navigator.credentials.create())',
  ],
  [/^Unexpected public key alg/, "the authenticator's key algorithm is not supported"],
];

function registrationFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const known = REGISTRATION_FAILURES.find(([pattern]) => pattern.test(message));
  return known?.[1] ?? "the authenticator's answer is malformed or its attestation does not verify";
}
