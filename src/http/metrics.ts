import type { RouteDeps } from './routes.js';

/**
 * GET /metrics (Prometheus text format) and the hook that times every
 * request. Routes are labelled by their pattern (/auth/logout), never by the
 * raw URL, so label cardinality stays bounded; unknown URLs count as "unmatched".
 */
export function metricsRoutes({ app, ctx }: RouteDeps): void {
  const { metrics } = ctx;
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe(request.method, route, status, reply.elapsedTime / 1000);
    if (status === 429) metrics.rateLimited.inc({ route });
    done();
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
