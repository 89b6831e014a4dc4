import { createHash } from 'node:crypto';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type SerializerFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']
>;

const compileFresh = SerializerSelector();
const compiled = new Map<string, ReturnType<ReturnType<SerializerFactory>>>();

/**
 * Fastify's own serializer factory (fast-json-stringify), with each compiled serializer kept
 * for the process, by what it is compiled from: the response schema, the app's shared schemas
 * and the serializer options, as JSON. Compiling is the costly part of building an app (~0.3 s
 * of CPU on this API); a process that builds several apps from the same schemas compiles each
 * once: the server's API and metrics apps, and above all the tests, ~86 apps in a run, where
 * fast-json-stringify and its $ref resolution were ~80 of 376 s of CPU (docs/performance.md).
 * The same input gives the same function, so a cached one is the one Fastify would compile.
 */
export const cachedSerializers: SerializerFactory = (externalSchemas, serializerOpts) => {
  const compile = compileFresh(externalSchemas, serializerOpts);
  // Hashed: the shared schemas are tens of kilobytes of JSON, kept once per route otherwise.
  const context = createHash('sha256')
    .update(`${JSON.stringify(externalSchemas)}\0${JSON.stringify(serializerOpts ?? {})}`)
    .digest('base64');
  return (route) => {
    const key = `${context}\0${JSON.stringify(route.schema)}`;
    let serialize = compiled.get(key);
    if (serialize === undefined) {
      serialize = compile(route);
      compiled.set(key, serialize);
    }
    return serialize;
  };
};
