import { Type } from 'typebox';
import { listSessions } from '../domain/sessions.js';
import { callerOf } from './authenticate.js';
import type { RouteDeps } from './routes.js';
import { errorResponses, SessionDetail } from './schemas.js';

export function sessionRoutes({ app, ctx, authenticate }: RouteDeps): void {
  app.get(
    '/auth/sessions',
    {
      onRequest: authenticate,
      schema: {
        summary: 'My active sessions',
        description:
          'Every session of the caller that has not ended or expired, newest first. End one with POST /auth/logout {"sessionId"}.',
        tags: ['sessions'],
        security: [{ bearerAuth: [] }],
        response: {
          200: Type.Object({ sessions: Type.Array(SessionDetail) }, { description: 'Active sessions' }),
          ...errorResponses(401, 503),
        },
      },
    },
    async (request, reply) => {
      const sessions = await listSessions(ctx, callerOf(request));
      return reply.header('Cache-Control', 'no-store').send({ sessions });
    },
  );
}
