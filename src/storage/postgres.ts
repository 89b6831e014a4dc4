import pg from 'pg';
import { type Database, DatabaseUnavailableError, isConnectionError, type Sql } from './db.js';

// Timestamps come back as Date (pg's default); bigint ids are cast to text in SQL.

export interface PostgresOptions {
  connectionString: string;
  max?: number;
  /** Bounded waits: a request never hangs on a dead database. */
  connectionTimeoutMillis?: number;
  statementTimeoutMillis?: number;
}

export function openPostgres(opts: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 2000,
    statement_timeout: opts.statementTimeoutMillis ?? 5000,
    // A process frozen or cut off mid-transaction must not hold its locks for long: the
    // server ends such a transaction (an instance joining waits for endings in progress).
    idle_in_transaction_session_timeout: 10_000,
    query_timeout: (opts.statementTimeoutMillis ?? 5000) + 1000,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});

  // Parameterized statements are named, so each connection parses and plans
  // them once and then only binds and executes (fewer bytes, less work for
  // PostgreSQL on the logout and refresh hot paths). Scripts (exec) are not.
  const names = new Map<string, string>();
  const named = (text: string): string => {
    let name = names.get(text);
    if (!name) {
      name = `gh_${names.size}`;
      names.set(text, name);
    }
    return name;
  };

  const run = async <T>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) => {
    try {
      const res = params
        ? await client.query({ name: named(text), text, values: params as unknown[] })
        : await client.query(text);
      return res.rows as T[];
    } catch (err) {
      throw translate(err);
    }
  };

  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await run(pool, script)),
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw translate(err);
      }
      const tx: Sql = {
        query: (text, params) => run(client, text, params),
        exec: async (script) => void (await run(client, script)),
      };
      let broken = false;
      // pg-pool listens for errors only on idle clients: a connection lost while this
      // one is checked out (between two of our queries) would otherwise be an
      // unhandled 'error' event, which ends the process. The next query reports it.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (err) {
        broken = err instanceof DatabaseUnavailableError;
        // A connection that failed cannot roll back (and would make us wait for it
        // again); dropping it rolls the transaction back on the server.
        if (!broken)
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function translate(err: unknown): unknown {
  if (isConnectionError(err)) {
    return new DatabaseUnavailableError('database unavailable', { cause: err });
  }
  return err;
}
