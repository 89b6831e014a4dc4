import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * A URL as it may be logged: the path and the names of its query parameters,
 * never their values. A client may put a secret in a query string
 * (`?access_token=…`, a reset link's token) and log lines outlive secrets.
 */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      // A bare value (`?abc`) may itself be the secret.
      return eq === -1 ? (pair === '' ? '' : '[redacted]') : `${pair.slice(0, eq)}=[redacted]`;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** pino's `req` serializer: Fastify's own fields, with the query values redacted. */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactQuery(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * Fastify's per-request log lines, sized for an auth service.
 *
 * Fastify writes two info lines for every request ("incoming request" and
 * "request completed"). Under GET /auth/me load that took the server from
 * about 36,000 to 18,000 requests a second (docs/performance.md), and the
 * proxy in front of a deployment usually keeps an access log already. So:
 * - "incoming request" is a debug line (LOG_LEVEL=debug shows each request as it arrives);
 * - "request completed", one line per request with its method, URL, status
 *   and time, is written only with ACCESS_LOG=on;
 * - a request whose response failed ("request errored") is always logged, as an error.
 * Everything else Fastify logs (and every line Gatehouse writes) is unchanged.
 */
export class AccessLog extends LogController {
  constructor(private readonly enabled: boolean) {
    super();
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error)
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
    else if (this.enabled)
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
