/**
 * The one error type. Status, message and default description come from this
 * table (docs/api.md §1), never from call sites: `throw new AppError('CONFLICT', 'Session already ended')`.
 */
export const ERRORS = {
  INVALID_INPUT: {
    status: 400,
    message: 'Invalid input data',
    description: 'The request data did not pass validation',
  },
  INVALID_TOKEN: {
    status: 400,
    message: 'Invalid token',
    description: 'The link is invalid, has expired or has already been used',
  },
  INVALID_CODE: {
    status: 400,
    message: 'Invalid code',
    description: 'The code is wrong, expired or already used',
  },
  INVALID_CREDENTIAL: {
    status: 400,
    message: 'Invalid credential',
    description: 'The passkey response could not be verified',
  },
  UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized',
    description: 'Invalid, expired or missing bearer token',
  },
  FORBIDDEN: {
    status: 403,
    message: 'Forbidden',
    description: "You don't have permission to access this resource",
  },
  REAUTHENTICATION_REQUIRED: {
    status: 403,
    message: 'Reauthentication required',
    description:
      'This operation needs a recent proof of your password; confirm it at POST /auth/reauthenticate',
  },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    message: 'Email not verified',
    description: 'Verify your email address first: follow the link mailed to you, or ask for a new one',
  },
  NOT_FOUND: {
    status: 404,
    message: 'Resource not found',
    description: 'The requested resource could not be found',
  },
  CONFLICT: {
    status: 409,
    message: 'Resource conflict',
    description: 'The resource already exists or is in an invalid state',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'Payload too large',
    description: 'The request body is too large',
  },
  VALIDATION_ERROR: {
    status: 422,
    message: 'Validation error',
    description: 'The request data failed validation rules',
  },
  RATE_LIMITED: { status: 429, message: 'Too many requests', description: 'Too many requests; retry later' },
  INTERNAL_ERROR: {
    status: 500,
    message: 'Internal server error',
    description: 'An unexpected error occurred',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'Service unavailable',
    description: 'The service is temporarily unavailable; retry later',
  },
} as const satisfies Record<string, { status: number; message: string; description: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly description: string;
  readonly details: ErrorDetail[] | undefined;
  /** Seconds, for 429 and 503 (sent as Retry-After). */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    description?: string,
    extra: { details?: ErrorDetail[]; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(description ?? ERRORS[code].description, { cause: extra.cause });
    this.code = code;
    this.description = description ?? ERRORS[code].description;
    this.details = extra.details;
    this.retryAfter = extra.retryAfter;
  }

  get statusCode(): number {
    return ERRORS[this.code].status;
  }
}

/**
 * The store could not be reached (connection refused or lost, statement timeout). Raised by
 * storage/, which knows what a connection failure looks like; answered with 503.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}
