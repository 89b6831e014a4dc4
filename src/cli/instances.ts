import type { InstanceRecord } from '../domain/barrier.js';
import { command } from './command.js';
import { withContext } from './connect.js';
import { formatTime, printJson, printLine, printTable } from './output.js';

const ms = (v: number | null) => (v === null ? null : `${Math.round(v)} ms`);

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
  async run(args) {
    return withContext(async (ctx) => {
      if (ctx.store.kind === 'pglite') {
        if (args.json) printJson({ store: 'pglite', instances: [] });
        else printLine('The embedded store is one instance: no leases (instances share PostgreSQL only).');
        return 0;
      }
      const rows = await ctx.store.listInstances();
      if (args.json) printJson({ store: 'postgres', instances: rows });
      else
        printTable<InstanceRecord>(
          rows,
          [
            ['ID', (r) => r.id],
            ['ADDRESS', (r) => r.address],
            ['VERSION', (r) => r.version],
            ['LEASE', (r) => `${r.leaseValid ? 'valid' : 'LAPSED'} until ${formatTime(r.leaseExpiresAt)}`],
            ['LAG', (r) => ms(r.lagMs)],
            ['FEED', (r) => ms(r.feedLagMs)],
            ['STARTED', (r) => formatTime(r.startedAt)],
          ],
          'No instance holds a lease on this database.',
        );
      return 0;
    });
  },
});
