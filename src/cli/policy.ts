import { loadConfig } from '../config.js';
import { command } from './command.js';
import { printJson, printTable } from './output.js';

const duration = (seconds: number): string => {
  for (const [unit, s] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
  ] as const)
    if (seconds % s === 0 && seconds >= s) return `${seconds / s} ${unit}`;
  return `${seconds} s`;
};

/**
 * The session policy (SPEC §7) this environment gives the server. It is set by
 * environment variables, read at start: to change it, change them and restart.
 */
export const policyShow = command<{ json?: boolean }>({
  path: ['policy'],
  summary: 'Show the session policy: lifetimes, idle timeout, session limit, fresh proof.',
  synopsis: '[--json]',
  description:
    'Reads the same environment the server reads (and refuses the same mistakes). The policy is set\n' +
    'by the variables named here; change them and restart the server to change it.',
  options: {},
  optionHelp: [],
  examples: ['gatehouse policy', 'SESSION_IDLE_TTL=3600 gatehouse policy --json'],
  json: true,
  async run(args) {
    const config = loadConfig();
    const p = config.sessionPolicy;
    if (args.json) {
      printJson({ ...p, activityFlushMs: config.activityFlushMs, sweepIntervalMs: config.sessionSweepMs });
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
      rows,
      [
        ['SETTING', (r) => r[0]],
        ['VALUE', (r) => r[1]],
        ['MEANING', (r) => r[2]],
      ],
      '',
    );
    return 0;
  },
});
