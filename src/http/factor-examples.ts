/** The request examples of docs/api.md §10's operations, shown on /docs and sent by test/http/openapi-examples.test.ts. */

// Second factors (docs/api.md §10). WebAuthn responses are what @simplewebauthn/browser returns; shortened here.
const EXAMPLE_MFA_TOKEN = 'Vb1oQ8m2Yc7rT4nL0xJ5kS9pZ3wE6aHd2gFi0qBe9Ck';
const EXAMPLE_CHALLENGE_ID = 'q7Hc2LmX9vRt4NpZ0sWk3YbE8dJf6GaU1oTi5eKr2Qw';
const EXAMPLE_CREDENTIAL_ID = 'hX3pS0bqR9eZk2Wm7Tc4Vg';
const EXAMPLE_ASSERTION = {
  id: EXAMPLE_CREDENTIAL_ID,
  rawId: EXAMPLE_CREDENTIAL_ID,
  type: 'public-key',
  authenticatorAttachment: 'platform',
  clientExtensionResults: {},
  response: {
    clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoi4oCmIn0',
    authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MdAAAAAQ',
    signature: 'MEUCIQDx1v3Wz8a0KQ2bH9sYtD4lPj7uE5nR6cM0gV2aL8fXkQIgB3c',
    userHandle: 'N2M5ZTY2NzktNzQyNS00MGRlLTk0NGItZTA3ZmMxZjkwYWU3',
  },
};
/**
 * Request examples of the second-factor operations, by operationId (as schemas.ts's
 * REQUEST_EXAMPLES; docs.ts shows both, and test/http/openapi-examples.test.ts sends them).
 */
export const FACTOR_REQUEST_EXAMPLES: Record<string, Record<string, { summary: string; value: object }>> = {
  loginMfa: {
    totp: {
      summary: 'A code from the authenticator app',
      value: { mfaToken: EXAMPLE_MFA_TOKEN, code: '492039' },
    },
    recoveryCode: {
      summary: 'A recovery code, when the app is not at hand',
      value: { mfaToken: EXAMPLE_MFA_TOKEN, recoveryCode: 'k3m9q-x7tz2' },
    },
  },
  loginPasskey: {
    passkey: {
      summary: 'An assertion for a challenge of POST /auth/passkeys/authentication-options',
      value: { challengeId: EXAMPLE_CHALLENGE_ID, response: EXAMPLE_ASSERTION },
    },
  },
  confirmTotp: { code: { summary: 'The first code from the app', value: { code: '492039' } } },
  registerPasskey: {
    laptop: {
      summary: "The authenticator's answer to the registration options, named",
      value: {
        challengeId: EXAMPLE_CHALLENGE_ID,
        name: 'Laptop',
        response: {
          id: EXAMPLE_CREDENTIAL_ID,
          rawId: EXAMPLE_CREDENTIAL_ID,
          type: 'public-key',
          authenticatorAttachment: 'platform',
          clientExtensionResults: {},
          response: {
            clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoi4oCmIn0',
            attestationObject: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF',
            transports: ['internal'],
          },
        },
      },
    },
  },
  renamePasskey: { name: { summary: 'A new name', value: { name: 'Work laptop' } } },
  passkeyAuthenticationOptions: { empty: { summary: 'No account is named', value: {} } },
};
FACTOR_REQUEST_EXAMPLES.reauthenticate = {
  code: { summary: 'A TOTP code, for an account with TOTP', value: { code: '492039' } },
};
FACTOR_REQUEST_EXAMPLES.accountLoginMfa = FACTOR_REQUEST_EXAMPLES.loginMfa!;
FACTOR_REQUEST_EXAMPLES.accountLoginPasskey = FACTOR_REQUEST_EXAMPLES.loginPasskey!;
