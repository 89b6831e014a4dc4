import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { RECOVERY_CODE_COUNT } from '../mfa/recovery-codes.js';
import { DateTime, NO_CONTROL_CHARS_C1, named, Password, ref, strict, Uuid } from './schemas.js';

/** TypeBox schemas of second factors (docs/api.md §10); added to the app beside schemas.ts's. */

const TotpCode = Type.String({
  minLength: 1,
  maxLength: 10,
  pattern: '^[0-9]*$',
  description: 'The 6-digit code the authenticator app shows now',
  examples: ['123456'],
});
const RecoveryCode = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9 -]*$',
  description: 'One of the recovery codes shown when TOTP was enabled (case, spaces and dashes ignored)',
});
const OpaqueToken = (description: string) =>
  Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]*$', description });
const Remember = Type.Boolean({
  description: 'As at POST /auth/login; by default the value given at the password step',
});
const DeviceName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: NO_CONTROL_CHARS_C1,
  description: 'As at POST /auth/login; by default the value given at the password step',
});
const PasskeyName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: NO_CONTROL_CHARS_C1,
  description: 'A name to tell this passkey from others, e.g. "Laptop"',
});
const RecoveryCodes = Type.Array(Type.String({ maxLength: 11, examples: ['k3m9q-x7tz2'] }), {
  minItems: RECOVERY_CODE_COUNT,
  maxItems: RECOVERY_CODE_COUNT,
  description: 'Single-use codes for when the authenticator app is not at hand; shown only now',
});

export const SecondFactorRequired = named(
  'SecondFactorRequired',
  Type.Object(
    {
      mfaRequired: Type.Literal(true),
      mfaToken: Type.String({
        maxLength: 43,
        description: 'Send to POST /auth/login/mfa with a code, within 5 minutes; single use',
      }),
      methods: Type.Array(Type.Enum(['totp', 'recovery_code']), { maxItems: 2, uniqueItems: true }),
    },
    {
      description: 'The password was right and the account has a second factor: no session yet',
      examples: [
        {
          mfaRequired: true,
          mfaToken: 'Vb1oQ8m2Yc7rT4nL0xJ5kS9pZ3wE6aHd2gFi0qBe9Ck',
          methods: ['totp', 'recovery_code'],
        },
      ],
    },
  ),
);

export const PasskeySchema = named(
  'Passkey',
  Type.Object(
    {
      id: Uuid('Passkey id'),
      name: Type.String({ maxLength: 100 }),
      createdAt: DateTime('When it was registered'),
      lastUsedAt: Type.Union([DateTime('Its last sign-in or reauthentication'), Type.Null()]),
    },
    { description: 'A passkey of the caller' },
  ),
);

export const FactorsResponse = Type.Object(
  {
    totp: Type.Object({
      enabled: Type.Boolean({ description: 'False while an enrolment waits for its first code' }),
    }),
    recoveryCodes: Type.Object({
      remaining: Type.Integer({ minimum: 0, maximum: RECOVERY_CODE_COUNT, format: 'int32' }),
    }),
    passkeys: Type.Array(ref(PasskeySchema), { maxItems: 1000 }),
  },
  { description: "The caller's second factors" },
);

export const TotpEnrollResponse = Type.Object(
  {
    secret: Type.String({ maxLength: 64, description: 'Base32; for apps that cannot scan a QR code' }),
    otpauthUri: Type.String({ maxLength: 500, description: 'The otpauth:// URI a QR code carries' }),
  },
  { description: 'Pending until POST /auth/totp/confirm' },
);

export const RecoveryCodesResponse = Type.Object(
  { recoveryCodes: RecoveryCodes },
  { description: 'Store them somewhere safe: they are not shown again' },
);

export const TotpConfirmBody = named(
  'TotpConfirmRequest',
  strict({ code: TotpCode }, 'The first code from the authenticator app enables TOTP.'),
);

export const MfaLoginBody = named(
  'MfaLoginRequest',
  strict(
    {
      mfaToken: OpaqueToken('From the password step (POST /auth/login)'),
      code: Type.Optional(TotpCode),
      recoveryCode: Type.Optional(RecoveryCode),
      remember: Type.Optional(Remember),
      deviceName: Type.Optional(DeviceName),
    },
    'The second step of a login: the mfaToken and exactly one of code or recoveryCode.',
  ),
);

/** WebAuthn's JSON encodings, as @simplewebauthn/browser sends them; the library checks their contents. */
const B64 = (maxLength: number, description?: string) =>
  Type.String({ maxLength, pattern: '^[A-Za-z0-9_-]*={0,2}$', ...(description ? { description } : {}) });
const ClientOutputs = Type.Object(
  {},
  { additionalProperties: true, maxProperties: 20, description: 'Extension outputs, passed through' },
);

const RegistrationCredential = Type.Object(
  {
    id: B64(1400),
    rawId: B64(1400),
    type: Type.Literal('public-key'),
    authenticatorAttachment: Type.Optional(Type.Enum(['platform', 'cross-platform'])),
    clientExtensionResults: ClientOutputs,
    response: Type.Object(
      {
        clientDataJSON: B64(4096),
        attestationObject: B64(16_384),
        authenticatorData: Type.Optional(B64(8192)),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })),
        publicKeyAlgorithm: Type.Optional(
          Type.Integer({ minimum: -65_536, maximum: 65_536, format: 'int32' }),
        ),
        publicKey: Type.Optional(B64(4096)),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: "navigator.credentials.create()'s result, as JSON (PublicKeyCredential.toJSON())",
  },
);

const AuthenticationCredential = Type.Object(
  {
    id: B64(1400),
    rawId: B64(1400),
    type: Type.Literal('public-key'),
    authenticatorAttachment: Type.Optional(Type.Enum(['platform', 'cross-platform'])),
    clientExtensionResults: ClientOutputs,
    response: Type.Object(
      {
        clientDataJSON: B64(4096),
        authenticatorData: B64(8192),
        // Post-quantum keys sign long: ML-DSA-44 2,420 bytes (Chromium's virtual authenticator
        // picks it when offered), ML-DSA-87 4,627 bytes, i.e. 6,170 characters of base64url.
        signature: B64(8192),
        userHandle: Type.Optional(B64(128)),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: "navigator.credentials.get()'s result, as JSON (PublicKeyCredential.toJSON())",
  },
);

const ChallengeId = OpaqueToken('From the options call; single use, 5 minutes');

export const PasskeyAssertion = named(
  'PasskeyAssertion',
  strict(
    { challengeId: ChallengeId, response: AuthenticationCredential },
    'A passkey assertion against a challenge of POST /auth/passkeys/authentication-options',
  ),
);

export const ReauthenticateBody = named(
  'ReauthenticateRequest',
  Type.Object(
    {
      password: Type.Optional(Password),
      code: Type.Optional(TotpCode),
      passkey: Type.Optional(ref(PasskeyAssertion)),
    },
    {
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      description:
        "One proof that it is still you, renewing the session's authTime: your password, a TOTP code, or a passkey assertion.",
    },
  ),
);

export const PasskeyRegisterBody = named(
  'PasskeyRegistrationRequest',
  strict({ challengeId: ChallengeId, response: RegistrationCredential, name: Type.Optional(PasskeyName) }),
);

export const PasskeyRenameBody = named('PasskeyRenameRequest', strict({ name: PasskeyName }));

export const PasskeyLoginBody = named(
  'PasskeyLoginRequest',
  strict({
    challengeId: ChallengeId,
    response: AuthenticationCredential,
    remember: Type.Optional(Type.Boolean({ description: 'As at POST /auth/login' })),
    deviceName: Type.Optional(DeviceName),
  }),
);

/** Options for @simplewebauthn/browser (or navigator.credentials), passed through as the library makes them. */
const CeremonyOptions = (description: string) =>
  Type.Object(
    {
      challenge: B64(100),
      timeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, format: 'int32' })),
    },
    { additionalProperties: true, maxProperties: 20, description },
  );

export const ChallengeResponse = (description: string) =>
  Type.Object(
    {
      challengeId: Type.String({
        maxLength: 43,
        description: 'Send back with the response; single use, 5 minutes',
      }),
      options: CeremonyOptions(description),
    },
    { description },
  );

export const PasskeyIdParams = Type.Object({ id: Uuid('Passkey id') });

/** Named schemas of this file, added once (componentSchemas adds schemas.ts's). */
export const factorSchemas = fp(async (app: FastifyInstance) => addFactorSchemas(app), {
  name: 'gatehouse-factor-schemas',
  fastify: '5.x',
  dependencies: ['gatehouse-component-schemas'],
});

function addFactorSchemas(app: FastifyInstance): void {
  for (const schema of [
    SecondFactorRequired,
    PasskeySchema,
    TotpConfirmBody,
    MfaLoginBody,
    PasskeyAssertion,
    ReauthenticateBody,
    PasskeyRegisterBody,
    PasskeyRenameBody,
    PasskeyLoginBody,
  ])
    app.addSchema(schema);
}
