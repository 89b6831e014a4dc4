import { Type } from 'typebox';
import { AppError } from '../domain/errors.js';
import type { RouteDeps } from './routes.js';
import { errorResponses } from './schemas.js';

export function healthRoutes({ app, ctx }: RouteDeps): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness',
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }, { description: 'The process is up' }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness',
        description: 'Ready when the database answers and this instance knows every recent revocation.',
        tags: ['operations'],
        response: {
          200: Type.Object(
            { status: Type.Literal('ready'), store: Type.String(), revocationsTracked: Type.Integer() },
            { description: 'Ready to serve' },
          ),
          ...errorResponses(503),
        },
      },
    },
    async () => {
      await ctx.store.ping();
      if (!ctx.revocations.current)
        throw new AppError('SERVICE_UNAVAILABLE', 'Revocations are being resynchronised', { retryAfter: 1 });
      return { status: 'ready' as const, store: ctx.store.kind, revocationsTracked: ctx.revocations.size };
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        summary: 'Public keys that verify access tokens',
        description:
          'For resource servers verifying tokens locally; they must also honour revocations (see docs).',
        tags: ['operations'],
        response: {
          200: Type.Object(
            { keys: Type.Array(Type.Object({}, { additionalProperties: true })) },
            { description: 'JWK set (RFC 7517)' },
          ),
        },
      },
    },
    async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(ctx.keys.jwks()),
  );
}
