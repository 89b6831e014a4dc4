import { type TSchema, Type } from 'typebox';
import { ERRORS, type ErrorCode } from '../domain/errors.js';
import { PASSWORD_MAX } from '../domain/passwords.js';

/**
 * TypeBox schemas shared by the routes (validation, serialization) and the
 * OpenAPI document. One source: what is validated is what is documented.
 */

const Uuid = (description: string) => Type.String({ format: 'uuid', description });
// Handlers hand over Date objects; the serializer writes them as ISO 8601.
const DateTime = (description: string) =>
  Type.Unsafe<Date>({ type: 'string', format: 'date-time', description });

export const Email = Type.String({ format: 'email', maxLength: 254, description: 'Email address' });
export const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX * 4, description: 'Password' });

// ---- the error envelope (SPEC §1) ------------------------------------------

const ErrorDetail = Type.Object({
  path: Type.String({ description: 'JSON Pointer to the offending field' }),
  message: Type.String(),
});

function envelope(code: ErrorCode, responseDescription: string, description?: string) {
  const e = ERRORS[code];
  return Type.Object(
    {
      message: Type.String({ description: 'Error message' }),
      description: Type.Optional(Type.String({ description: 'Detailed error description' })),
      code: Type.Optional(Type.String({ description: 'Error code' })),
      details: Type.Optional(Type.Array(ErrorDetail, { description: 'Per-field problems (422)' })),
    },
    {
      description: responseDescription,
      examples: [{ message: e.message, description: description ?? e.description, code }],
    },
  );
}

/** Every error status each route can answer, in the envelope, with the seed's descriptions. */
export const Errors = {
  400: envelope('INVALID_INPUT', 'Bad Request - Invalid input data'),
  401: envelope('UNAUTHORIZED', 'Unauthorized - Invalid or missing authentication token'),
  403: envelope('FORBIDDEN', 'Forbidden - Insufficient permissions'),
  404: envelope('NOT_FOUND', 'Not Found - Resource not found'),
  409: envelope('CONFLICT', 'Conflict - Resource already exists or state conflict'),
  413: envelope('PAYLOAD_TOO_LARGE', 'Payload Too Large - Request body exceeds the limit'),
  422: envelope('VALIDATION_ERROR', 'Unprocessable Entity - Validation error'),
  429: envelope('RATE_LIMITED', 'Too Many Requests - Rate limit exceeded (see Retry-After)'),
  503: envelope(
    'SERVICE_UNAVAILABLE',
    'Service Unavailable - Database unreachable or revocations not current',
  ),
} as const;

type ErrorStatus = keyof typeof Errors;
export const errorResponses = <S extends ErrorStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, Errors[s]])) as { [K in S]: (typeof Errors)[K] };

// ---- resources -------------------------------------------------------------

export const UserSchema = Type.Object({
  id: Uuid('User id'),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.Enum(['user', 'admin'])),
});

export const SessionRef = Type.Object({
  id: Uuid('Session id'),
  createdAt: DateTime('When the session was opened (login)'),
  expiresAt: DateTime('Absolute end of the session; refresh tokens stop working then'),
});

export const SessionDetail = Type.Object({
  id: Uuid('Session id'),
  createdAt: DateTime('When the session was opened (login)'),
  lastUsedAt: DateTime('Last login or refresh on this session'),
  expiresAt: DateTime('Absolute end of the session'),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'True for the session of the token making this request' }),
});

export const TokenResponse = Type.Object(
  {
    tokenType: Type.Literal('Bearer'),
    accessToken: Type.String({ description: 'Short-lived EdDSA JWT; send as Authorization: Bearer' }),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
    refreshToken: Type.String({ description: 'Opaque, single-use; exchange at /auth/refresh' }),
    refreshExpiresIn: Type.Integer({ description: 'Seconds until the refresh token (and session) expires' }),
    session: SessionRef,
    user: UserSchema,
  },
  { description: 'A new token pair' },
);

export const MessageResponse = (description: string, example: string) =>
  Type.Object(
    { message: Type.String({ examples: [example] }) },
    { description, examples: [{ message: example }] },
  );

// ---- request bodies ----------------------------------------------------------

const strict = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });

export const RegisterBody = strict({
  email: Email,
  password: Password,
  name: Type.Optional(Type.String({ maxLength: 200 })),
});

export const LoginBody = strict({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Password });

export const RefreshBody = strict({ refreshToken: Type.String({ minLength: 1, maxLength: 512 }) });

export const RevokeBody = strict({
  token: Type.String({ minLength: 1, maxLength: 4096, description: 'A refresh token or access token' }),
  token_type_hint: Type.Optional(Type.Enum(['refresh_token', 'access_token'])),
});

export const LogoutBody = strict(
  {
    scope: Type.Optional(
      Type.Enum(['current', 'others', 'all'], {
        description: 'current (default): this session; others: every other session; all: every session',
      }),
    ),
    sessionId: Type.Optional(Uuid('End this one session of yours (not combinable with scope)')),
    userId: Type.Optional(Uuid('Admin only: end every session of this user (with scope "all")')),
  },
  'Optional. No body, an empty body and {} all end the current session.',
);
