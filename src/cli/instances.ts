import { command } from './command.js';

export const instances = command<{ json?: boolean }>({
  path: ['instances'],
  summary: 'List the instances sharing the database, with their leases and how far behind each is.',
  synopsis: '[--json]',
  description:
    'Every instance on PostgreSQL holds a lease it renews every LEASE_RENEW_MS. An ending is answered\n' +
    'only once every instance with a valid lease confirmed it, or that lease lapsed. LAG is how far the\n' +
    "instance's applied watermark trails the database's clock (every ending committed before it has\n" +
    'been applied there); FEED is the round trip of its last renewal through the revocation feed.\n' +
    'Rows of instances that stopped cleanly are gone; a lapsed lease is kept for an hour.',
  options: {},
  optionHelp: [],
  examples: ['gatehouse instances', 'gatehouse instances --json'],
  json: true,
  load: () => import('./run/instances.js').then((m) => m.listInstances),
});
