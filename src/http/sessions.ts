import type { FastifyRequest } from 'fastify';
import { listSessions, SESSION_PAGE_DEFAULT } from '../domain/session-list.js';
import { noStore } from './auth.js';
import { callerOf } from './authenticate.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { BROWSER_SECURITY, errorResponses, ref, SessionListQuery, SessionPage } from './schemas.js';

export const sessionRoutes = routePlugin('session', registerSessionRoutes);

function registerSessionRoutes({ app, ctx, authenticateBrowser }: RouteDeps): void {
  app.get(
    '/auth/sessions',
    {
      onRequest: authenticateBrowser,
      preValidation: numericQuery('limit'),
      schema: {
        summary: 'My active sessions',
        operationId: 'listSessions',
        description:
          'The sessions of the caller that have not ended or expired, newest first, a page at a time: follow `nextCursor` until it is null. ' +
          '`current` is the caller\'s own session on every page. End one with POST /auth/logout {"sessionId"}.',
        tags: ['sessions'],
        security: BROWSER_SECURITY,
        querystring: SessionListQuery,
        response: {
          200: ref(SessionPage),
          ...errorResponses(401, 422),
        },
      },
    },
    async (request, reply) => {
      const { limit = SESSION_PAGE_DEFAULT, cursor } = request.query;
      return noStore(reply).send(await listSessions(ctx, callerOf(request), { limit, cursor }));
    },
  );
}

/**
 * A query string carries text; the app's validator does not coerce types (bodies are
 * validated strictly), so a whole number written plainly becomes a number here, before
 * validation. Anything else ("abc", "1.5", "-1", a repeated parameter) stays as it came and
 * is refused by the schema with 422.
 */
function numericQuery(name: string) {
  return async (request: FastifyRequest) => {
    const query = request.query as Record<string, unknown>;
    const raw = query[name];
    if (typeof raw === 'string' && /^[0-9]{1,9}$/.test(raw)) query[name] = Number(raw);
  };
}
