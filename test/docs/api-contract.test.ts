/**
 * docs/api.md is the contract in words; /openapi.json is the same contract for tools; the
 * code enforces it. These tests fail when the page and the document (or the error table in
 * code) drift apart.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/domain/errors.js';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const page = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The rows of the first Markdown table after a heading that starts with `heading`. */
function tableAfter(heading: string): string[][] {
  const start = page.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`docs/api.md has no section "${heading}"`);
  const lines = page.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );
  }
  return rows;
}

/** The fenced ```json block that follows `marker` in the page. */
function jsonAfter(marker: string): unknown {
  const at = page.indexOf(marker);
  const block = /```json\n([\s\S]*?)```/.exec(page.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`docs/api.md has no JSON example after "${marker}"`);
  return JSON.parse(block[1].replace(/"eyJ…"/g, '"x"'));
}

const backend = backends[0]!;

describe('docs/api.md agrees with the code and the OpenAPI document', () => {
  let t: TestApp;
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, walked by path
  let doc: any;
  beforeAll(async () => {
    t = await startTestApp(backend);
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(() => t.close());

  it('lists exactly the error table in code: status, code, message and default description (§1)', () => {
    const rows = tableAfter('1.').map(([status, code, message, description]) => ({
      status: Number(status),
      code,
      message,
      description,
    }));
    const inCode = Object.entries(ERRORS).map(([code, e]) => ({ code, ...e }));
    expect(rows).toEqual(
      inCode.map(({ status, code, message, description }) => ({ status, code, message, description })),
    );
  });

  it('lists exactly the operations of the OpenAPI document (§3)', () => {
    const onPage = tableAfter('3.')
      .map(([method, path]) => `${method} ${path}`)
      .sort();
    const inDocument = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(onPage).toEqual(inDocument);
  });

  it("gives logout's failures exactly as the document's logout operation does (§2)", () => {
    // §2 has two tables, the bodies and the failures: the failures are the rows that start with a status.
    const statusRows = page
      .slice(page.indexOf('\n## 2.'), page.indexOf('\n## 3.'))
      .split('\n')
      .map((l) => /^\|\s*(\d{3})\s*\|/.exec(l)?.[1])
      .filter((status) => status !== undefined);
    const documented = Object.keys(doc.paths['/auth/logout'].post.responses);
    // Every failure the page promises is documented; the seed's seven are on both.
    for (const status of statusRows) expect(documented).toContain(status);
    for (const status of ['400', '401', '403', '404', '409', '422']) expect(statusRows).toContain(status);
    expect(page).toContain('{"message":"Logged out successfully"}');
    expect(doc.paths['/auth/logout'].post.summary).toBe('Logout from the system');
  });

  it('lists exactly the rate-limited operations, those that document X-RateLimit-* headers (§3)', () => {
    const bullet = /- \*\*Rate limits\.\*\*([\s\S]*?)\n- |- \*\*Rate limits\.\*\*([\s\S]*?)\n\n/.exec(page);
    const text = bullet?.[1] ?? bullet?.[2] ?? '';
    const onPage = [...text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`]+)`/g)]
      .map((m) => `${m[1]} ${m[2]}`)
      .sort();
    type Op = { responses: Record<string, { headers?: Record<string, unknown> }> };
    const inDocument = Object.entries(doc.paths as Record<string, Record<string, Op>>)
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => Object.values(op.responses).some((r) => r.headers?.['X-RateLimit-Limit']))
          .map(([m]) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(onPage.length).toBeGreaterThan(0);
    expect(onPage).toEqual(inDocument);
  });

  it('states the configured access-token lifetime in the document, not a fixed one', async () => {
    const short = await startTestApp(backend, { ACCESS_TOKEN_TTL: '300' });
    try {
      const described = (await short.app.inject({ method: 'GET', url: '/openapi.json' })).json().components
        .securitySchemes.bearerAuth.description as string;
      expect(described).toContain('valid 300 seconds (ACCESS_TOKEN_TTL)');
    } finally {
      await short.close();
    }
  });

  it('shows the second-factor answer of login with exactly the fields of its schema (§8)', () => {
    const example = jsonAfter('**The password step of an account with TOTP**') as Record<string, unknown>;
    expect(Object.keys(example).sort()).toEqual(
      Object.keys(doc.components.schemas.SecondFactorRequired.properties).sort(),
    );
  });

  it('shows the token response with exactly the fields of the documented schema (§3)', async () => {
    const example = jsonAfter('**The token response**') as Record<string, Record<string, unknown>>;
    // Login answers a union: the token response, or (an account with TOTP) SecondFactorRequired.
    const op = doc.paths['/auth/login'].post.responses['200'].content['application/json'].schema;
    const branches = (op.anyOf ?? [op]) as { $ref?: string }[];
    expect(branches.map((b) => b.$ref)).toEqual([
      '#/components/schemas/TokenResponse',
      '#/components/schemas/SecondFactorRequired',
    ]);
    const token = doc.paths['/auth/login/mfa'].post.responses['200'].content['application/json'].schema;
    expect(token.$ref).toBe('#/components/schemas/TokenResponse');
    const schema = resolve(doc, token.$ref);
    expect(Object.keys(example).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const nested of ['session', 'user']) {
      const sub = schema.properties[nested];
      const props = (sub.$ref ? resolve(doc, sub.$ref) : sub).properties;
      expect(Object.keys(example[nested]!).sort(), nested).toEqual(Object.keys(props).sort());
    }
  });
});

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, walked by path
function resolve(doc: any, ref: string): any {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, key) => node[key], doc);
}
