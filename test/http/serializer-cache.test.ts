import { describe, expect, it } from 'vitest';
import { cachedSerializers } from '../../src/http/serializer-cache.js';

/** Route compilation as Fastify asks for it: (shared schemas, options), then one route's schema. */
const route = (schema: object) => ({ schema, method: 'GET', url: '/x', httpStatus: '200' });
const user = () => ({
  type: 'object',
  properties: { id: { type: 'string' }, name: { $ref: 'Name#' } },
  required: ['id'],
});
const shared = (max: number) => ({ Name: { $id: 'Name', type: 'string', maxLength: max } });

describe('cached response serializers', () => {
  it('compiles a schema once for equal shared schemas and options, whichever app asks', () => {
    const a = cachedSerializers(shared(10), {})(route(user()));
    const b = cachedSerializers(shared(10), {})(route(user())); // another app: new, equal objects
    expect(b).toBe(a);
    expect(a({ id: '1', name: 'Ada', secret: 'x' })).toBe('{"id":"1","name":"Ada"}');
  });

  it('compiles again when the schema, the shared schemas or the options differ', () => {
    const base = cachedSerializers(shared(10), {})(route(user()));
    const otherSchema = cachedSerializers(shared(10), {})(route({ ...user(), required: [] }));
    const otherShared = cachedSerializers(
      { ...shared(10), Extra: { $id: 'Extra', type: 'number' } },
      {},
    )(route(user()));
    const otherOptions = cachedSerializers(shared(10), { rounding: 'ceil' })(route(user()));
    expect(new Set([base, otherSchema, otherShared, otherOptions]).size).toBe(4);
  });
});
