import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openContext } from '../src/setup.js';
import { migrate } from '../src/storage/migrate.js';
import { openPglite } from '../src/storage/pglite.js';

/**
 * The OpenAPI document exactly as GET /openapi.json serves it, built without
 * listening (an in-memory embedded store, nothing written to disk).
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = await openPglite();
  try {
    await migrate(db);
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const ctx = (await openContext(db, config)).ctx;
    const app = await buildApp(ctx, config, { logger: false });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    await app.close();
    return res.json() as Record<string, unknown>;
  } finally {
    await db.close();
  }
}
