import { generate } from 'otplib';
import { expect } from 'vitest';
import { SoftwareAuthenticator } from './authenticator.js';
import { PASSWORD, type SignedIn, type TestApp } from './harness.js';

/** The TOTP code of `secret` at `at` (default now, by the application's clock). */
export const totpCode = (secret: string, at = Date.now()) =>
  generate({ secret, epoch: Math.floor(at / 1000) });

/** Enrols and confirms TOTP for a freshly signed-in user; returns the secret and the recovery codes. */
export async function enableTotp(
  t: TestApp,
  who: SignedIn,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrol = await t.app.inject({ method: 'POST', url: '/auth/totp/enroll', headers: who.headers });
  expect(enrol.statusCode, enrol.body).toBe(200);
  const { secret } = enrol.json() as { secret: string };
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/auth/totp/confirm',
    headers: who.headers,
    payload: { code: await totpCode(secret) },
  });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { secret, recoveryCodes: confirm.json().recoveryCodes };
}

/** The password step of a login for an account with TOTP: its mfaToken. */
export async function passwordStep(
  t: TestApp,
  email: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email, password: PASSWORD, ...extra },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().mfaRequired).toBe(true);
  return res.json().mfaToken as string;
}

/** The authenticator of the test app's origin (its PUBLIC_URL, or WEBAUTHN_ORIGINS' first). */
export const authenticatorFor = (t: TestApp) =>
  new SoftwareAuthenticator(t.config.secondFactors.origins[0] as string);

/** Registration options for a freshly signed-in user. */
export async function registrationOptions(t: TestApp, who: SignedIn) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/passkeys/registration-options',
    headers: who.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { challengeId: string; options: Parameters<SoftwareAuthenticator['register']>[0] };
}

/** Registers a passkey on `authenticator` for a freshly signed-in user. */
export async function addPasskey(
  t: TestApp,
  who: SignedIn,
  authenticator: SoftwareAuthenticator,
  name?: string,
) {
  const { challengeId, options } = await registrationOptions(t, who);
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/passkeys',
    headers: who.headers,
    payload: { challengeId, response: authenticator.register(options), ...(name ? { name } : {}) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().passkey as { id: string; name: string; createdAt: string; lastUsedAt: string | null };
}

/** A challenge for a passkey sign-in (or reauthentication). */
export async function authenticationOptions(t: TestApp) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/passkeys/authentication-options',
    payload: {},
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { challengeId: string; options: Parameters<SoftwareAuthenticator['authenticate']>[0] };
}

/** A fresh assertion from the authenticator's last passkey. */
export async function assertion(
  t: TestApp,
  authenticator: SoftwareAuthenticator,
  bend: Parameters<SoftwareAuthenticator['authenticate']>[1] = {},
) {
  const { challengeId, options } = await authenticationOptions(t);
  return { challengeId, response: authenticator.authenticate(options, bend) };
}
