import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { FuzzFixtures } from '../support/fuzz-fixtures.js';
import {
  login,
  register,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
  testConfig,
  uniqueEmail,
} from '../support/harness.js';
import {
  type BodyRecipe,
  bodyRecipe,
  buildBody,
  contentType,
  installChangeCounter,
  malformedUrl,
  nastyString,
  percentEncode,
  responseProblems,
  rowChanges,
  type SeenResponse,
  type Template,
} from '../support/hostile.js';

/**
 * Property-based fuzzing of every operation in the OpenAPI document (so a new
 * route is fuzzed the day it is added), through `inject`. Whatever is sent —
 * bodies of every JSON type, truncated, huge, nested thousands deep, bytes
 * that are not UTF-8, every content type, tampered and foreign tokens —
 *
 * - the answer is never a 5xx, and every error is docs/api.md §1's envelope with
 *   the status's fixed message and code;
 * - the status is one the OpenAPI document promises for that operation;
 * - a refused request (4xx) changes nothing: not a row, not the revocation list
 *   (but the record of a refused attempt, test/support/hostile.ts#installChangeCounter).
 *
 * Bodies are mutations of each route's templates (test/support/fuzz-fixtures.ts), requests
 * that reach the route's own decisions: a wrong code, an answer from another origin, an
 * unknown or used token, an address taken. So the last rule covers those refusals too.
 *
 * CI runs a fixed seed (FUZZ_SEED) for FUZZ_RUNS cases (10,000);
 * `npm run fuzz` runs 200,000 with a fresh seed.
 */
const RUNS = Number(process.env.FUZZ_RUNS || 10_000);
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Date.now() % 2 ** 31
    : process.env.FUZZ_SEED
      ? Number(process.env.FUZZ_SEED)
      : 20_260_101;

/** Outcomes that only a request built from a route's template reaches (FuzzFixtures). */
const REACHED = [
  'POST /auth/totp/confirm 400 INVALID_CODE',
  'POST /auth/passkeys 400 INVALID_CREDENTIAL',
  'POST /auth/passkeys 201',
  'POST /auth/login/passkey 200',
  'POST /auth/email/verify 400 INVALID_TOKEN',
  'POST /auth/password/reset 400 INVALID_TOKEN',
  'POST /auth/email 409 CONFLICT',
  'POST /auth/email 202',
  'POST /auth/password/forgot 202',
  'POST /auth/email/verify/resend 202',
  'PATCH /auth/passkeys/{id} 404 NOT_FOUND',
];

interface Operation {
  method: string;
  path: string;
  statuses: Set<number>;
  hasParams: boolean;
}

type AuthRecipe =
  | { kind: 'none' }
  | { kind: 'live' }
  | { kind: 'admin' }
  | { kind: 'tampered'; index: number }
  | { kind: 'raw'; value: string };

interface CaseRecipe {
  op: number;
  otherMethod: string | null;
  randomPath: string | null;
  query: string | null;
  auth: AuthRecipe;
  template: number;
  body: BodyRecipe;
  contentType: string | undefined;
  cookie: string | null;
}

/** `arb` once in `oneIn` cases, null otherwise. */
const sometimes = <T>(oneIn: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

/** A user whose session the fuzzer may end at any moment: signed in again whenever it has. */
class LiveUser {
  constructor(
    private readonly t: TestApp,
    public current: SignedIn,
    private readonly onLogin: () => void,
  ) {}

  async get(): Promise<SignedIn> {
    // Every ending in this process reaches its revocation list before the response is sent.
    if (this.t.ctx.revocations.isEnded(this.current.session.id)) {
      this.current = await login(this.t, this.current.user.email);
      this.onLogin();
    }
    return this.current;
  }
}

describe.each(backends.slice(0, 1))('hostile input on every endpoint ($name)', (backend) => {
  let t: TestApp;
  let operations: Operation[];
  let allStatuses: Set<number>;
  let user: LiveUser;
  let admin: LiveUser;
  let victim: SignedIn;
  let tampered: { label: string; header: string }[];
  let fixtures: FuzzFixtures;
  let baseline: number;
  let relogged = false;

  beforeAll(async () => {
    // Proofs that stay fresh for a long run (npm run fuzz), so that the routes that need one
    // (email change, factor changes) keep reaching their business logic.
    t = await startTestApp(backend, { FRESH_AUTH_MAX_AGE: '86400' });
    const doc = t.app.swagger() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        statuses: new Set(Object.keys(op.responses ?? {}).map(Number)),
        hasParams: path.includes('{'),
      })),
    );
    allStatuses = new Set([404, ...operations.flatMap((o) => [...o.statuses])]);

    user = new LiveUser(t, await signedInUser(t), () => {
      relogged = true;
    });
    admin = new LiveUser(t, await signedInUser(t, { admin: true }), () => {
      relogged = true;
    });
    victim = await signedInUser(t);
    fixtures = await FuzzFixtures.create(t, victim);
    tampered = await tamperedTokens(t, user.current);
    await installChangeCounter(t.database.db);
    baseline = await rowChanges(t.database.db);
  });
  afterAll(() => t?.close());

  const caseRecipe: fc.Arbitrary<CaseRecipe> = fc.record({
    op: fc.nat(1000),
    otherMethod: sometimes(12, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')),
    randomPath: sometimes(
      12,
      fc.oneof(
        fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
        nastyString.map((s) => `/auth/${percentEncode(s)}`),
        fc.constantFrom(
          '/auth/logout/',
          '/AUTH/LOGOUT',
          '/auth//logout',
          '/auth/logout%00',
          '/../etc/passwd',
        ),
        // Broken percent-encoding, refused before routing (once answered in Fastify's own shape).
        malformedUrl(['/', '/auth/login', '/auth/logout', '/auth/me', '/auth/revoke', '/health', '/account']),
        malformedUrl(['/', '/auth/login', '/auth/logout', '/auth/me', '/auth/revoke', '/health', '/account']),
      ),
    ),
    query: sometimes(6, fc.webQueryParameters()),
    auth: fc.oneof(
      { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 8, arbitrary: fc.constant({ kind: 'live' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'admin' as const }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('tampered' as const), index: fc.nat(1000) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('raw' as const),
          value: fc.oneof(
            nastyString.map((s) => `Bearer ${s}`),
            nastyString,
            fc.integer({ min: 5000, max: 12_000 }).map((n) => `Bearer ${'A'.repeat(n)}`),
            fc.constantFrom('Bearer', 'Bearer ', 'bearer x.y.z', 'Basic Zm9vOmJhcg==', 'Bearer a.b.c.d.e'),
          ),
        }),
      },
    ),
    template: fc.nat(10),
    body: bodyRecipe(testConfig().bodyLimit),
    contentType,
    cookie: sometimes(
      8,
      fc.oneof(
        fc.constant('gatehouse_session=x'),
        nastyString.map((s) => `gatehouse_session=${percentEncode(s)}`),
      ),
    ),
  });

  const statusCounts = new Map<number, number>();
  /** `METHOD /path status CODE` of every answer to a route's own method: which outcomes were reached. */
  const outcomes = new Set<string>();
  let refusedUnchanged = 0;

  async function runCase(r: CaseRecipe): Promise<void> {
    const op = operations[r.op % operations.length] as Operation;
    const u = await user.get();
    const a = await admin.get();
    const method = r.otherMethod ?? op.method;
    let path = r.randomPath ?? (await fixtures.path(op.path, r.template, u));
    if (r.query) path += `?${r.query}`;
    const list = await fixtures.templates(op.path, u);
    // A new session, or fixtures renewed for this case: rows written outside the request under test.
    if (relogged || fixtures.changed) {
      baseline = await rowChanges(t.database.db);
      relogged = false;
      fixtures.changed = false;
    }

    const headers: Record<string, string> = {};
    switch (r.auth.kind) {
      case 'live':
        headers.authorization = `Bearer ${u.accessToken}`;
        break;
      case 'admin':
        headers.authorization = `Bearer ${a.accessToken}`;
        break;
      case 'tampered':
        headers.authorization = (tampered[r.auth.index % tampered.length] as { header: string }).header;
        break;
      case 'raw':
        headers.authorization = r.auth.value;
        break;
    }
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (r.cookie) headers.cookie = r.cookie;
    const payload = buildBody(r.body, list[r.template % list.length] as Template);
    const revocationsBefore = t.ctx.revocations.size;

    const res = await send(t, {
      method: method as 'GET',
      url: path,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1);
    // Mail requests finish their work after the answer (forgot, resend): count it to this case.
    await t.ctx.mail.afterResponse.settled();

    const problems = responseProblems(res, { head: method === 'HEAD' });
    const sameOp = r.randomPath === null && method === op.method;
    if (sameOp) outcomes.add(`${op.method} ${op.path} ${res.statusCode} ${errorCode(res.body)}`.trimEnd());
    const headOfGet = r.randomPath === null && method === 'HEAD' && op.method === 'GET';
    const promised = sameOp || headOfGet ? new Set([...op.statuses, ...(op.hasParams ? [404] : [])]) : null;
    if (promised && !promised.has(res.statusCode))
      problems.push(`status ${res.statusCode} is not documented for ${op.method} ${op.path}`);
    // A person opening / or /account/ is sent to the account page (not API operations).
    const pageRedirect =
      res.statusCode === 302 &&
      ['/', '/account/'].includes(path.split('?')[0] ?? '') &&
      res.headers.location === '/account';
    if (!promised && !pageRedirect && !allStatuses.has(res.statusCode))
      problems.push(`unexpected status ${res.statusCode}`);

    // Keep the fixtures' tokens current, so the fuzzer never trips refresh-token reuse by accident.
    if (res.statusCode === 200 && op.path === '/auth/refresh' && sameOp) {
      const body = JSON.parse(res.body) as {
        session: { id: string };
        accessToken: string;
        refreshToken: string;
      };
      for (const live of [user, admin])
        if (live.current.session.id === body.session.id)
          live.current = {
            ...live.current,
            accessToken: body.accessToken,
            refreshToken: body.refreshToken,
            headers: { authorization: `Bearer ${body.accessToken}` },
          };
    }

    const after = await rowChanges(t.database.db);
    if (res.statusCode >= 400) {
      if (after !== baseline) problems.push(`a refused request changed ${after - baseline} rows`);
      if (t.ctx.revocations.size !== revocationsBefore)
        problems.push('a refused request changed the revocation list');
      if (problems.length === 0) refusedUnchanged++;
    }
    baseline = after;
    if (problems.length > 0)
      throw new Error(
        `${method} ${path.slice(0, 200)} → ${res.statusCode}: ${problems.join('; ')}\n${res.body.slice(0, 500)}`,
      );
  }

  it(
    `answers ${RUNS} hostile requests with no 5xx, only the envelope, and no change when refused`,
    async () => {
      const started = performance.now();
      await fc.assert(fc.asyncProperty(caseRecipe, runCase), {
        numRuns: RUNS,
        seed: SEED,
        endOnFailure: true,
      });
      const seconds = (performance.now() - started) / 1000;
      const byStatus = [...statusCounts].sort(([x], [y]) => x - y).map(([s, n]) => `${s}×${n}`);
      console.info(
        `fuzz: ${RUNS} cases (seed ${SEED}) in ${seconds.toFixed(1)} s over ${operations.length} operations; ` +
          `statuses ${byStatus.join(' ')}; ${refusedUnchanged} refused with nothing changed`,
      );
      // The templates reached each route's own decisions, refusals and successes alike (a short
      // FUZZ_RUNS may not try them all).
      if (RUNS >= 10_000) {
        expect(REACHED.filter((o) => !outcomes.has(o))).toEqual([]);
        expect(await fixtures.refusedSecondSteps()).toEqual({ wrongCode: true, passkeyElsewhere: true });
      }
      // The process is still healthy, and a real user still gets in.
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const fresh = await register(t, uniqueEmail('after-fuzz'));
      await login(t, fresh.email);
    },
    Math.max(120_000, RUNS * 30),
  );
});

/**
 * `inject`, streamed: an event stream (GET /auth/events) answers at once and
 * never ends, so its body is not awaited; everything else is read whole.
 */
async function send(t: TestApp, opts: InjectOptions): Promise<SeenResponse> {
  const res = await t.app.inject({ ...opts, payloadAsStream: true });
  const stream = res.stream();
  if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    stream.on('error', () => {});
    stream.destroy();
    return { statusCode: res.statusCode, headers: res.headers, body: '' };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() };
}

/**
 * Tokens an attacker can make: unsigned, signed with a key of theirs or with
 * our public key as an HMAC secret, expired, not yet valid, for another
 * issuer or type, with a foreign kid or an embedded key, truncated, altered,
 * a refresh token in place of an access token, a logged-out session's and
 * a deleted user's token.
 */
async function tamperedTokens(t: TestApp, u: SignedIn): Promise<{ label: string; header: string }[]> {
  const { kid, key } = t.ctx.keys.signingKey;
  const [h, p, s] = u.accessToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const sign = (
    header: Record<string, unknown>,
    payload: Record<string, unknown>,
    signingKey: Parameters<SignJWT['sign']>[0] = key,
  ) => new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(signingKey);

  const foreign = await generateKeyPair('EdDSA');
  const publicJwk = t.ctx.keys.jwks().keys[0] as Record<string, unknown>;
  const hmacWithPublicKey = (() => {
    const head = b64({ alg: 'HS256', typ: 'at+jwt', kid });
    const sig = createHmac('sha256', JSON.stringify(publicJwk)).update(`${head}.${p}`).digest('base64url');
    return `${head}.${p}.${sig}`;
  })();

  const ended = await signedInUser(t);
  await t.app.inject({ method: 'POST', url: '/auth/logout', headers: ended.headers });
  const deleted = await signedInUser(t);
  await t.database.db.query('DELETE FROM users WHERE id = $1', [deleted.user.id]);

  const tokens: [string, string][] = [
    ['alg none', `${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.`],
    ['alg none with our kid', `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${p}.`],
    ['HS256 keyed with our public key', hmacWithPublicKey],
    [
      'signed by a foreign key under our kid',
      await sign({ alg: 'EdDSA', typ: 'at+jwt', kid }, claims, foreign.privateKey),
    ],
    [
      'foreign key embedded in the header',
      await sign(
        { alg: 'EdDSA', typ: 'at+jwt', jwk: await exportJWK(foreign.publicKey) },
        claims,
        foreign.privateKey,
      ),
    ],
    ['expired', await sign({ alg: 'EdDSA', typ: 'at+jwt', kid }, { ...claims, exp: now - 5 })],
    ['not yet valid', await sign({ alg: 'EdDSA', typ: 'at+jwt', kid }, { ...claims, nbf: now + 3600 })],
    ['another issuer', await sign({ alg: 'EdDSA', typ: 'at+jwt', kid }, { ...claims, iss: 'evil' })],
    ['plain JWT type', await sign({ alg: 'EdDSA', typ: 'JWT', kid }, claims)],
    ['unknown kid', await sign({ alg: 'EdDSA', typ: 'at+jwt', kid: randomUUID() }, claims)],
    ['no kid', await sign({ alg: 'EdDSA', typ: 'at+jwt' }, claims)],
    ['admin role claimed', `${h}.${b64({ ...claims, roles: ['user', 'admin'] })}.${s}`],
    ['another session claimed', `${h}.${b64({ ...claims, sid: randomUUID() })}.${s}`],
    ['signature cut off', `${h}.${p}.`],
    ['two parts', `${h}.${p}`],
    ['refresh token', u.refreshToken],
    ['logged-out session', ended.accessToken],
    ['deleted user', deleted.accessToken],
    ['id token shape', `${h}.${p}.${s}.${s}`],
  ];
  return [
    ...tokens.map(([label, token]) => ({ label, header: `Bearer ${token}` })),
    { label: 'lower-case scheme, logged-out token', header: `bearer ${ended.accessToken}` },
    { label: 'token twice', header: `Bearer ${u.accessToken} ${u.accessToken}` },
    { label: 'token in the wrong scheme', header: `Token ${u.accessToken}` },
  ];
}

/** The envelope's code of an error answer, or ''. */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}
