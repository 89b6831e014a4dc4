import { command } from './command.js';

export const serve = command({
  path: ['serve'],
  summary: 'Run the HTTP server (what `npm start` runs).',
  synopsis: '',
  description:
    'Reads the same environment as the server (PORT, HOST, DATABASE_URL, DATA_DIR, …), applies\n' +
    'pending migrations, listens, and stops cleanly on SIGTERM or SIGINT.',
  options: {},
  optionHelp: [],
  examples: ['gatehouse serve', 'PORT=8080 DATABASE_URL=postgres://localhost/gatehouse gatehouse serve'],
  load: () => import('./run/serve.js').then((m) => m.serve),
});
