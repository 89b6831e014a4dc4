import { describe, expect, it } from 'vitest';
import { cachedSerializers, cachedValidators } from '../../src/http/compiler-cache.js';

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

const ajvOptions = (coerceTypes: boolean) => ({ customOptions: { removeAdditional: false, coerceTypes } });
const body = (schema: object) => ({ schema, method: 'POST', url: '/x', httpPart: 'body' });
const named = () => ({
  type: 'object',
  properties: { name: { $ref: 'Name#' } },
  required: ['name'],
  additionalProperties: false,
});

describe('cached request validators', () => {
  it('compiles a schema once for equal shared schemas and options, whichever app asks', () => {
    const a = cachedValidators(shared(3), ajvOptions(false))(body(named())) as ((v: unknown) => boolean) & {
      errors?: unknown[];
    };
    const b = cachedValidators(shared(3), ajvOptions(false))(body(named()));
    expect(b).toBe(a);
    expect(a({ name: 'Ada' })).toBe(true);
    expect(a({ name: 'Grace' })).toBe(false); // the shared schema's maxLength applies
    expect(a.errors?.[0]).toMatchObject({ keyword: 'maxLength' });
  });

  it('compiles again when the schema, the shared schemas or the options differ', () => {
    const base = cachedValidators(shared(3), ajvOptions(false))(body(named()));
    const otherSchema = cachedValidators(shared(3), ajvOptions(false))(body({ ...named(), required: [] }));
    const otherShared = cachedValidators(shared(4), ajvOptions(false))(body(named()));
    const otherOptions = cachedValidators(shared(3), ajvOptions(true))(body(named()));
    expect(new Set([base, otherSchema, otherShared, otherOptions]).size).toBe(4);
    expect((otherShared as (v: unknown) => boolean)({ name: 'Alan' })).toBe(true);
  });

  it('refuses a request-headers schema, which Fastify would no longer lowercase', () => {
    const compile = cachedValidators({}, ajvOptions(false));
    expect(() =>
      compile({ schema: { type: 'object' }, method: 'GET', url: '/h', httpPart: 'headers' }),
    ).toThrow(/GET \/h: a request-headers schema is not supported/);
  });
});
