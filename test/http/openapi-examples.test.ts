import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import {
  addPasskey,
  assertion,
  authenticatorFor,
  enableTotp,
  passwordStep,
  registrationOptions,
  totpCode,
} from '../support/factors.js';
import { PASSWORD, signedInUser, startTestApp, type TestApp } from '../support/harness.js';

/**
 * Every example in the OpenAPI document is valid against its own schema, and
 * every documented request example, sent as it is, gets its operation's
 * documented success status ("Try it out" on /docs works).
 */

interface Example {
  summary?: string;
  value: unknown;
}
interface Media {
  schema?: object;
  example?: unknown;
  examples?: Record<string, Example>;
}
interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

const REF = '#/components/schemas/';

/** A validator for the document's schemas: each component added under its name, references made to match. */
function validatorFor(doc: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  const local = <T>(schema: T): T => JSON.parse(JSON.stringify(schema).replaceAll(`"${REF}`, '"'));
  for (const [name, schema] of Object.entries(doc.components.schemas))
    ajv.addSchema({ ...local(schema), $id: name });
  return (schema: object, value: unknown) => {
    const validate = ajv.compile(local(schema));
    return validate(value) ? null : ajv.errorsText(validate.errors);
  };
}

/** Every example of the document: where it is, the schema it must satisfy, its value. */
function examplesOf(doc: Document): { where: string; schema: object; value: unknown }[] {
  const found: { where: string; schema: object; value: unknown }[] = [];
  const media = (where: string, m: Media) => {
    if (!m.schema) return;
    if (m.example !== undefined) found.push({ where, schema: m.schema, value: m.example });
    for (const [name, e] of Object.entries(m.examples ?? {}))
      found.push({ where: `${where} (${name})`, schema: m.schema, value: e.value });
  };
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      for (const [type, m] of Object.entries(op.requestBody?.content ?? {}))
        media(`${method} ${path} request ${type}`, m);
      for (const [status, response] of Object.entries(op.responses))
        for (const [type, m] of Object.entries(response.content ?? {}))
          media(`${method} ${path} ${status} ${type}`, m);
    }
  // Schema-level examples (OpenAPI 3.1 keeps JSON Schema's `examples` array).
  const walk = (where: string, node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as { examples?: unknown };
    if (Array.isArray(schema.examples) && 'type' in schema)
      for (const value of schema.examples) found.push({ where, schema, value });
    for (const [key, child] of Object.entries(node)) walk(`${where}/${key}`, child);
  };
  walk('#/components/schemas', doc.components.schemas);
  return found;
}

describe.each(backends)('the OpenAPI document’s examples on $name', (backend) => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestApp(backend);
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Document;
  });
  afterAll(() => t.close());

  it('are each valid against their own schema', () => {
    const validate = validatorFor(doc);
    const examples = examplesOf(doc);
    // Every error response of every operation has one, and every request body has named ones.
    expect(examples.length).toBeGreaterThan(80);
    for (const e of examples) expect(validate(e.schema, e.value), e.where).toBeNull();
  });

  it('the validator refuses an example that breaks its schema (the check above can fail)', () => {
    const validate = validatorFor(doc);
    const logout = doc.paths['/auth/logout']?.post?.requestBody?.content['application/json']
      ?.schema as object;
    expect(validate(logout, { scope: 'current', sessionId: 'not-a-uuid', extra: 1 })).not.toBeNull();
    const envelope = { $ref: `${REF}ErrorEnvelope` };
    expect(validate(envelope, { message: 'Not a documented message', code: 'UNAUTHORIZED' })).not.toBeNull();
  });

  it('names one request example per logout form, none mixing them', () => {
    const examples =
      doc.paths['/auth/logout']?.post?.requestBody?.content['application/json']?.examples ?? {};
    expect(Object.keys(examples)).toEqual(['current', 'others', 'all', 'session', 'user']);
    for (const e of Object.values(examples)) {
      const v = e.value as Record<string, unknown>;
      expect(v.sessionId !== undefined && v.scope !== undefined, e.summary).toBe(false);
    }
  });

  /**
   * How to send an operation's examples: what must exist first (an account, a
   * session) and the ids and tokens only a running instance has, in place of
   * the example's placeholders. An operation with request examples and no
   * entry here fails the test below, so a new example is sent too.
   */
  const prepare: Record<
    string,
    (
      value: Record<string, unknown>,
    ) => Promise<{ body: object; headers?: Record<string, string>; url?: string }>
  > = {
    register: async (value) => ({ body: value }),
    login: async (value) => {
      await ensureAccount(value.email as string, value.password as string);
      return { body: value };
    },
    accountLogin: async (value) => {
      await ensureAccount(value.email as string, value.password as string);
      return { body: value, headers: { 'sec-fetch-site': 'same-origin' } };
    },
    refresh: async (value) => ({ body: { ...value, refreshToken: (await signedInUser(t)).refreshToken } }),
    revoke: async (value) => ({ body: { ...value, token: (await signedInUser(t)).refreshToken } }),
    logout: async (value) => {
      const caller = await signedInUser(t, { admin: value.userId !== undefined });
      const body = { ...value };
      if (value.sessionId !== undefined) {
        const other = await t.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: caller.user.email, password: PASSWORD },
        });
        body.sessionId = other.json().session.id;
      }
      if (value.userId !== undefined) body.userId = (await signedInUser(t)).user.id;
      return { body, headers: caller.headers };
    },
    reauthenticate: async (value) => {
      const caller = await signedInUser(t);
      if (value.code !== undefined) {
        const { secret } = await enableTotp(t, caller);
        // The confirmation used this step's code: the next step's is still within the window.
        return { body: { code: await totpCode(secret, Date.now() + 30_000) }, headers: caller.headers };
      }
      expect(value.password).toBe(PASSWORD);
      return { body: value, headers: caller.headers };
    },
    loginMfa: (value) => secondStep(value),
    accountLoginMfa: async (value) => ({
      ...(await secondStep(value)),
      headers: { 'sec-fetch-site': 'same-origin' },
    }),
    loginPasskey: (value) => passkeySignIn(value),
    accountLoginPasskey: async (value) => ({
      ...(await passkeySignIn(value)),
      headers: { 'sec-fetch-site': 'same-origin' },
    }),
    confirmTotp: async (value) => {
      const caller = await signedInUser(t);
      const enrol = await t.app.inject({ method: 'POST', url: '/auth/totp/enroll', headers: caller.headers });
      expect(value.code).toMatch(/^\d{6}$/);
      return { body: { code: await totpCode(enrol.json().secret) }, headers: caller.headers };
    },
    registerPasskey: async (value) => {
      const caller = await signedInUser(t);
      const { challengeId, options } = await registrationOptions(t, caller);
      const response = authenticatorFor(t).register(options);
      return { body: { ...value, challengeId, response }, headers: caller.headers };
    },
    renamePasskey: async (value) => {
      const caller = await signedInUser(t);
      const passkey = await addPasskey(t, caller, authenticatorFor(t));
      return { body: value, headers: caller.headers, url: `/auth/passkeys/${passkey.id}` };
    },
    passkeyAuthenticationOptions: async (value) => ({ body: value }),
    changePassword: async (value) => {
      const caller = await signedInUser(t);
      expect(value.currentPassword).toBe(PASSWORD);
      return { body: value, headers: caller.headers };
    },
    verifyEmail: async (value) => {
      const { user } = await signedInUser(t);
      return { body: { ...value, token: await mailedToken(user.email) } };
    },
    resendVerification: async (value) => ({ body: value }),
    forgotPassword: async (value) => ({ body: value }),
    resetPassword: async (value) => {
      const { user } = await signedInUser(t);
      await t.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: user.email } });
      await t.ctx.mail.afterResponse.settled();
      return { body: { ...value, token: await mailedToken(user.email) } };
    },
    changeEmail: async (value) => ({ body: value, headers: (await signedInUser(t)).headers }),
  };

  /** A login at its second step: the example's code or recovery code, made real. */
  async function secondStep(value: Record<string, unknown>) {
    const caller = await signedInUser(t);
    const { secret, recoveryCodes } = await enableTotp(t, caller);
    const mfaToken = await passwordStep(t, caller.user.email);
    return {
      body:
        value.code !== undefined
          ? { mfaToken, code: await totpCode(secret, Date.now() + 30_000) }
          : { mfaToken, recoveryCode: recoveryCodes[0] },
    };
  }

  /** A passkey sign-in: a real passkey's assertion in place of the example's. */
  async function passkeySignIn(value: Record<string, unknown>) {
    const caller = await signedInUser(t);
    const authenticator = authenticatorFor(t);
    await addPasskey(t, caller, authenticator);
    return { body: { ...value, ...(await assertion(t, authenticator)) } };
  }

  /** The token of the latest link queued for `email` (the outbox holds it until it is sent). */
  async function mailedToken(email: string): Promise<string> {
    const rows = await t.database.db.query<{ link: string }>(
      `SELECT body->>'link' AS link FROM mail_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1`,
      [email],
    );
    return (rows[0]?.link ?? '').replace(/^.*#(verify|reset)=/, '');
  }

  async function ensureAccount(email: string, password: string) {
    const res = await t.app.inject({ method: 'POST', url: '/auth/register', payload: { email, password } });
    expect([201, 409], res.body).toContain(res.statusCode);
  }

  it('each documented request example, sent, gets its operation’s success status', async () => {
    let sent = 0;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        // Form-only protocol endpoints (OAuth: /oidc/token, /oidc/logout) are driven by test/oidc/ instead.
        if (!op.requestBody?.content['application/json']) continue;
        const examples = op.requestBody.content['application/json']?.examples;
        expect(examples, `${op.operationId} has a request body and no named examples`).toBeDefined();
        if (!examples) continue;
        const success = Number(Object.keys(op.responses).find((s) => /^2/.test(s)));
        const how = prepare[op.operationId];
        expect(how, `no way to send the examples of ${op.operationId}`).toBeDefined();
        for (const [name, example] of Object.entries(examples)) {
          const { body, headers, url } = await how!(example.value as Record<string, unknown>);
          const res = await t.app.inject({
            method: method.toUpperCase() as 'POST',
            url: url ?? path,
            payload: body,
            headers,
          });
          expect(res.statusCode, `${op.operationId} example "${name}": ${res.body}`).toBe(success);
          sent++;
        }
      }
    // The seed's 12, second factors' 11, mail and recovery's 5.
    expect(sent).toBe(28);
  });
});
