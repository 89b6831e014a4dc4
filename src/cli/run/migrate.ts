import { loadConfig } from '../../config.js';
import { migrate as applyMigrations, loadMigrations } from '../../storage/migrate.js';
import { openDatabase } from '../../storage/open.js';
import { type CliIo, note, printJson, printLine } from '../output.js';

export async function migrate({ json }: { json?: boolean }, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    progress: (line) => note(io, line),
    migrate: false,
    owner: 'cli',
  });
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
