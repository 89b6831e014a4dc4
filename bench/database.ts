import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ThrowawayDatabase {
  /** Connection string for Gatehouse (DATABASE_URL) and for the fixtures. */
  url: string;
  /** "database gh_bench_…" or "schema gh_bench_…", for the report. */
  description: string;
  version: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one benchmark run, dropped afterwards. A whole
 * database (not just a schema) also keeps the revocation feed's NOTIFY
 * channel private: channels are per database, and other Gatehouse instances
 * (a test run, say) on the same server would otherwise hear ours and we theirs.
 * Falls back to a schema when the role may not create databases.
 */
export async function createThrowawayDatabase(baseUrl: string): Promise<ThrowawayDatabase> {
  const name = `gh_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const version = await withClient(
    baseUrl,
    async (c) =>
      (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? 'unknown',
  );
  try {
    await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `throwaway database ${name}`,
      version,
      drop: async () => {
        await withClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err; // insufficient_privilege
  }
  await withClient(baseUrl, (c) => c.query(`CREATE SCHEMA ${name}`));
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    url: url.toString(),
    description: `throwaway schema ${name}`,
    version,
    drop: async () => {
      await withClient(baseUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
    },
  };
}
