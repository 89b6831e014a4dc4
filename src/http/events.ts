import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { callerOf } from './authenticate.js';
import type { RouteDeps } from './routes.js';
import { errorResponses } from './schemas.js';

/** Streams one session may hold open at once (tabs); more are refused, so a token cannot pin sockets. */
const STREAMS_PER_SESSION = 10;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

type Notify = (endedAt: Date) => void;

/**
 * GET /auth/events: a Server-Sent Events stream that tells a signed-in client
 * the moment its session ends — here or, through the revocation feed, on any
 * instance — so an open page can sign itself out instead of finding out at
 * its next request. One `session.ended` event, then the stream closes. It
 * also closes (event `token.expired`) when the access token expires: the
 * client reconnects with a fresh one.
 */
export function eventRoutes({ app, ctx, authenticateBrowser }: RouteDeps): void {
  const watchers = new Map<string, Set<Notify>>();
  const unsubscribe = ctx.revocations.onAdded((ended) => {
    for (const s of ended) for (const notify of watchers.get(s.id) ?? []) notify(s.endedAt);
  });
  const open = new Set<ServerResponse>();
  // Before the server stops accepting: an open stream would otherwise hold close() forever.
  app.addHook('preClose', (done) => {
    unsubscribe();
    for (const res of open) res.end();
    done();
  });

  app.get(
    '/auth/events',
    {
      onRequest: authenticateBrowser,
      schema: {
        summary: 'Be told when my session ends',
        operationId: 'sessionEvents',
        description:
          'A text/event-stream. Sends `ready` at once, then `session.ended` ({"sessionId","reason","endedAt"}) the moment this session ends — by logout anywhere, password change, an admin, expiry — and closes. Closes with `token.expired` when the access token expires; reconnect with a fresh one. Accepts the bearer token or the account page\'s session cookie (EventSource cannot send headers).',
        tags: ['sessions'],
        security: [{ bearerAuth: [] }],
        response: {
          200: Type.String({ maxLength: 1_000_000, description: 'An event stream (text/event-stream)' }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const mine = watchers.get(caller.sessionId) ?? new Set<Notify>();
      if (mine.size >= STREAMS_PER_SESSION)
        throw new AppError('RATE_LIMITED', 'Too many event streams for this session', { retryAfter: 5 });
      watchers.set(caller.sessionId, mine);

      // Hijacked, so Fastify sends nothing: carry over what the hooks set (security headers, request id).
      const hookHeaders = reply.getHeaders() as OutgoingHttpHeaders;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...hookHeaders,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: do not buffer the stream
        'x-request-id': request.id,
      });
      open.add(res);
      const send = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      let finished = false;
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const expiry = setTimeout(
        () => finish(() => send('token.expired', { sessionId: caller.sessionId })),
        Math.max(0, caller.exp * 1000 - Date.now()),
      );
      const notify: Notify = (endedAt) =>
        void endedEvent(ctx, caller.sessionId, endedAt).then((data) =>
          finish(() => send('session.ended', data)),
        );
      function finish(last: () => void) {
        if (finished) return;
        finished = true;
        clearInterval(heartbeat);
        clearTimeout(expiry);
        mine.delete(notify);
        if (mine.size === 0 && watchers.get(caller.sessionId) === mine) watchers.delete(caller.sessionId);
        open.delete(res);
        if (!res.writableEnded) {
          last();
          res.end();
        }
      }
      mine.add(notify);
      request.raw.once('close', () => finish(() => {}));
      // `retry`: how long EventSource waits before reconnecting after the stream closes.
      res.write('retry: 5000\n\n');
      send('ready', { sessionId: caller.sessionId });
      // It may have ended between authentication and subscribing.
      if (ctx.revocations.isEnded(caller.sessionId)) notify(new Date());
    },
  );
}

/** The event's data, with the reason from the database when it can be had quickly (best effort). */
async function endedEvent(ctx: Context, sessionId: string, endedAt: Date) {
  const session = await ctx.store.findSession(sessionId).catch(() => null);
  return {
    sessionId,
    reason: session?.endReason ?? null,
    endedAt: (session?.endedAt ?? endedAt).toISOString(),
  };
}
