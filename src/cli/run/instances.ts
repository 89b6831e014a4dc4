import type { InstanceRecord } from '../../domain/barrier.js';
import { withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable } from '../output.js';

const ms = (v: number | null) => (v === null ? null : `${Math.round(v)} ms`);

export async function listInstances(args: { json?: boolean }, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    if (ctx.store.kind === 'pglite') {
      if (args.json) printJson(io, { store: 'pglite', instances: [] });
      else printLine(io, 'The embedded store is one instance: no leases (instances share PostgreSQL only).');
      return 0;
    }
    const rows = await ctx.store.listInstances();
    if (args.json) printJson(io, { store: 'postgres', instances: rows });
    else
      printTable<InstanceRecord>(
        io,
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
}
