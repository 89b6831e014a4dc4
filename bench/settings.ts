/** Benchmark settings: everything tunable comes from BENCH_* environment variables. */

export type Backend = 'postgres' | 'pglite';

export interface Settings {
  /** Seconds each throughput measurement runs. */
  duration: number;
  /** Seconds of unrecorded load before each measurement (JIT warm-up, pools filled). */
  warmup: number;
  /** Concurrent keep-alive connections autocannon opens. */
  connections: number;
  /** GET /auth/me measurements, each alternating with the bare route (BENCH_ME_PAIRS); the table shows the median pair. */
  mePairs: number;
  /** Revocation-delay trials per backend. */
  trials: number;
  /** Sessions prepared for the logout run (each logout needs a fresh one). */
  logoutSessions: number;
  /** PostgreSQL: logouts the history checker makes across 3 instances (each checked ~12 times after its 200). */
  historyLogouts: number;
  /** Refresh-token chains used concurrently (at least `connections`). */
  refreshChains: number;
  /** LOG_LEVEL of the Gatehouse servers under test. */
  logLevel: string;
  /** GET /auth/me requests a second, quiet and during the login storm. */
  stormMeRate: number;
  /** Connections of the login storm (each posts logins as fast as they are answered). */
  stormConnections: number;
  /** Also measure GET /auth/me with ACCESS_LOG=on (what a log line per request costs). */
  compareAccessLog: boolean;
  backends: Backend[];
  /** PostgreSQL to create a throwaway database in; undefined skips the PostgreSQL rows. */
  databaseUrl: string | undefined;
  quick: boolean;
  /** How the servers under test run: from TypeScript through tsx, or built JavaScript (dist/). */
  runtime: 'tsx' | 'dist';
  /**
   * BENCH_SCALE: run the scale comparison (bench/scale.ts) instead of the usual table, at this
   * fraction of 1,000,000 users and 5,000,000 sessions ("1", "0.01" or "1/100"); unset: off.
   */
  scale: number | undefined;
}

type Env = Record<string, string | undefined>;

function number(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return n;
}

export function loadSettings(env: Env = process.env): Settings {
  const quick = ['1', 'true', 'on', 'yes'].includes((env.BENCH_QUICK ?? '').toLowerCase());
  const duration = number(env, 'BENCH_DURATION', quick ? 3 : 10);
  const warmup = number(env, 'BENCH_WARMUP', quick ? 1 : 3);
  const connections = Math.round(number(env, 'BENCH_CONNECTIONS', 50));
  const backends = (env.BENCH_BACKENDS ?? 'postgres,pglite')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of backends)
    if (b !== 'postgres' && b !== 'pglite')
      throw new Error(`BENCH_BACKENDS lists "${b}"; expected postgres and/or pglite`);
  const runtime = env.BENCH_RUNTIME ?? 'tsx';
  if (runtime !== 'tsx' && runtime !== 'dist')
    throw new Error(`BENCH_RUNTIME must be "tsx" or "dist" (got "${runtime}")`);
  return {
    duration,
    warmup,
    connections,
    mePairs: Math.round(number(env, 'BENCH_ME_PAIRS', quick ? 1 : 3)),
    trials: Math.round(number(env, 'BENCH_TRIALS', quick ? 100 : 500)),
    // Enough for ~6,000 logouts/s over warm-up and measurement; a run that uses them all stops early.
    logoutSessions: Math.round(number(env, 'BENCH_LOGOUT_SESSIONS', 6000 * (duration + warmup))),
    historyLogouts: Math.round(number(env, 'BENCH_HISTORY_LOGOUTS', quick ? 200 : 1000)),
    refreshChains: Math.max(connections, Math.round(number(env, 'BENCH_REFRESH_CHAINS', connections * 2))),
    // The server's own default; its requests are not logged one by one unless ACCESS_LOG=on.
    logLevel: env.BENCH_LOG_LEVEL || 'info',
    stormMeRate: Math.round(number(env, 'BENCH_STORM_ME_RATE', 200)),
    stormConnections: Math.round(number(env, 'BENCH_STORM_CONNECTIONS', 200)),
    compareAccessLog: env.BENCH_COMPARE_ACCESS_LOG !== 'off',
    backends: backends as Backend[],
    databaseUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined,
    quick,
    runtime,
    scale: scaleSetting(env.BENCH_SCALE),
  };
}

function scaleSetting(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '' || raw === 'off') return undefined;
  const [num, den] = raw.split('/');
  const n = Number(num) / (den === undefined ? 1 : Number(den));
  if (!Number.isFinite(n) || n <= 0 || n > 10)
    throw new Error(`BENCH_SCALE must be a fraction of the full size, e.g. 1, 0.01 or 1/100 (got "${raw}")`);
  return n;
}
