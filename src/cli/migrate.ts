import { loadConfig } from '../config.js';
import { migrate as applyMigrations, loadMigrations } from '../storage/migrate.js';
import { command } from './command.js';
import { openCliDatabase } from './connect.js';
import { printJson, printLine } from './output.js';

export const migrate = command<{ json?: boolean }>({
  path: ['migrate'],
  summary: 'Apply pending schema migrations and print which were applied.',
  synopsis: '[--json]',
  description:
    'The server also applies them on start; run this before starting new versions when several\n' +
    'instances share one PostgreSQL database, or to create the embedded database ahead of time.',
  options: {},
  optionHelp: [],
  examples: ['gatehouse migrate', 'DATABASE_URL=postgres://localhost/gatehouse gatehouse migrate --json'],
  json: true,
  async run({ json }) {
    const config = loadConfig();
    const { db } = await openCliDatabase(config, { migrate: false });
    try {
      const applied = await applyMigrations(db);
      const known = loadMigrations().map((m) => m.name);
      if (json) printJson({ applied, current: known.at(-1) ?? null });
      else if (applied.length === 0) printLine(`Already up to date (${known.at(-1) ?? 'no migrations'}).`);
      else for (const name of applied) printLine(`Applied ${name}`);
    } finally {
      await db.close();
    }
    return 0;
  },
});
