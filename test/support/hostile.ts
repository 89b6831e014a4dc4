import fc from 'fast-check';
import { ERRORS } from '../../src/domain/errors.js';
import { MFA_TOKEN_MAX_FAILURES } from '../../src/mfa/challenge.js';
import type { Sql } from '../../src/storage/db.js';

/**
 * Building blocks of the hostile-input tests (test/security): what a response
 * must look like whatever was sent, a fingerprint of everything a request
 * could change, and fast-check arbitraries for bodies, values and headers.
 */

export interface SeenResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** The codes each status may carry (403 has two: FORBIDDEN, REAUTHENTICATION_REQUIRED). */
const BY_STATUS = new Map<number, { code: string; message: string }[]>();
for (const [code, e] of Object.entries(ERRORS))
  BY_STATUS.set(e.status, [...(BY_STATUS.get(e.status) ?? []), { code, message: e.message }]);

/**
 * Everything wrong with a response under docs/api.md §1, or [] when it is fine:
 * no 5xx, every error in the envelope with its status's fixed message and
 * code, 401 with WWW-Authenticate, 429 with Retry-After, no stack or SQL,
 * and the security headers on every response.
 */
export function responseProblems(res: SeenResponse, opts: { head?: boolean } = {}): string[] {
  const problems: string[] = [];
  const status = res.statusCode;
  if (status >= 500) problems.push(`server error ${status}`);
  if (res.headers['x-content-type-options'] !== 'nosniff')
    problems.push('no X-Content-Type-Options: nosniff');
  if (!res.headers['content-security-policy']) problems.push('no Content-Security-Policy');
  if (/at .+\.(js|ts):\d+:\d+|node_modules|SQLSTATE|relation "|syntax error at/i.test(res.body))
    problems.push('body leaks a stack trace or SQL');
  if (status < 400) return problems;

  const specs = BY_STATUS.get(status);
  if (!specs) return [...problems, `status ${status} is not in docs/api.md §1's table`];
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json'))
    problems.push(`error content-type ${String(res.headers['content-type'])}`);
  if (
    status === 401 &&
    !/^Bearer .*error="invalid_token"/.test(String(res.headers['www-authenticate'] ?? ''))
  )
    problems.push('401 without WWW-Authenticate: Bearer error="invalid_token"');
  if (status === 429 && !/^\d+$/.test(String(res.headers['retry-after'] ?? '')))
    problems.push('429 without Retry-After');
  if (opts.head) return problems; // HEAD answers carry no body
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    return [...problems, `error body is not JSON: ${res.body.slice(0, 100)}`];
  }
  const spec = specs.find((s) => s.code === body.code);
  if (!spec) problems.push(`code ${JSON.stringify(body.code)} for ${status}`);
  else if (body.message !== spec.message)
    problems.push(`message ${JSON.stringify(body.message)} for ${status}`);
  if (typeof body.description !== 'string' || body.description.length === 0)
    problems.push('description missing');
  const keys = Object.keys(body).sort().join(',');
  const allowed = ['code,description,message', 'code,description,details,message'];
  if (!allowed.includes(keys)) problems.push(`envelope has keys ${keys}`);
  if (body.details !== undefined) {
    if (status !== 422) problems.push(`details on a ${status}`);
    const ok =
      Array.isArray(body.details) &&
      body.details.every(
        (d) =>
          typeof d === 'object' &&
          d !== null &&
          typeof (d as { path?: unknown }).path === 'string' &&
          typeof (d as { message?: unknown }).message === 'string',
      );
    if (!ok) problems.push('details are not [{path, message}]');
  }
  return problems;
}

/**
 * What a refused request is meant to write, by table: the record of the refused attempt (a
 * failed login, password change, reauthentication or TOTP confirmation; a login denied), a
 * wrong code counted on its mfaToken and the token the last one ends, and a WebAuthn challenge,
 * spent by any answer to it (docs/api.md §10). Each is a trigger's WHEN condition for the
 * changes that count; everything else counts everywhere.
 */
const REFUSED_ATTEMPTS = [
  'login.failed',
  'login.denied',
  'password.change_failed',
  'session.reauthentication_failed',
  'mfa.totp_confirmation_failed',
]
  .map((action) => `'${action}'`)
  .join(', ');
const COUNTED: Record<string, [events: string, when?: string][]> = {
  audit_events: [['INSERT', `WHEN (NEW.action NOT IN (${REFUSED_ATTEMPTS}))`], ['UPDATE OR DELETE']],
  mfa_tokens: [
    ['INSERT'],
    ['UPDATE', 'WHEN (NEW.failures <> OLD.failures + 1)'],
    ['DELETE', `WHEN (OLD.failures < ${MFA_TOKEN_MAX_FAILURES})`],
  ],
  webauthn_challenges: [['INSERT OR UPDATE']],
};

/**
 * Counts every row inserted, updated or deleted in the test database's
 * tables, through row-level triggers (so an UPDATE that matches nothing does
 * not count), except what a refusal is meant to write (COUNTED). Test databases only.
 */
export async function installChangeCounter(db: Sql): Promise<void> {
  await db.exec(`
    CREATE TABLE test_row_changes (n bigint NOT NULL);
    INSERT INTO test_row_changes VALUES (0);
    CREATE FUNCTION test_count_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE test_row_changes SET n = n + 1; RETURN NULL; END $$;`);
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'test_row_changes'`,
  );
  for (const { name } of tables)
    for (const [events, when = ''] of COUNTED[name] ?? [['INSERT OR UPDATE OR DELETE']])
      await db.exec(
        `CREATE TRIGGER test_count_${events.replace(/\W+/g, '_').toLowerCase()} AFTER ${events} ON "${name}"
         FOR EACH ROW ${when} EXECUTE FUNCTION test_count_row_change()`,
      );
}

/** Rows changed since installChangeCounter. */
export async function rowChanges(db: Sql): Promise<number> {
  const [row] = await db.query<{ n: string }>('SELECT n::text AS n FROM test_row_changes');
  return Number(row?.n);
}

// ---- values ------------------------------------------------------------------

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those). */
export function percentEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

/** Strings a parser or a database might choke on. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e\u0041dmin',
    '🔥'.repeat(64),
    'ｐａｓｓｗｏｒｄ',
    "'; DROP TABLE users; --",
    '%00',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection payload, not a template.
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    'current',
    'all',
    'others',
  ),
  fc.integer({ min: 255, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 3000 }).map((n) => 'é\u0000'.repeat(n)),
  fc.uuid().map((u) => u.toUpperCase()),
);

/** A value of any JSON type but the one a field expects (and, sometimes, of the expected one). */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(-0),
);

// ---- bodies ------------------------------------------------------------------

export type Template = Record<string, unknown>;

/**
 * How to build a body from the route's known-good template (resolved at run
 * time, since templates name live tokens). Recipes are plain data so that
 * fast-check can print and shrink them.
 */
export type BodyRecipe =
  | { kind: 'none' }
  | { kind: 'template' }
  | { kind: 'replace'; field: string | null; value: unknown }
  | { kind: 'drop'; field: string | null }
  | { kind: 'extra'; field: string; value: unknown }
  | { kind: 'truncate'; at: number }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'nested'; depth: number; open: '[' | '{"a":' }
  | { kind: 'huge'; size: number }
  | { kind: 'raw'; text: string };

const fieldPick = fc.option(fc.nat(10), { nil: null }).map((n) => (n === null ? null : String(n)));

export const bodyRecipe = (bodyLimit: number): fc.Arbitrary<BodyRecipe> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'template' as const }) },
    {
      weight: 8,
      arbitrary: fc.record({ kind: fc.constant('replace' as const), field: fieldPick, value: wrongValue }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), field: fieldPick }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('extra' as const),
        field: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'admin')),
        value: wrongValue,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(200) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), text: nastyString }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('bytes' as const),
        bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('nested' as const),
        depth: fc.integer({ min: 50, max: 5000 }),
        open: fc.constantFrom('[' as const, '{"a":' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('huge' as const),
        size: fc.integer({ min: bodyLimit + 1, max: bodyLimit * 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('raw' as const),
        text: fc.constantFrom(
          '{"__proto__":{"roles":["admin"]}}',
          '{"constructor":{"prototype":{"admin":true}}}',
          '{"scope":"all","scope":"current"}',
          '{"email":"a@b.test","password":"x","email":"c@d.test"}',
          '{"a":1}garbage',
          '{"a":"\\ud800"}',
          '\ufeff{}',
          '{}\u0000',
          '1e999999',
          '{"n":1e400}',
          '[]',
          'null',
          'true',
          '""',
          '{',
          '}',
        ),
      }),
    },
  );

/** Builds the payload a recipe describes. */
export function buildBody(recipe: BodyRecipe, template: Template): string | Buffer | undefined {
  const fields = Object.keys(template);
  const pick = (field: string | null) =>
    field === null || fields.length === 0 ? 'unexpected' : (fields[Number(field) % fields.length] as string);
  switch (recipe.kind) {
    case 'none':
      return undefined;
    case 'template':
      return JSON.stringify(template);
    case 'replace':
      return JSON.stringify({ ...template, [pick(recipe.field)]: recipe.value });
    case 'drop': {
      const { [pick(recipe.field)]: _, ...rest } = template;
      return JSON.stringify(rest);
    }
    case 'extra':
      // JSON.stringify of a computed __proto__ key writes it as an own property, as an attacker would.
      return JSON.stringify({ ...template, [recipe.field]: recipe.value });
    case 'truncate': {
      const text = JSON.stringify(template);
      return text.slice(0, recipe.at % Math.max(1, text.length));
    }
    case 'json':
      return JSON.stringify(recipe.value);
    case 'text':
      return recipe.text;
    case 'bytes':
      return Buffer.from(recipe.bytes);
    case 'nested':
      return `${recipe.open.repeat(recipe.depth)}1${(recipe.open === '[' ? ']' : '}').repeat(recipe.depth)}`;
    case 'huge':
      return JSON.stringify({ ...template, padding: 'x'.repeat(recipe.size) });
    case 'raw':
      return recipe.text;
  }
}

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/jsonx',
      'application/json+x',
      'application/*',
      '*/*',
      '',
      ';',
      'a/b/c',
      'application/json; charset=',
    ),
  },
);

// ---- URLs --------------------------------------------------------------------

/** Percent-escapes that are broken, or decode to bytes that are not UTF-8. */
const badEscape: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%',
    '%%',
    '%z',
    '%zz',
    '%0',
    '%g0',
    '%E0%A4%A', // a three-byte sequence cut short
    '%c0%af', // overlong '/'
    '%c0%80', // overlong NUL
    '%ff',
    '%80',
    '%ed%a0%80', // a UTF-16 surrogate, encoded
    '%f8%88%80%80%80', // five-byte form
    '%f4%90%80%80', // past U+10FFFF
    '%e2%82',
  ),
  // Random bytes: most sequences are not UTF-8.
  fc
    .uint8Array({ minLength: 1, maxLength: 6 })
    .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  // An escape cut off after its first hex digit.
  fc.integer({ min: 0, max: 15 }).map((n) => `%${n.toString(16)}`),
);

/**
 * A URL on a known route (or near one) with a broken escape spliced into its
 * path, and sometimes a query string (broken or not): the router refuses it
 * before any route runs, and that refusal must be docs/api.md §1's envelope too.
 */
export const malformedUrl = (paths: readonly string[]): fc.Arbitrary<string> =>
  fc
    .record({
      path: fc.constantFrom(...paths),
      at: fc.nat(),
      broken: badEscape,
      query: fc.option(
        fc.oneof(
          badEscape.map((e) => `x=${e}`),
          fc.constant('access_token=a.b.c'),
        ),
        {
          nil: undefined,
        },
      ),
    })
    .map(({ path, at, broken, query }) => {
      const i = at % (path.length + 1);
      return `${path.slice(0, i)}${broken}${path.slice(i)}${query === undefined ? '' : `?${query}`}`;
    })
    .map((url) => (url.startsWith('/') ? url : `/${url}`));
