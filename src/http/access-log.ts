import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

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
