import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/domain/errors.js';
import { backends } from '../support/backends.js';
import { expectEnvelope, signedInUser, startTestApp, type TestApp } from '../support/harness.js';

describe.each(backends)('health, keys and docs on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  describe('GET /health and GET /ready', () => {
    it('/health answers 200 {status: "ok"}', async () => {
      const res = await get('/health');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('/ready answers 200 when the database answers and revocations are current', async () => {
      const res = await get('/ready');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        status: 'ready',
        store: backend.name,
        revocationsTracked: expect.any(Number),
      });
    });

    it('/ready counts the revocations this instance tracks', async () => {
      const before = (await get('/ready')).json().revocationsTracked as number;
      const a = await signedInUser(t);
      await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers });
      expect((await get('/ready')).json().revocationsTracked).toBe(before + 1);
    });

    it('/ready answers 503 while revocations are being resynchronised, and 200 again after', async () => {
      t.ctx.revocations.markStale();
      try {
        const res = await get('/ready');
        expectEnvelope(res, 'SERVICE_UNAVAILABLE', /resynchronised/);
        expect(res.headers['retry-after']).toBe('1');
        expect((await get('/health')).statusCode).toBe(200);
      } finally {
        t.ctx.revocations.markCurrent();
      }
      expect((await get('/ready')).statusCode).toBe(200);
    });
  });

  describe('/ready once the database is gone', () => {
    let gone: TestApp;
    beforeAll(async () => {
      gone = await startTestApp(backend);
      await gone.store.close();
    });
    afterAll(async () => {
      await gone.app.close();
      // The store is closed already: let dispose skip to its clean-up (on PostgreSQL, dropping the schema).
      Object.assign(gone.database.db, { close: async () => {} });
      await gone.database.dispose();
    });

    it('answers 503 in the envelope, with Retry-After and no database error text', async () => {
      const res = await gone.app.inject({ method: 'GET', url: '/ready' });
      expectEnvelope(res, 'SERVICE_UNAVAILABLE', /database/i);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).not.toMatch(/closed|pool|pglite/i);
    });

    it('still answers /health 200 (the process is alive)', async () => {
      expect((await gone.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes the current signing key, whose kid is in the access token header', async () => {
      const a = await signedInUser(t);
      const res = await get('/.well-known/jwks.json');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      const { keys } = res.json() as { keys: Record<string, string>[] };
      const { kid } = decodeProtectedHeader(a.accessToken);
      const jwk = keys.find((k) => k.kid === kid);
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid });
      // A resource server can verify the token with it alone.
      const { payload } = await jwtVerify(a.accessToken, await importJWK(jwk as object, 'EdDSA'));
      expect(payload.sid).toBe(a.session.id);
    });

    it('never publishes private key material', async () => {
      const { keys } = (await get('/.well-known/jwks.json')).json() as { keys: Record<string, unknown>[] };
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k).not.toHaveProperty('d');
    });

    it('publishes a rotated-in key alongside the retiring one', async () => {
      const before = t.ctx.keys.signingKey.kid;
      const [rotated] = await t.ctx.keys.rotate();
      const after = rotated!.kid;
      const { keys } = (await get('/.well-known/jwks.json')).json() as { keys: { kid: string }[] };
      expect(keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before, after]));
      expect(decodeProtectedHeader((await signedInUser(t)).accessToken).kid).toBe(after);
    });
  });

  describe('GET /openapi.json', () => {
    // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, walked by path
    let doc: any;
    beforeAll(async () => {
      const res = await get('/openapi.json');
      expect(res.statusCode).toBe(200);
      doc = res.json();
    });
    /** A schema, with a reference to a named one followed. */
    // biome-ignore lint/suspicious/noExplicitAny: a schema of the document
    const resolved = (schema: any) =>
      schema?.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

    it('names its schemas in components and refers to them instead of repeating them', () => {
      const names = Object.keys(doc.components.schemas);
      expect(names).toEqual(
        expect.arrayContaining([
          'ErrorEnvelope',
          'TokenResponse',
          'Session',
          'User',
          'LogoutRequest',
          'LoginRequest',
          'BrowserSession',
          'ActiveSession',
        ]),
      );
      // Login answers tokens, or (an account with TOTP) the second factor it needs: both by reference.
      expect(doc.paths['/auth/login'].post.responses['200'].content['application/json'].schema).toMatchObject(
        {
          anyOf: [
            { $ref: '#/components/schemas/TokenResponse' },
            { $ref: '#/components/schemas/SecondFactorRequired' },
          ],
        },
      );
      expect(doc.paths['/auth/login/mfa'].post.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/TokenResponse',
      });
      expect(doc.components.schemas.TokenResponse.properties.user).toEqual({
        $ref: '#/components/schemas/User',
      });
      // Every reference leads to a schema that is there.
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
        (m) => m[1] as string,
      );
      expect(refs.length).toBeGreaterThan(50);
      for (const name of new Set(refs)) expect(doc.components.schemas[name], name).toBeDefined();
    });

    it('documents 500 and 503 on every operation, with Retry-After on 503', () => {
      let operations = 0;
      for (const [path, ops] of Object.entries(
        doc.paths as Record<string, Record<string, { responses: object }>>,
      ))
        for (const [method, op] of Object.entries(ops)) {
          const responses = op.responses as Record<string, { headers?: object }>;
          expect(Object.keys(responses), `${method} ${path}`).toEqual(expect.arrayContaining(['500', '503']));
          expect(responses['503']?.headers, `${method} ${path}`).toHaveProperty('Retry-After');
          operations++;
        }
      expect(operations).toBe(44);
    });

    it('documents 429 on every operation that can answer it', () => {
      for (const [path, method] of [
        ['/auth/register', 'post'],
        ['/auth/login', 'post'],
        ['/auth/refresh', 'post'],
        ['/auth/revoke', 'post'],
        ['/auth/password', 'post'],
        ['/auth/events', 'get'],
        ['/account/login', 'post'],
        ['/account/refresh', 'post'],
      ] as const)
        expect(doc.paths[path][method].responses['429']?.headers, `${method} ${path}`).toHaveProperty(
          'Retry-After',
        );
    });

    it('says which endpoints it leaves out, and leaves them out', () => {
      for (const path of ['/metrics', '/account', '/docs', '/openapi.json']) {
        expect(doc.paths[path], path).toBeUndefined();
        expect(doc.info.description).toContain(path);
      }
    });

    it('says the session cookie cannot be pasted into Authorize', () => {
      expect(doc.components.securitySchemes.cookieAuth.description).toMatch(
        /HttpOnly.*cannot be pasted into Authorize/,
      );
    });

    it('is an OpenAPI 3.1 document describing every endpoint of docs/api.md §3', () => {
      expect(doc.openapi).toMatch(/^3\.1\./);
      expect(doc.info).toMatchObject({ title: 'Gatehouse', version: expect.any(String) });
      for (const [path, method] of [
        ['/auth/register', 'post'],
        ['/auth/login', 'post'],
        ['/auth/refresh', 'post'],
        ['/auth/revoke', 'post'],
        ['/auth/logout', 'post'],
        ['/auth/me', 'get'],
        ['/auth/sessions', 'get'],
        ['/health', 'get'],
        ['/ready', 'get'],
      ] as const)
        expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    });

    it('has the seed\'s POST /auth/logout: summary "Logout from the system" and bearer security', () => {
      const op = doc.paths['/auth/logout'].post;
      expect(op.summary).toBe('Logout from the system');
      expect(op.security).toContainEqual({ bearerAuth: [] });
      expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it("documents all seven of the seed's logout responses, and no status outside docs/api.md §1", () => {
      const responses = doc.paths['/auth/logout'].post.responses;
      const statuses = Object.keys(responses);
      expect(statuses).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422']));
      const known = ['200', '400', '401', '403', '404', '409', '413', '422', '429', '500', '503'];
      for (const status of statuses) expect(known).toContain(status);
      expect(responses['200'].description).toBe('Logout successful');
      const ok = responses['200'].content['application/json'];
      expect(ok.schema.properties.message.type).toBe('string');
      expect(ok.example).toEqual({ message: 'Logged out successfully' });
    });

    it('gives every documented error response of every operation the envelope example of its status', () => {
      // A status may have several codes (403: FORBIDDEN, REAUTHENTICATION_REQUIRED); the example names one of them.
      const byStatus = new Map<string, { message: string; code: string }[]>();
      for (const [code, e] of Object.entries(ERRORS))
        byStatus.set(String(e.status), [
          ...(byStatus.get(String(e.status)) ?? []),
          { message: e.message, code },
        ]);
      type Media = { schema?: { properties?: Record<string, unknown> }; example?: unknown };
      type Operation = { responses: Record<string, { content?: Record<string, Media> }> };
      let checked = 0;
      for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
        for (const [method, op] of Object.entries(operations))
          for (const [status, response] of Object.entries(op.responses)) {
            if (Number(status) < 400) continue;
            const media = response.content?.['application/json'];
            expect(resolved(media?.schema)?.properties?.message, `${method} ${path} ${status}`).toBeDefined();
            const example = media?.example as { code?: string } | undefined;
            const spec = byStatus.get(status)?.find((e) => e.code === example?.code);
            expect(spec, `${method} ${path} ${status}`).toBeDefined();
            expect(media?.example, `${method} ${path} ${status}`).toMatchObject({
              message: spec?.message,
              code: spec?.code,
            });
            checked++;
          }
      expect(checked).toBeGreaterThan(30);
    });

    // The seed's text, verbatim: response description, then the example's message, description and code.
    it.each([
      [
        '400',
        'Bad Request - Invalid input data',
        ['Invalid input data', 'The request data did not pass validation', 'INVALID_INPUT'],
      ],
      [
        '401',
        'Unauthorized - Invalid or missing authentication token',
        ['Unauthorized', 'Invalid, expired or missing bearer token', 'UNAUTHORIZED'],
      ],
      [
        '403',
        'Forbidden - Insufficient permissions',
        ['Forbidden', "You don't have permission to access this resource", 'FORBIDDEN'],
      ],
      [
        '404',
        'Not Found - Resource not found',
        ['Resource not found', 'The requested resource could not be found', 'NOT_FOUND'],
      ],
      [
        '409',
        'Conflict - Resource already exists or state conflict',
        ['Resource conflict', 'The resource already exists or is in an invalid state', 'CONFLICT'],
      ],
      [
        '422',
        'Unprocessable Entity - Validation error',
        ['Validation error', 'The request data failed validation rules', 'VALIDATION_ERROR'],
      ],
    ] as [string, string, [string, string, ErrorCode]][])(
      "logout %s: the envelope schema and the seed's example",
      (status, responseDescription, [message, description, code]) => {
        const response = doc.paths['/auth/logout'].post.responses[status];
        expect(response.description).toBe(responseDescription);
        const media = response.content['application/json'];
        expect(resolved(media.schema)).toMatchObject({
          type: 'object',
          required: ['message'],
          properties: {
            message: { type: 'string', description: 'Error message' },
            description: { type: 'string', description: 'Detailed error description' },
            code: { type: 'string', description: 'Error code' },
          },
        });
        expect(media.example).toEqual({ message, description, code });
        // ...which is also what the service itself answers with (docs/api.md §1).
        expect(ERRORS[code]).toMatchObject({ status: Number(status), message, description });
      },
    );
  });

  describe('GET /docs', () => {
    it('serves a browsable HTML page that loads nothing from another host', async () => {
      let res = await get('/docs');
      for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++)
        res = await get(new URL(res.headers.location as string, 'http://localhost/docs').pathname);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);

      const urls = [
        ...res.body.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi),
      ].map((m) => m[1] as string);
      expect(urls.some((u) => u.endsWith('.js'))).toBe(true);
      for (const u of urls) expect(u, u).not.toMatch(/^(https?:)?\/\//i);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);

      // Gatehouse's page: its title, no Swagger UI or Fastify branding, no top bar with an "Explore" box.
      expect(res.body).toMatch(/<title>Gatehouse API<\/title>/);
      expect(res.body).not.toMatch(/favicon-32x32|Swagger UI/);
      const init = await get('/docs/static/swagger-initializer.js');
      expect(init.statusCode).toBe(200);
      expect(init.body).toContain('"layout":"BaseLayout"');

      // The scripts it names are served here.
      for (const u of urls.filter((x) => x.endsWith('.js')))
        expect((await get(new URL(u, 'http://localhost/docs/').pathname)).statusCode, u).toBe(200);
    });
  });
});
