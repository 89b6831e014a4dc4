import { Type } from 'typebox';
import { listSessions } from '../domain/sessions.js';
import { noStore } from './auth.js';
import { callerOf } from './authenticate.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { BROWSER_SECURITY, errorResponses, ref, SessionDetail } from './schemas.js';

/** A bound on the list's size (OWASP API4): more sessions than this are not a device list any more. */
const MAX_LISTED_SESSIONS = 1000;

export const sessionRoutes = routePlugin('session', registerSessionRoutes);

function registerSessionRoutes({ app, ctx, authenticateBrowser }: RouteDeps): void {
  app.get(
    '/auth/sessions',
    {
      onRequest: authenticateBrowser,
      schema: {
        summary: 'My active sessions',
        operationId: 'listSessions',
        description:
          'Every session of the caller that has not ended or expired, newest first. End one with POST /auth/logout {"sessionId"}.',
        tags: ['sessions'],
        security: BROWSER_SECURITY,
        response: {
          200: Type.Object(
            { sessions: Type.Array(ref(SessionDetail), { maxItems: MAX_LISTED_SESSIONS }) },
            { description: `Active sessions, newest first (at most ${MAX_LISTED_SESSIONS})` },
          ),
          ...errorResponses(401),
        },
      },
    },
    async (request, reply) => {
      const sessions = await listSessions(ctx, callerOf(request));
      return noStore(reply).send({ sessions: sessions.slice(0, MAX_LISTED_SESSIONS) });
    },
  );
}
