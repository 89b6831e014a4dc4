import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { callerOf } from './authenticate.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { errorResponses } from './schemas.js';

/** Streams one session may hold open at once (tabs); more are refused, so a token cannot pin sockets. */
const STREAMS_PER_SESSION = 10;

type Notify = (endedAt: Date) => void;

export const eventRoutes = routePlugin('event', registerEventRoutes);

/**
 * GET /auth/events: a Server-Sent Events stream that tells a signed-in client
 * the moment its session ends — here or, through the revocation feed, on any
 * instance — so an open page can sign itself out instead of finding out at
 * its next request. One `session.ended` event, then the stream closes. It
 * also closes (event `token.expired`) when the access token expires: the
 * client reconnects with a fresh one.
 */
function registerEventRoutes({ app, ctx, authenticateBrowser, streams }: RouteDeps): void {
  const watchers = new Map<string, Set<Notify>>();
  // Streams per account: one account's sessions (each up to STREAMS_PER_SESSION) share this cap.
  const perUser = new Map<string, number>();
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
          'A text/event-stream. Sends `ready` at once, then `session.ended` ({"sessionId","reason","endedAt"}) the moment this session ends — by logout anywhere, password change, an admin, expiry — and closes. Closes with `token.expired` when the access token expires (reconnect with a fresh one), or with `stream.timeout` after EVENT_STREAM_MAX_AGE (reconnect). At most 10 streams per session and EVENT_STREAMS_PER_USER per account (429), EVENT_STREAMS_MAX per instance (503). Accepts the bearer token or the account page\'s session cookie (EventSource cannot send headers).',
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
      const userStreams = perUser.get(caller.userId) ?? 0;
      if (userStreams >= streams.perUser)
        throw new AppError('RATE_LIMITED', 'Too many event streams for this account', { retryAfter: 5 });
      if (open.size >= streams.max)
        throw new AppError('SERVICE_UNAVAILABLE', 'This instance holds as many event streams as it may', {
          retryAfter: 5,
        });
      watchers.set(caller.sessionId, mine);
      perUser.set(caller.userId, userStreams + 1);

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
      // A comment line keeps proxies from closing a quiet stream. If the last one is still
      // unsent, the client is not reading: drop it rather than buffer for it.
      const heartbeat = setInterval(() => {
        if (!res.writableNeedDrain) res.write(': keep-alive\n\n');
        else {
          finish(() => {});
          res.destroy();
        }
      }, streams.heartbeatMs);
      const tokenLeft = caller.exp * 1000 - Date.now();
      // Closes at the token's expiry, or after the longest a stream may stay open (the client reconnects).
      const expiry = setTimeout(
        () =>
          finish(() =>
            tokenLeft <= streams.maxAgeMs
              ? send('token.expired', { sessionId: caller.sessionId })
              : send('stream.timeout', { sessionId: caller.sessionId }),
          ),
        Math.max(0, Math.min(tokenLeft, streams.maxAgeMs)),
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
        const left = (perUser.get(caller.userId) ?? 1) - 1;
        if (left > 0) perUser.set(caller.userId, left);
        else perUser.delete(caller.userId);
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
