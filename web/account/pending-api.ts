/**
 * The calls of issue #16's endpoints (docs/api.md §8: mail and recovery,
 * second factors, passkeys) that the typed client does not know yet, in one
 * place. They follow the agreed contract and go through the same openapi-fetch
 * clients as everything else, only untyped: once the endpoints are in the
 * OpenAPI document (and client/schema.ts is generated again), each becomes a
 * typed `client.api` call or a client method and this file goes away.
 */
import createClient from 'openapi-fetch';
import {
  type BrowserSession,
  type ErrorCode,
  type GatehouseClient,
  GatehouseError,
} from '../../client/index.js';

type Call = (
  path: string,
  init?: { body?: unknown },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
interface Untyped {
  GET: Call;
  POST: Call;
  PATCH: Call;
  DELETE: Call;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface Factors {
  totp: { enabled: boolean };
  recoveryCodes: { remaining: number };
  passkeys: Passkey[];
}
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  methods: string[];
}
export interface Challenge<Options> {
  challengeId: string;
  options: Options;
}
export type SignInAnswer = BrowserSession | MfaChallenge;
export const needsSecondFactor = (answer: SignInAnswer): answer is MfaChallenge =>
  (answer as MfaChallenge).mfaRequired === true;

async function unwrap<T>(call: ReturnType<Call>): Promise<T> {
  let answer: Awaited<ReturnType<Call>>;
  try {
    answer = await call;
  } catch (err) {
    throw new GatehouseError(0, {
      code: 'NETWORK_ERROR',
      message: 'Network error',
      description: err instanceof Error ? err.message : String(err),
    });
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  const envelope = error as { code?: string; message?: string; description?: string } | undefined;
  throw new GatehouseError(response.status, {
    code: (envelope?.code ?? 'UNEXPECTED_RESPONSE') as ErrorCode,
    message: envelope?.message ?? response.statusText,
    description: envelope?.description ?? `Gatehouse answered ${response.status}`,
  });
}

/** The endpoints of docs/api.md §8 the page calls. */
export function pendingApi(client: GatehouseClient) {
  // Signed in: through the client, so an expired access cookie is refreshed and the call retried.
  const session = client.api as unknown as Untyped;
  // Not signed in, or a 401 that means "wrong password or code" rather than "session over":
  // no refresh-and-retry (a retry would count a wrong guess twice).
  const plain = createClient({
    baseUrl: location.origin,
    credentials: 'same-origin',
  }) as unknown as Untyped;

  return {
    // ---- signed out ----
    signIn: (body: { email: string; password: string; remember: boolean }) =>
      unwrap<SignInAnswer>(plain.POST('/account/login', { body })),
    signInSecondFactor: (body: {
      mfaToken: string;
      code?: string;
      recoveryCode?: string;
      remember: boolean;
    }) => unwrap<BrowserSession>(plain.POST('/account/login/mfa', { body })),
    passkeySignInOptions: () =>
      unwrap<Challenge<unknown>>(plain.POST('/auth/passkeys/authentication-options', { body: {} })),
    signInWithPasskey: (body: { challengeId: string; response: unknown; remember: boolean }) =>
      unwrap<BrowserSession>(plain.POST('/account/login/passkey', { body })),
    verifyEmail: (token: string) =>
      unwrap<{ message: string }>(plain.POST('/auth/email/verify', { body: { token } })),
    resendVerification: (email: string) =>
      unwrap<{ message: string }>(plain.POST('/auth/email/verify/resend', { body: { email } })),
    forgotPassword: (email: string) =>
      unwrap<{ message: string }>(plain.POST('/auth/password/forgot', { body: { email } })),
    resetPassword: (token: string, newPassword: string) =>
      unwrap<{ message: string }>(plain.POST('/auth/password/reset', { body: { token, newPassword } })),

    // ---- signed in: credentials checked (401 = wrong, not signed out) ----
    reauthenticate: (body: { password: string } | { code: string }) =>
      unwrap<{ message: string }>(plain.POST('/auth/reauthenticate', { body })),
    changePassword: (body: { currentPassword: string; newPassword: string }) =>
      unwrap<{ message: string }>(plain.POST('/auth/password', { body })),

    // ---- signed in ----
    changeEmail: (newEmail: string) =>
      unwrap<{ message: string }>(session.POST('/auth/email', { body: { newEmail } })),
    factors: () => unwrap<Factors>(session.GET('/auth/factors')),
    enrolTotp: () =>
      unwrap<{ secret: string; otpauthUri: string }>(session.POST('/auth/totp/enroll', { body: {} })),
    confirmTotp: (code: string) =>
      unwrap<{ recoveryCodes: string[] }>(session.POST('/auth/totp/confirm', { body: { code } })),
    disableTotp: () => unwrap<{ message: string }>(session.POST('/auth/totp/disable', { body: {} })),
    newRecoveryCodes: () =>
      unwrap<{ recoveryCodes: string[] }>(session.POST('/auth/recovery-codes', { body: {} })),
    passkeyRegistrationOptions: () =>
      unwrap<Challenge<unknown>>(session.POST('/auth/passkeys/registration-options', { body: {} })),
    addPasskey: (body: { challengeId: string; response: unknown; name?: string }) =>
      unwrap<{ passkey: Passkey }>(session.POST('/auth/passkeys', { body })),
    renamePasskey: (id: string, name: string) =>
      unwrap<{ passkey: Passkey }>(
        session.PATCH(`/auth/passkeys/${encodeURIComponent(id)}`, { body: { name } }),
      ),
    deletePasskey: (id: string) =>
      unwrap<{ message: string }>(session.DELETE(`/auth/passkeys/${encodeURIComponent(id)}`)),
  };
}

export type PendingApi = ReturnType<typeof pendingApi>;
