import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ERRORS, type ErrorDetail } from '../domain/errors.js';
import { DatabaseUnavailableError } from '../storage/db.js';
import { setSecurityHeaders } from './security-headers.js';

/**
 * The ONE mapping from anything thrown to docs/api.md §1's envelope. Fastify's own
 * errors (bad JSON, wrong content type, body too large, schema failures) are
 * translated here too, so no framework error shape, stack or SQL ever leaves.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DatabaseUnavailableError)
    return new AppError('SERVICE_UNAVAILABLE', 'The database is unreachable; retry shortly', {
      retryAfter: 1,
    });

  const fe = err as Partial<FastifyError> & { validation?: AjvError[] };
  if (fe.validation) return fromValidation(fe.validation, fe.validationContext);
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body exceeds the size limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('INVALID_INPUT', 'The request body must be JSON (Content-Type: application/json)');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('INVALID_INPUT', 'Content-Length does not match the body');
    // Raised before routing (frameworkErrors, below).
    case 'FST_ERR_BAD_URL':
      return new AppError('INVALID_INPUT', 'The URL is not valid (a bad percent-encoding or not UTF-8)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('INVALID_INPUT', 'A URL segment is too long');
  }
  // secure-json-parse and JSON.parse failures
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return new AppError('INVALID_INPUT', 'The request body is not valid JSON');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Any other client error Fastify raises: keep the status class, never its text.
    if (fe.statusCode === 404) return new AppError('NOT_FOUND');
    if (fe.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
    if (fe.statusCode === 429) return new AppError('RATE_LIMITED');
    return new AppError('INVALID_INPUT');
  }
  return new AppError('INTERNAL_ERROR', undefined, { cause: err });
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fromValidation(errors: AjvError[], context: string | undefined): AppError {
  const first = errors[0];
  // A body that is JSON but not an object (or missing where required) cannot be read: 400.
  if (context === 'body' && first && first.instancePath === '' && first.keyword === 'type')
    return new AppError('INVALID_INPUT', 'The request body must be a JSON object');
  const details: ErrorDetail[] = errors.map(describe);
  return new AppError('VALIDATION_ERROR', details.map((d) => `${d.path}: ${d.message}`).join('; '), {
    details,
  });
}

function describe(e: AjvError): ErrorDetail {
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path: `${e.instancePath}/${String(e.params.additionalProperty)}`,
        message: 'is not an allowed field',
      };
    case 'required':
      return { path: `${e.instancePath}/${String(e.params.missingProperty)}`, message: 'is required' };
    case 'enum':
      return {
        path: e.instancePath,
        message: `must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'format':
      return { path: e.instancePath, message: `must be a valid ${String(e.params.format)}` };
    case 'pattern':
      return { path: e.instancePath, message: 'contains characters that are not allowed' };
    default:
      return { path: e.instancePath || '/', message: e.message ?? 'is invalid' };
  }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const appError = toAppError(err);
  const status = appError.statusCode;
  // A 503 Gatehouse chose (a shed login, a draining instance) is no failure: logging each with its
  // stack would turn a login storm into a log storm. Failures (500, an unreachable database) are.
  if (status >= 500 && !(err instanceof AppError && status === 503))
    request.log.error({ err }, 'request failed');
  else request.log.debug({ code: appError.code, description: appError.description }, 'request rejected');

  const body: Record<string, unknown> = {
    message: ERRORS[appError.code].message,
    // 500s never describe their cause; the request id lets an operator find it in the log.
    description:
      status === 500 ? `An unexpected error occurred (request id ${request.id})` : appError.description,
    code: appError.code,
  };
  if (appError.details) body.details = appError.details;

  if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="gatehouse", error="invalid_token"');
  if (appError.retryAfter !== undefined) reply.header('Retry-After', String(appError.retryAfter));
  reply.header('Cache-Control', 'no-store');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Every failure, from a route or from Fastify itself, answered in the envelope (docs/api.md §1). */
export const errorEnvelope = fp(
  async (app: FastifyInstance) => {
    installErrorHandling(app);
  },
  { name: 'gatehouse-error-envelope', fastify: '5.x' },
);

export function installErrorHandling(app: FastifyInstance): void {
  app.server.on('connect', connectHandler);
  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError(
        'NOT_FOUND',
        `No route for ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
      ),
    ),
  );
}

/**
 * Fastify's `frameworkErrors`: errors it raises before a route is found (a
 * URL whose percent-encoding is bad or not UTF-8, a URL segment over the
 * length limit, a failing route constraint) would otherwise get Fastify's own
 * body. No hook has run for such a request, so the headers every response
 * carries are set here. (Fastify builds this request without TRUST_PROXY's
 * view, so behind a proxy it gets no HSTS: one refused URL, no loss, as
 * browsers keep the policy the other responses set.)
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  setSecurityHeaders(request, reply);
  reply.header('X-Request-Id', request.id);
  sendError(request, reply, err);
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over
 * 16 KiB, a malformed request line or header, a bad chunked body, a client
 * too slow to send its request): answered with the same envelope, written
 * straight to the socket, instead of Fastify's own error shape. All are
 * requests that cannot be read, so all are 400 (docs/api.md §1 has no 408 or 431).
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const description =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request headers are too large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'The request was not received in time'
        : 'The request is not valid HTTP';
  writeEnvelope(socket, 'INVALID_INPUT', description);
}

/**
 * CONNECT (a proxy's method) never reaches Fastify: Node hands it to the
 * server's 'connect' listeners and, with none, drops the connection without
 * a word. Gatehouse is no proxy: 404 in the envelope, like any other method
 * it has no route for.
 */
export function connectHandler(_request: unknown, socket: Duplex): void {
  writeEnvelope(socket, 'NOT_FOUND', 'No route for CONNECT');
}

/** An error answer written straight to a socket no request object owns, then the socket closed. */
function writeEnvelope(socket: Duplex, code: 'INVALID_INPUT' | 'NOT_FOUND', description: string): void {
  const { status, message } = ERRORS[code];
  const body = JSON.stringify({ message, description, code });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n" +
        'Connection: close\r\n\r\n' +
        body,
    );
  socket.destroy();
}
