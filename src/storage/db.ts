/**
 * The smallest surface both backends share: parameterized queries and
 * transactions. Everything above this file is backend-agnostic SQL.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a multi-statement script with no parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// The domain defines the error it expects when the store cannot be reached; storage raises it.
export { DatabaseUnavailableError } from '../domain/errors.js';

/** Connection-level failures (as opposed to constraint violations or bad SQL). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  // statement_timeout: the database is too slow to answer in time; as good as unreachable.
  '57014',
]);

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  // pg's own errors carry no code. "Query read timeout" is a query that got no
  // answer (a partitioned network): its connection must be dropped, not reused.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i.test(
    err.message,
  );
}

/** Deadlock victim or serialization failure: the transaction did nothing and may simply be run again. */
export function isTransientConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
