import { type TSchema, Type } from 'typebox';
import { ERRORS, type ErrorCode } from '../domain/errors.js';
import { LOGOUT_SCOPES } from '../domain/logout.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../domain/passwords.js';

/**
 * TypeBox schemas shared by the routes (validation, serialization) and the
 * OpenAPI document. One source: what is validated is what is documented.
 */

// Every string has a maximum length and every array a maximum size, requests and responses alike
// (OWASP API4:2023; `npm run lint:openapi` checks the document for it).
const Uuid = (description: string) => Type.String({ format: 'uuid', maxLength: 36, description });
// Handlers hand over Date objects; the serializer writes them as ISO 8601.
const DateTime = (description: string) =>
  Type.Unsafe<Date>({ type: 'string', format: 'date-time', maxLength: 30, description });
/** A duration in whole seconds, up to `max`. */
export const Seconds = (description: string, max: number) =>
  Type.Integer({ minimum: 0, maximum: max, format: 'int32', description });

/**
 * No control characters (NUL above all: PostgreSQL text cannot hold it, so it
 * would fail in the database instead of being refused here with a 422).
 */
const NO_CONTROL_CHARS = '^[^\\u0000-\\u001f\\u007f]*$';

export const Email = Type.String({
  format: 'email',
  maxLength: 254,
  pattern: NO_CONTROL_CHARS,
  description: 'Email address',
});
export const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX * 4, description: 'Password' });
/** A compact JWS: three base64url parts. */
const JWT_PATTERN = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$';
/** 256 random bits, base64url. */
const REFRESH_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

// ---- the error envelope (SPEC §1) ------------------------------------------

const ErrorDetail = Type.Object({
  path: Type.String({ maxLength: 300, description: 'JSON Pointer to the offending field' }),
  message: Type.String({ maxLength: 500 }),
});

function envelope(code: ErrorCode, responseDescription: string, description?: string) {
  const e = ERRORS[code];
  return Type.Object(
    {
      // Fixed per status (SPEC §1), so documented as constants. Only `message` is required, as in
      // the seed's schema; Gatehouse always sends all three.
      message: Type.Literal(e.message, { description: 'Error message' }),
      description: Type.Optional(Type.String({ maxLength: 2000, description: 'Detailed error description' })),
      code: Type.Optional(Type.Literal(code, { description: 'Error code' })),
      details: Type.Optional(
        Type.Array(ErrorDetail, { maxItems: 50, description: 'Per-field problems (422)' }),
      ),
    },
    {
      description: responseDescription,
      examples: [{ message: e.message, description: description ?? e.description, code }],
    },
  );
}

function withRetryAfter<T extends TSchema>(schema: T): T {
  const retryAfter = Type.Integer({
    minimum: 1,
    maximum: 86_400,
    format: 'int32',
    description: 'Seconds to wait before retrying',
  });
  return { ...schema, headers: { 'Retry-After': retryAfter } };
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
  429: withRetryAfter(envelope('RATE_LIMITED', 'Too Many Requests - Rate limit exceeded (see Retry-After)')),
  503: withRetryAfter(
    envelope('SERVICE_UNAVAILABLE', 'Service Unavailable - Database unreachable or revocations not current'),
  ),
} as const;

const RateLimitHeaders = {
  'X-RateLimit-Limit': Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    format: 'int32',
    description: 'Requests allowed per window (per client address, or per account for logins)',
  }),
  'X-RateLimit-Remaining': Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    format: 'int32',
    description: 'Requests left in this window',
  }),
  'X-RateLimit-Reset': Type.Integer({
    minimum: 0,
    maximum: 86_400,
    format: 'int32',
    description: 'Seconds until the window starts again',
  }),
};

/**
 * The responses of a rate-limited operation (docs/security.md): each 2xx and
 * 4xx carries the X-RateLimit-* headers (while RATE_LIMITS is on), a 429 also Retry-After.
 */
export function rateLimited<R extends Record<number, TSchema>>(responses: R): R {
  return Object.fromEntries(
    Object.entries(responses).map(([status, schema]) => [
      status,
      /^[24]/.test(status)
        ? { ...schema, headers: { ...(schema as { headers?: object }).headers, ...RateLimitHeaders } }
        : schema,
    ]),
  ) as R;
}

/** 403 for a sensitive operation without a fresh proof of the password (SPEC §7). */
export const ReauthenticationRequired = envelope(
  'REAUTHENTICATION_REQUIRED',
  'Forbidden - A fresh proof of the password is needed (POST /auth/reauthenticate)',
);

type ErrorStatus = keyof typeof Errors;
export const errorResponses = <S extends ErrorStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, Errors[s]])) as { [K in S]: (typeof Errors)[K] };

// ---- resources -------------------------------------------------------------

export const UserSchema = Type.Object({
  id: Uuid('User id'),
  email: Type.String({ format: 'email', maxLength: 254 }),
  name: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  roles: Type.Array(Type.Enum(['user', 'admin']), { maxItems: 2, uniqueItems: true }),
});

export const SessionRef = Type.Object({
  id: Uuid('Session id'),
  createdAt: DateTime('When the session was opened (login)'),
  expiresAt: DateTime('Absolute end of the session; refresh tokens stop working then'),
});

const NullableString = (maxLength: number, description: string) =>
  Type.Union([Type.String({ maxLength, description }), Type.Null()]);

export const DeviceSchema = Type.Object(
  {
    browser: NullableString(100, 'Browser and major version, e.g. "Chrome 120"; null when unknown'),
    os: NullableString(100, 'Operating system and version, e.g. "macOS 10.15"; null when unknown'),
    type: Type.Enum(['desktop', 'mobile', 'tablet', 'tv', 'bot', 'unknown']),
  },
  { description: 'The device, as its User-Agent describes it' },
);

export const SessionDetail = Type.Object({
  id: Uuid('Session id'),
  createdAt: DateTime('When the session was opened (login)'),
  lastUsedAt: DateTime(
    'Last use: a refresh or an authenticated request (requests are written in batches, so it may lag by up to SESSION_ACTIVITY_FLUSH_MS)',
  ),
  authTime: DateTime('Last proof of the password on this session: login or POST /auth/reauthenticate'),
  expiresAt: DateTime('Absolute end of the session'),
  device: DeviceSchema,
  deviceName: NullableString(100, 'The name given to this device at login, if any'),
  ip: Type.Union([Type.String({ maxLength: 45, description: 'Client address (IPv4 or IPv6)' }), Type.Null()]),
  userAgent: Type.Union([Type.String({ maxLength: 512 }), Type.Null()]),
  current: Type.Boolean({ description: 'True for the session of the token making this request' }),
});

export const TokenResponse = Type.Object(
  {
    tokenType: Type.Literal('Bearer'),
    accessToken: Type.String({
      maxLength: 4096,
      pattern: JWT_PATTERN,
      description: 'Short-lived EdDSA JWT; send as Authorization: Bearer',
    }),
    expiresIn: Seconds('Seconds until the access token expires', 86_400),
    refreshToken: Type.String({
      maxLength: 43,
      pattern: REFRESH_TOKEN_PATTERN,
      description: 'Opaque, single-use; exchange at /auth/refresh',
    }),
    refreshExpiresIn: Seconds('Seconds until the refresh token (and session) expires', 31_536_000),
    session: SessionRef,
    user: UserSchema,
  },
  { description: 'A new token pair' },
);

/** A 200 whose body is one fixed message. */
export const MessageResponse = (description: string, example: string) =>
  Type.Object({ message: Type.Literal(example) }, { description, examples: [{ message: example }] });

// ---- request bodies ----------------------------------------------------------

const strict = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });

export const RegisterBody = strict({
  email: Email,
  password: Password,
  name: Type.Optional(Type.String({ maxLength: 200, pattern: NO_CONTROL_CHARS })),
});

/** Also refuses C1 controls (U+0080–U+009F): a name shown to people is text, nothing else. */
const NO_CONTROL_CHARS_C1 = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

export const LoginBody = strict({
  email: Type.String({ minLength: 1, maxLength: 254, pattern: NO_CONTROL_CHARS }),
  password: Password,
  remember: Type.Optional(
    Type.Boolean({
      description:
        'Default true. false: the session lasts SESSION_SHORT_TTL (not SESSION_ABSOLUTE_TTL), and the account page sets cookies that end with the browser session',
    }),
  ),
  deviceName: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: NO_CONTROL_CHARS_C1,
      description:
        'A name for this device, shown in the sessions list (at most 100 characters, no control characters)',
    }),
  ),
});

export const RefreshBody = strict({
  refreshToken: Type.String({ minLength: 1, maxLength: 512, description: 'The refresh token of the pair' }),
});

export const RevokeBody = strict({
  token: Type.String({ minLength: 1, maxLength: 4096, description: 'A refresh token or access token' }),
  token_type_hint: Type.Optional(Type.Enum(['refresh_token', 'access_token'])),
});

export const LogoutBody = strict(
  {
    scope: Type.Optional(
      Type.Enum([...LOGOUT_SCOPES], {
        description: 'current (default): this session; others: every other session; all: every session',
      }),
    ),
    sessionId: Type.Optional(Uuid('End this one session of yours (not combinable with scope)')),
    userId: Type.Optional(Uuid('Admin only: end every session of this user (with scope "all")')),
  },
  'Optional. No body, an empty body and {} all end the current session.',
);

export const PasswordChangeBody = strict(
  {
    currentPassword: Password,
    newPassword: Type.String({
      minLength: 1,
      maxLength: PASSWORD_MAX * 4,
      description: `The new password: at least ${PASSWORD_MIN} characters, not a common one, not the email`,
    }),
  },
  'The current password proves it is you; every other session of yours ends.',
);

export const ReauthenticateBody = strict(
  { password: Password },
  "Your password, proving it is still you; renews the session's authTime.",
);

export const ReauthenticateResponse = Type.Object(
  {
    message: Type.Literal('Reauthenticated'),
    authTime: DateTime('The new time of the last proof of the password on this session'),
  },
  { description: 'The proof is fresh for FRESH_AUTH_MAX_AGE seconds' },
);

/** Operations the account page calls: a bearer token, or (browsers, same origin) the session cookie. */
export const BROWSER_SECURITY: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
