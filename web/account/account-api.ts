/**
 * The page's calls of docs/api.md §8 and §10 (mail and recovery, second
 * factors, passkeys), through the typed client: each is one operation of the
 * OpenAPI document, its body and answer typed by client/schema.ts, its error
 * answer a GatehouseError. Signing in and the calls whose 401 means a wrong
 * password are client methods (client/index.ts).
 */
import { type GatehouseClient, type paths, unwrap } from '../../client/index.js';

type Json<P extends keyof paths, M extends 'get' | 'post' | 'patch' | 'delete'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Factors = Json<'/auth/factors', 'get'>;
export type Passkey = Factors['passkeys'][number];

export function accountApi(client: GatehouseClient) {
  const { api } = client;
  return {
    // ---- signed out ----
    passkeySignInOptions: () => unwrap(api.POST('/auth/passkeys/authentication-options', { body: {} })),
    verifyEmail: (token: string) => unwrap(api.POST('/auth/email/verify', { body: { token } })),
    resendVerification: (email: string) => unwrap(api.POST('/auth/email/verify/resend', { body: { email } })),
    forgotPassword: (email: string) => unwrap(api.POST('/auth/password/forgot', { body: { email } })),
    resetPassword: (token: string, newPassword: string) =>
      unwrap(api.POST('/auth/password/reset', { body: { token, newPassword } })),

    // ---- signed in ----
    changeEmail: (newEmail: string) => unwrap(api.POST('/auth/email', { body: { newEmail } })),
    factors: (): Promise<Factors> => unwrap(api.GET('/auth/factors')),
    enrolTotp: () => unwrap(api.POST('/auth/totp/enroll')),
    confirmTotp: (code: string) => unwrap(api.POST('/auth/totp/confirm', { body: { code } })),
    disableTotp: () => unwrap(api.POST('/auth/totp/disable')),
    newRecoveryCodes: () => unwrap(api.POST('/auth/recovery-codes')),
    passkeyRegistrationOptions: () => unwrap(api.POST('/auth/passkeys/registration-options')),
    addPasskey: (body: { challengeId: string; response: unknown; name?: string }) =>
      unwrap(api.POST('/auth/passkeys', { body: body as never })),
    renamePasskey: (id: string, name: string) =>
      unwrap(api.PATCH('/auth/passkeys/{id}', { params: { path: { id } }, body: { name } })),
    deletePasskey: (id: string) => unwrap(api.DELETE('/auth/passkeys/{id}', { params: { path: { id } } })),
  };
}

export type AccountApi = ReturnType<typeof accountApi>;
