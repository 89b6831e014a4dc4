import { Type } from 'typebox';
import { AppError } from '../domain/errors.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { PUBLIC } from './schemas.js';

export const healthRoutes = routePlugin('health', registerHealthRoutes);

function registerHealthRoutes({ app, ctx }: RouteDeps): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness',
        description: 'The process is up and answering. Says nothing about the database (see /ready).',
        operationId: 'health',
        tags: ['operations'],
        security: PUBLIC,
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
        operationId: 'ready',
        description: 'Ready when the database answers and this instance knows every recent revocation.',
        tags: ['operations'],
        security: PUBLIC,
        response: {
          200: Type.Object(
            {
              status: Type.Literal('ready'),
              store: Type.Enum(['postgres', 'pglite']),
              revocationsTracked: Type.Integer({ minimum: 0, maximum: 2_147_483_647, format: 'int32' }),
            },
            { description: 'Ready to serve' },
          ),
        },
      },
    },
    async () => {
      // The in-memory check first: it answers at once while the database is partitioned away.
      if (!ctx.revocations.current)
        throw new AppError('SERVICE_UNAVAILABLE', 'Revocations are being resynchronised', { retryAfter: 1 });
      // Whatever keeps the database from answering (down, unreachable, closed), this instance is not ready.
      await ctx.store.ping().catch((cause: unknown) => {
        throw new AppError('SERVICE_UNAVAILABLE', 'The database is unreachable', { retryAfter: 1, cause });
      });
      return { status: 'ready' as const, store: ctx.store.kind, revocationsTracked: ctx.revocations.size };
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        summary: 'Public keys that verify access tokens',
        operationId: 'jwks',
        description:
          'For resource servers verifying tokens locally; they must also honour revocations (see docs).',
        tags: ['operations'],
        security: PUBLIC,
        response: {
          200: Type.Object(
            { keys: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 100 }) },
            { description: 'JWK set (RFC 7517)' },
          ),
        },
      },
    },
    async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(ctx.keys.jwks()),
  );
}
