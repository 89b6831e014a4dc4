import { loadConfig } from '../../config.js';
import { migrate as applyMigrations, loadMigrations } from '../../storage/migrate.js';
import { openCliDatabase } from '../connect.js';
import { type CliIo, printJson, printLine } from '../output.js';

export async function migrate({ json }: { json?: boolean }, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  // Through the running server's operator channel when it holds the embedded store (connect.ts).
  const { db } = await openCliDatabase(config, io, { migrate: false });
  try {
    const applied = await applyMigrations(db);
    const known = loadMigrations().map((m) => m.name);
    if (json) printJson(io, { applied, current: known.at(-1) ?? null });
    else if (applied.length === 0) printLine(io, `Already up to date (${known.at(-1) ?? 'no migrations'}).`);
    else for (const name of applied) printLine(io, `Applied ${name}`);
  } finally {
    await db.close();
  }
  return 0;
}
