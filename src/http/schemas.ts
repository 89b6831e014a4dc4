import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Static, type TSchema, Type } from 'typebox';
import { ERRORS, type ErrorCode } from '../domain/errors.js';
import { LOGOUT_SCOPES } from '../domain/logout.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../domain/passwords.js';
import { SESSION_CURSOR_MAX, SESSION_PAGE_DEFAULT, SESSION_PAGE_MAX } from '../domain/session-list.js';

/**
 * TypeBox schemas shared by the routes (validation, serialization) and the
 * OpenAPI document. One source: what is validated is what is documented.
 */

// Every string has a maximum length and every array a maximum size, requests and responses alike
// (OWASP API4:2023; `npm run lint:openapi` checks the document for it).
export const Uuid = (description: string) => Type.String({ format: 'uuid', maxLength: 36, description });
// Handlers hand over Date objects; the serializer writes them as ISO 8601.
export const DateTime = (description: string) =>
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
/** A list's opaque position: base64url. */
const CURSOR_PATTERN = '^[A-Za-z0-9_-]+$';

// ---- named schemas ------------------------------------------------------------

/**
 * A schema with a name: added once to the app (componentSchemas), used by
 * routes through `ref()`, and documented once as components/schemas/<name>
 * instead of inlined at every use.
 */
export const named = <T extends TSchema>(name: string, schema: T): T & { $id: string } => ({
  ...schema,
  $id: name,
});

/** A reference to a named schema; its static type is the schema's, so handlers stay typed. */
export const ref = <T extends TSchema & { $id: string }>(schema: T) =>
  Type.Unsafe<Static<T>>({ $ref: schema.$id });

// ---- the error envelope (docs/api.md §1) ------------------------------------------

const ErrorDetail = named(
  'ErrorDetail',
  Type.Object({
    path: Type.String({ maxLength: 300, description: 'JSON Pointer to the offending field' }),
    message: Type.String({ maxLength: 500 }),
  }),
);

const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export const ErrorEnvelope = named(
  'ErrorEnvelope',
  Type.Object(
    {
      // Fixed per status (docs/api.md §1), so documented as an enum. Only `message` is required, as in the
      // seed's schema; Gatehouse always sends all three.
      message: Type.Enum(
        ERROR_CODES.map((c) => ERRORS[c].message),
        { type: 'string', description: 'Error message' },
      ),
      description: Type.Optional(Type.String({ maxLength: 2000, description: 'Detailed error description' })),
      code: Type.Optional(Type.Enum(ERROR_CODES, { type: 'string', description: 'Error code' })),
      details: Type.Optional(
        Type.Array(ref(ErrorDetail), { maxItems: 50, description: 'Per-field problems (422)' }),
      ),
    },
    {
      description:
        'Every error answer: message and code are fixed per status (400 INVALID_INPUT … 503 SERVICE_UNAVAILABLE), description says what went wrong.',
    },
  ),
);

/**
 * Every error status a route can answer: the envelope, by reference. What
 * differs per status (the response's description, its example, Retry-After)
 * is in ERROR_RESPONSES, which the document applies (docs.ts): @fastify/swagger
 * drops whatever sits beside a $ref.
 */
const envelope = Type.Unsafe<Static<typeof ErrorEnvelope>>({ $ref: ErrorEnvelope.$id });

function withRetryAfter<T extends TSchema>(schema: T): T {
  const retryAfter = Type.Integer({
    minimum: 1,
    maximum: 86_400,
    format: 'int32',
    description: 'Seconds to wait before retrying',
  });
  return { ...schema, headers: { 'Retry-After': retryAfter } };
}

export const Errors = {
  400: envelope,
  401: envelope,
  403: envelope,
  404: envelope,
  409: envelope,
  413: envelope,
  422: envelope,
  429: withRetryAfter(envelope),
  500: envelope,
  503: withRetryAfter(envelope),
} as const;

const errorResponse = (code: ErrorCode, description: string, exampleDescription?: string) => {
  const e = ERRORS[code];
  return {
    description,
    example: { message: e.message, description: exampleDescription ?? e.description, code },
  };
};

/** Per error status: the response's description (the seed's wording) and its example, as documented. */
export const ERROR_RESPONSES: Record<string, { description: string; example: Static<typeof ErrorEnvelope> }> =
  {
    400: errorResponse('INVALID_INPUT', 'Bad Request - Invalid input data'),
    401: errorResponse('UNAUTHORIZED', 'Unauthorized - Invalid or missing authentication token'),
    403: errorResponse('FORBIDDEN', 'Forbidden - Insufficient permissions'),
    404: errorResponse('NOT_FOUND', 'Not Found - Resource not found'),
    409: errorResponse('CONFLICT', 'Conflict - Resource already exists or state conflict'),
    413: errorResponse('PAYLOAD_TOO_LARGE', 'Payload Too Large - Request body exceeds the limit'),
    422: errorResponse('VALIDATION_ERROR', 'Unprocessable Entity - Validation error'),
    429: errorResponse('RATE_LIMITED', 'Too Many Requests - Rate limit exceeded (see Retry-After)'),
    500: errorResponse(
      'INTERNAL_ERROR',
      'Internal Server Error - An unexpected error; the description names the request id to give the operator',
      'An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)',
    ),
    503: errorResponse(
      'SERVICE_UNAVAILABLE',
      'Service Unavailable - Database unreachable, revocations not current, or this instance shutting down',
    ),
  };

/**
 * The statuses every operation can answer, whatever it does: 500 (a bug) and
 * 503 (this instance is shutting down, or the database or the revocation feed
 * is unreachable). Added to every documented route by componentSchemas' hook.
 */
const EVERY_OPERATION = { 500: Errors[500], 503: Errors[503] };

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

type ErrorStatus = keyof typeof Errors;
export const errorResponses = <S extends ErrorStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, Errors[s]])) as { [K in S]: (typeof Errors)[K] };

// ---- resources -------------------------------------------------------------

export const UserSchema = named(
  'User',
  Type.Object(
    {
      id: Uuid('User id'),
      email: Type.String({ format: 'email', maxLength: 254 }),
      name: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
      roles: Type.Array(Type.Enum(['user', 'admin']), { maxItems: 2, uniqueItems: true }),
      emailVerified: Type.Boolean({
        description:
          'The address has been proved (a verification link or a password reset mailed to it). In GET /auth/me and tokens: as of when the access token was issued',
      }),
    },
    { description: 'An account' },
  ),
);

export const SessionRef = named(
  'Session',
  Type.Object(
    {
      id: Uuid('Session id'),
      createdAt: DateTime('When the session was opened (login)'),
      expiresAt: DateTime('Absolute end of the session; refresh tokens stop working then'),
    },
    { description: 'A session: one login, on one device' },
  ),
);

export const NullableString = (maxLength: number, description: string) =>
  Type.Union([Type.String({ maxLength, description }), Type.Null()]);

export const DeviceSchema = named(
  'Device',
  Type.Object(
    {
      browser: NullableString(100, 'Browser and major version, e.g. "Chrome 120"; null when unknown'),
      os: NullableString(100, 'Operating system and version, e.g. "macOS 10.15"; null when unknown'),
      type: Type.Enum(['desktop', 'mobile', 'tablet', 'tv', 'bot', 'unknown']),
    },
    { description: 'The device, as its User-Agent describes it' },
  ),
);

export const SessionDetail = named(
  'ActiveSession',
  Type.Object(
    {
      id: Uuid('Session id'),
      createdAt: DateTime('When the session was opened (login)'),
      lastUsedAt: DateTime(
        'Last use: a refresh or an authenticated request (requests are written in batches, so it may lag by up to SESSION_ACTIVITY_FLUSH_MS)',
      ),
      authTime: DateTime('Last proof of the password on this session: login or POST /auth/reauthenticate'),
      expiresAt: DateTime('Absolute end of the session'),
      device: ref(DeviceSchema),
      deviceName: NullableString(100, 'The name given to this device at login, if any'),
      ip: Type.Union([
        Type.String({ maxLength: 45, description: 'Client address (IPv4 or IPv6)' }),
        Type.Null(),
      ]),
      userAgent: Type.Union([Type.String({ maxLength: 512 }), Type.Null()]),
      current: Type.Boolean({ description: 'True for the session of the token making this request' }),
    },
    { description: "One of the caller's sessions that has neither ended nor expired" },
  ),
);

const SESSION_EXAMPLE = {
  id: '5b0c2c1e-8f7a-4d3e-9c61-2f4b8a9d0e17',
  createdAt: '2026-11-30T07:35:11.123Z',
  lastUsedAt: '2026-11-30T08:02:40.000Z',
  authTime: '2026-11-30T07:35:11.123Z',
  expiresAt: '2026-12-30T07:35:11.123Z',
  device: { browser: 'Firefox 133', os: 'Linux', type: 'desktop' },
  deviceName: null,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  current: true,
};

/** GET /auth/sessions: one page of the caller's active sessions (session-list.ts). */
export const SessionPage = named(
  'SessionPage',
  Type.Object(
    {
      sessions: Type.Array(ref(SessionDetail), {
        maxItems: SESSION_PAGE_MAX,
        description: 'Active sessions, newest first (by createdAt, then id); at most `limit`',
      }),
      nextCursor: Type.Union(
        [
          Type.String({
            maxLength: SESSION_CURSOR_MAX,
            pattern: CURSOR_PATTERN,
            description: 'Pass as `cursor` for the next page',
          }),
          Type.Null(),
        ],
        { description: 'Where the next page starts; null on the last page' },
      ),
      current: Type.Union([ref(SessionDetail), Type.Null()], {
        description:
          "The caller's own session, on every page whichever page lists it (null only if it ended during the request)",
      }),
    },
    {
      description: "One page of the caller's active sessions",
      examples: [
        {
          sessions: [SESSION_EXAMPLE],
          nextCursor:
            'eyJ0IjoiMjAyNi0xMS0zMFQwNzozNToxMS4xMjMwMDBaIiwiaSI6IjViMGMyYzFlLThmN2EtNGQzZS05YzYxLTJmNGI4YTlkMGUxNyJ9',
          current: SESSION_EXAMPLE,
        },
      ],
    },
  ),
);

/** GET /auth/sessions's query (docs/api.md §3). */
export const SessionListQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: SESSION_PAGE_MAX,
        default: SESSION_PAGE_DEFAULT,
        format: 'int32',
        description: `Sessions per page, 1 to ${SESSION_PAGE_MAX} (default ${SESSION_PAGE_DEFAULT})`,
      }),
    ),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: SESSION_CURSOR_MAX,
        pattern: CURSOR_PATTERN,
        description: "The previous page's nextCursor; absent for the first page",
      }),
    ),
  },
  { additionalProperties: false },
);

export const TokenResponse = named(
  'TokenResponse',
  Type.Object(
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
      session: ref(SessionRef),
      user: ref(UserSchema),
    },
    { description: 'A new token pair' },
  ),
);

/** POST /account/login and /account/refresh: the tokens went into cookies. */
export const BrowserSession = named(
  'BrowserSession',
  Type.Object(
    {
      user: ref(UserSchema),
      session: ref(SessionRef),
      expiresIn: Seconds('Seconds until the access token (and its cookie) expires', 86_400),
      refreshExpiresIn: Seconds('Seconds until the refresh cookie (and session) expires', 31_536_000),
    },
    { description: 'Signed in: the tokens are in the Set-Cookie headers, never in the body' },
  ),
);

/** A 200 whose body is one fixed message. */
export const MessageResponse = (description: string, example: string) =>
  Type.Object({ message: Type.Literal(example) }, { description, examples: [{ message: example }] });

// ---- request bodies ----------------------------------------------------------

export const strict = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });

export const RegisterBody = named(
  'RegisterRequest',
  strict({
    email: Email,
    password: Password,
    name: Type.Optional(Type.String({ maxLength: 200, pattern: NO_CONTROL_CHARS })),
  }),
);

/** Also refuses C1 controls (U+0080–U+009F): a name shown to people is text, nothing else. */
export const NO_CONTROL_CHARS_C1 = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

export const LoginBody = named(
  'LoginRequest',
  strict({
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
  }),
);

export const RefreshBody = named(
  'RefreshRequest',
  strict({
    refreshToken: Type.String({ minLength: 1, maxLength: 512, description: 'The refresh token of the pair' }),
  }),
);

export const RevokeBody = named(
  'RevokeRequest',
  strict({
    token: Type.String({ minLength: 1, maxLength: 4096, description: 'A refresh token or access token' }),
    token_type_hint: Type.Optional(Type.Enum(['refresh_token', 'access_token'])),
  }),
);

export const LogoutBody = named(
  'LogoutRequest',
  strict(
    {
      scope: Type.Optional(
        Type.Enum([...LOGOUT_SCOPES], {
          description: 'current (default): this session; others: every other session; all: every session',
        }),
      ),
      sessionId: Type.Optional(Uuid('End this one session of yours (not combinable with scope)')),
      userId: Type.Optional(Uuid('Admin only: end every session of this user (with scope "all")')),
    },
    'Optional. No body, an empty body and {} all end the current session. Name one form: a scope, a sessionId, or (an admin) userId with scope "all".',
  ),
);

export const PasswordChangeBody = named(
  'PasswordChangeRequest',
  strict(
    {
      currentPassword: Password,
      newPassword: Type.String({
        minLength: 1,
        maxLength: PASSWORD_MAX * 4,
        description: `The new password: at least ${PASSWORD_MIN} characters, not easy to guess (a strength estimator decides), not the email`,
      }),
    },
    'The current password proves it is you; every other session of yours ends.',
  ),
);

/**
 * Request examples by operationId, then by name, as the document shows them
 * (the request body's `examples`, applied in docs.ts). Each is one whole, valid
 * request: test/http/openapi-examples.test.ts sends every one and checks it
 * gets the operation's success status.
 */

const EXAMPLE_EMAIL = 'ada@example.com';
const EXAMPLE_PASSWORD = 'correct horse battery staple';

export const REQUEST_EXAMPLES: Record<string, Record<string, { summary: string; value: object }>> = {
  register: {
    ada: { summary: 'An account', value: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD, name: 'Ada' } },
  },
  login: {
    ada: { summary: 'Email and password', value: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD } },
  },
  refresh: {
    pair: {
      summary: 'The refresh token of the pair',
      value: { refreshToken: 'pZ0bL8o9c2mQ3v1kXyTn5rWs7uEa4hJd6gFi0qBe9Ck' },
    },
  },
  revoke: {
    refreshToken: {
      summary: 'A refresh token',
      value: { token: 'pZ0bL8o9c2mQ3v1kXyTn5rWs7uEa4hJd6gFi0qBe9Ck', token_type_hint: 'refresh_token' },
    },
  },
  logout: {
    current: { summary: 'This session (the default; no body does the same)', value: {} },
    others: { summary: 'Every other session of mine', value: { scope: 'others' } },
    all: { summary: 'Every session of mine', value: { scope: 'all' } },
    session: {
      summary: 'One session of mine (an id from GET /auth/sessions)',
      value: { sessionId: '0b6f7a52-3c1e-4d8a-9f27-5e4c1b2a7d90' },
    },
    user: {
      summary: 'Admin: every session of a user',
      value: { scope: 'all', userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    },
  },
  reauthenticate: {
    password: { summary: 'Your password, proved again', value: { password: EXAMPLE_PASSWORD } },
  },
  changePassword: {
    change: {
      summary: 'Current and new password',
      value: { currentPassword: EXAMPLE_PASSWORD, newPassword: 'a new and longer passphrase' },
    },
  },
};

REQUEST_EXAMPLES.accountLogin = REQUEST_EXAMPLES.login!;

/** Every named schema, added to the app once (before the routes that refer to them). */
const COMPONENTS = [
  ErrorDetail,
  ErrorEnvelope,
  UserSchema,
  SessionRef,
  DeviceSchema,
  SessionDetail,
  SessionPage,
  TokenResponse,
  BrowserSession,
  RegisterBody,
  LoginBody,
  RefreshBody,
  RevokeBody,
  LogoutBody,
  PasswordChangeBody,
];

/**
 * Adds the named schemas, and documents 500 and 503 (EVERY_OPERATION) on every
 * documented route: one hook, so no route can forget them.
 */
export const componentSchemas = fp(
  async (app: FastifyInstance) => {
    for (const schema of COMPONENTS) app.addSchema(schema);
    app.addHook('onRoute', (route) => {
      const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
      if (!schema || schema.hide) return;
      schema.response = { ...EVERY_OPERATION, ...schema.response };
    });
  },
  { name: 'gatehouse-component-schemas', fastify: '5.x' },
);

/** Operations anyone may call: authenticated by what they carry (a password, a refresh token), or not at all. */
export const PUBLIC: { [scheme: string]: string[] }[] = [];

export const ReauthenticateResponse = Type.Object(
  {
    message: Type.Literal('Reauthenticated'),
    authTime: DateTime('The new time of the last proof of the password on this session'),
  },
  { description: 'The proof is fresh for FRESH_AUTH_MAX_AGE seconds' },
);

/** Operations the account page calls: a bearer token, or (browsers, same origin) the session cookie. */
export const BROWSER_SECURITY: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
