/**
 * `npm run client:generate`: writes client/schema.ts, the types of the
 * typed client, from the OpenAPI document the routes produce. The document
 * comes from building the app (on a throwaway in-memory store) without
 * listening, so no server has to run. test/client/schema.test.ts fails when
 * the committed file no longer matches the document.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/domain/context.js';
import { migrate } from '../src/storage/migrate.js';
import { openPglite } from '../src/storage/pglite.js';
import { createStore } from '../src/storage/store.js';

export const SCHEMA_FILE = new URL('./schema.ts', import.meta.url);

const HEADER = `/**
 * Generated from Gatehouse's OpenAPI document by \`npm run client:generate\`.
 * Do not edit: change the route schemas in src/http/ and generate again.
 */

`;

/** The TypeScript declarations for an OpenAPI document, exactly as committed in client/schema.ts. */
export async function renderSchema(document: unknown): Promise<string> {
  // A JSON round trip gives openapi-typescript plain data (no TypeBox symbols, no Date objects).
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)) as OpenAPI3, {
    alphabetize: true,
    // "format: date-time" stays a string: JSON carries dates as ISO 8601 text.
  });
  return HEADER + astToString(ast);
}

/** The OpenAPI document of the current routes, from an app that is built but never listens. */
export async function currentDocument(): Promise<unknown> {
  const db = await openPglite();
  try {
    await migrate(db);
    const config = loadConfig({ RATE_LIMITS: 'off', LOG_LEVEL: 'silent' });
    const ctx = await createContext(createStore(db), {
      accessTokenTtl: config.accessTokenTtl,
      sessionTtl: config.sessionTtl,
    });
    const app = await buildApp(ctx, config, { logger: false });
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await renderSchema(await currentDocument());
  await writeFile(SCHEMA_FILE, text);
  process.stdout.write(`Wrote ${SCHEMA_FILE.pathname.split('/').slice(-2).join('/')}\n`);
}
