import { command } from './command.js';

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
  load: () => import('./run/migrate.js').then((m) => m.migrate),
});
