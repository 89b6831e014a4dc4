import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../domain/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also reads an HTML-form body (application/x-www-form-urlencoded); RFC 7009 clients send one. */
    formBody?: boolean;
    /** How many fields such a form may have (default 8); an OAuth authorization request has more. */
    formFields?: number;
  }
}

/** More pairs than any form body a route here reads; refused before decoding any. */
const MAX_FORM_FIELDS = 8;

const notJson = () =>
  new AppError('INVALID_INPUT', 'The request body must be JSON (Content-Type: application/json)');

/**
 * Body parsing. An empty body is "no body" whatever its Content-Type (docs/api.md
 * §2: no body, an empty body and {} all mean the same logout); a non-empty
 * body must be JSON, or a form on a route that says it reads one
 * (`config: { formBody: true }`). Parsing keeps Fastify's prototype-poisoning
 * protection; either body then meets the same strict schema.
 */
export const bodyParsers = fp(async (app: FastifyInstance) => installBodyParsers(app), {
  name: 'gatehouse-body-parsers',
  fastify: '5.x',
  dependencies: ['gatehouse-error-envelope'],
});

function installBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      if (body === '') return done(null, undefined);
      if (request.routeOptions.config.formBody !== true) return done(notJson(), undefined);
      const charset = /;\s*charset=("?)([^";]*)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
      if (charset !== undefined && charset.toLowerCase() !== 'utf-8')
        return done(new AppError('INVALID_INPUT', 'A form body must be UTF-8'), undefined);
      const fields = parseForm(body as string, request.routeOptions.config.formFields);
      if (fields === null)
        return done(
          new AppError('INVALID_INPUT', 'The form body is not valid application/x-www-form-urlencoded'),
          undefined,
        );
      done(null, fields);
    },
  );
  // Anything else (text/plain, multipart, missing type): fine when empty, 400 otherwise.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    done(notJson(), undefined);
  });
}

/**
 * A form body's fields (WHATWG URL §5.1, read strictly), or null when it
 * cannot be read: a pair without `=`, an empty name, a bad percent-escape or
 * bytes that are not UTF-8 (where URLSearchParams would silently substitute
 * U+FFFD), a name given twice (RFC 6749 §3.1), too many pairs. Names become
 * own properties, so `__proto__` is just an unknown field for the schema to refuse.
 */
export function parseForm(body: string, maxFields = MAX_FORM_FIELDS): Record<string, string> | null {
  const pairs = body.split('&');
  if (pairs.length > maxFields) return null;
  const fields: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    const name = decode(pair.slice(0, eq));
    const value = decode(pair.slice(eq + 1));
    if (name === null || value === null || Object.hasOwn(fields, name)) return null;
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return null;
  }
}
