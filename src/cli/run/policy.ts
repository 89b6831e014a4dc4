import { loadConfig } from '../../config.js';
import { type CliIo, printJson, printTable } from '../output.js';

const duration = (seconds: number): string => {
  for (const [unit, s] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
  ] as const)
    if (seconds % s === 0 && seconds >= s) return `${seconds / s} ${unit}`;
  return `${seconds} s`;
};

/** `gatehouse policy`: the session policy this environment gives the server (read at start). */
export async function showPolicy(args: { json?: boolean }, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const p = config.sessionPolicy;
  if (args.json) {
    printJson(io, { ...p, activityFlushMs: config.activityFlushMs, sweepIntervalMs: config.sessionSweepMs });
    return 0;
  }
  const rows: [string, string, string][] = [
    ['SESSION_ABSOLUTE_TTL', duration(p.absoluteTtl), 'a session ends this long after login'],
    ['SESSION_IDLE_TTL', duration(p.idleTtl), 'a session unused this long ends'],
    ['SESSION_SHORT_TTL', duration(p.shortTtl), 'lifetime of a "remember": false login'],
    [
      'MAX_SESSIONS_PER_USER',
      p.maxPerUser === null ? 'unlimited' : String(p.maxPerUser),
      'active sessions per user',
    ],
    ['SESSION_LIMIT_POLICY', p.limitPolicy, 'over the limit: end the least recently used, or deny (409)'],
    ['FRESH_AUTH_MAX_AGE', duration(p.freshAuthMaxAge), 'password proof needed for POST /auth/password'],
    [
      'SESSION_ACTIVITY_FLUSH_MS',
      `${config.activityFlushMs} ms`,
      'how late "last used" may reach the database',
    ],
    [
      'SESSION_SWEEP_INTERVAL_MS',
      `${config.sessionSweepMs} ms`,
      'how often expired and idle sessions are ended',
    ],
  ];
  printTable(
    io,
    rows,
    [
      ['SETTING', (r) => r[0]],
      ['VALUE', (r) => r[1]],
      ['MEANING', (r) => r[2]],
    ],
    '',
  );
  return 0;
}
