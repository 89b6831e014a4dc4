import type { ProofMethod } from '../domain/model.js';

/**
 * The ID token's `amr` (OIDC Core §2) from what the session was proven by at its auth_time,
 * in RFC 8176's registered values (docs/oidc.md has the table):
 *
 *   password         pwd
 *   TOTP code        otp   (RFC 8176 names RFC 6238 for it)
 *   recovery code    —     single-use codes printed at enrolment (NIST SP 800-63B "look-up
 *                          secrets") have no registered value; rather than call one an
 *                          `otp` (which would hide from a relying party that the authenticator
 *                          app was not used), only `mfa` reports the second factor
 *   passkey          hwk, user: a key held by the authenticator, used after a user check
 *                          (userVerification is required: the device's PIN or biometrics,
 *                          which the authenticator does not say which, so no `pin`/`fpt`)
 *   two factors      mfa   a password with a code, or a passkey (possession and the verified user)
 *
 * Null when the session's proof was never recorded (opened before migration 012): no `amr`
 * rather than a guess.
 */
export function amrValues(methods: readonly ProofMethod[] | null): string[] | null {
  if (!methods?.length) return null;
  const amr = new Set<string>();
  let factors = 0;
  for (const m of methods) {
    if (m === 'password') {
      amr.add('pwd');
      factors += 1;
    } else if (m === 'totp') {
      amr.add('otp');
      factors += 1;
    } else if (m === 'recovery_code') factors += 1;
    else {
      amr.add('hwk').add('user');
      factors += 2;
    }
  }
  if (factors >= 2) amr.add('mfa');
  return [...amr];
}
