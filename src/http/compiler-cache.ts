import { createHash } from 'node:crypto';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type Factory = (externalSchemas: unknown, options: unknown) => (route: { schema: unknown }) => unknown;

/**
 * Fastify's own compilers (ajv for requests, fast-json-stringify for responses), with each
 * compiled function kept for the process, by what it is compiled from: the route's schema,
 * the app's shared schemas and the compiler's options, as JSON. Compiling is the costly part of
 * building an app (~0.3 s of CPU on this API); a process that builds several apps from the same
 * schemas compiles each once: the server's API and metrics apps, and above all the tests, ~86
 * apps in a run, where compiling was ~130 of 376 s of CPU (docs/performance.md). The same
 * input gives the same function, so a cached one is the one Fastify would compile.
 *
 * A shared validator is safe to share: ajv's functions keep no state between calls but
 * `errors`, which Fastify reads right after its own synchronous call.
 */
function cachedPerProcess<F extends Factory>(compileFresh: F): F {
  const compiled = new Map<string, unknown>();
  return ((externalSchemas, options) => {
    const compile = compileFresh(externalSchemas, options);
    // Hashed: the shared schemas are tens of kilobytes of JSON, kept once per route otherwise.
    const context = createHash('sha256')
      .update(`${JSON.stringify(externalSchemas)}\0${JSON.stringify(options ?? {})}`)
      .digest('base64');
    return (route: { schema: unknown }) => {
      const key = `${context}\0${JSON.stringify(route.schema)}`;
      let fn = compiled.get(key);
      if (fn === undefined) {
        fn = compile(route);
        compiled.set(key, fn);
      }
      return fn;
    };
  }) as F;
}

export const cachedSerializers = cachedPerProcess(SerializerSelector() as Factory) as unknown as NonNullable<
  CompilersFactory['buildSerializer']
>;

const validators = cachedPerProcess(AjvCompiler() as Factory);

/**
 * One selector for every app: it also shares one ajv instance among apps with equal shared
 * schemas. Fastify treats any validator factory given to it as a custom one and then no longer
 * lowercases the keys of a request-headers schema, so such a schema would silently never match
 * (Node lowercases header names). No route has one; one that is added fails at start here.
 */
export const cachedValidators = ((externalSchemas: unknown, options: unknown) => {
  const compile = validators(externalSchemas, options);
  return (route: { schema: unknown; httpPart?: string; method?: string; url?: string }) => {
    if (route.httpPart === 'headers')
      throw new Error(
        `${route.method} ${route.url}: a request-headers schema is not supported (src/http/compiler-cache.ts)`,
      );
    return compile(route);
  };
}) as unknown as NonNullable<CompilersFactory['buildValidator']>;
