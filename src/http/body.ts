import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors.js';

/**
 * Body parsing. An empty body is "no body" whatever its Content-Type (SPEC
 * §2: no body, an empty body and {} all mean the same logout); a non-empty
 * body must be JSON. Parsing keeps Fastify's prototype-poisoning protection.
 */
export function installBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  // Anything else (text/plain, form posts, missing type): fine when empty, 400 otherwise.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    done(
      new AppError('INVALID_INPUT', 'The request body must be JSON (Content-Type: application/json)'),
      undefined,
    );
  });
}
