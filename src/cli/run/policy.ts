import { loadConfig } from '../../config.js';
import {
  POLICY_SETTINGS,
  type PolicySetting,
  policyVariables,
  type SessionPolicy,
} from '../../domain/policy.js';
import { applyStoredPolicy, setPolicy } from '../../domain/policy-settings.js';
import type { StoredPolicySetting } from '../../domain/store.js';
import { cliActor, withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable } from '../output.js';
import type { PolicySetArgs, PolicyShowArgs } from '../policy.js';

const duration = (seconds: number): string => {
  for (const [unit, s] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
  ] as const)
    if (seconds % s === 0 && seconds >= s) return `${seconds / s} ${unit}`;
  return `${seconds} s`;
};

const MEANING: Record<PolicySetting, string> = {
  SESSION_ABSOLUTE_TTL: 'a session ends this long after login',
  SESSION_IDLE_TTL: 'a session unused this long ends',
  SESSION_SHORT_TTL: 'lifetime of a "remember": false login',
  MAX_SESSIONS_PER_USER: 'active sessions per user',
  SESSION_LIMIT_POLICY: 'over the limit: end the least recently used, or deny (409)',
  FRESH_AUTH_MAX_AGE: 'password proof needed for POST /auth/password',
};

type Source = 'database' | 'environment' | 'default';

/** Where each setting comes from, for this shell's environment. */
function sources(stored: readonly StoredPolicySetting[], env: CliIo['env']): Record<PolicySetting, Source> {
  const inEnv = (s: PolicySetting) => !!env[s] || (s === 'SESSION_ABSOLUTE_TTL' && !!env.REFRESH_TOKEN_TTL);
  return Object.fromEntries(
    POLICY_SETTINGS.map((s) => [
      s,
      stored.some((x) => x.name === s) ? 'database' : inEnv(s) ? 'environment' : 'default',
    ]),
  ) as Record<PolicySetting, Source>;
}

function printPolicy(
  io: CliIo,
  policy: SessionPolicy,
  stored: readonly StoredPolicySetting[],
  extra: { activityFlushMs: number; sweepIntervalMs: number },
): void {
  const from = sources(stored, io.env);
  const shown: Record<PolicySetting, string> = {
    SESSION_ABSOLUTE_TTL: duration(policy.absoluteTtl),
    SESSION_IDLE_TTL: duration(policy.idleTtl),
    SESSION_SHORT_TTL: duration(policy.shortTtl),
    MAX_SESSIONS_PER_USER: policy.maxPerUser === null ? 'unlimited' : String(policy.maxPerUser),
    SESSION_LIMIT_POLICY: policy.limitPolicy,
    FRESH_AUTH_MAX_AGE: duration(policy.freshAuthMaxAge),
  };
  const rows: [string, string, string, string][] = [
    ...POLICY_SETTINGS.map((s) => {
      const by = stored.find((x) => x.name === s);
      const source = by
        ? `database (${formatTime(by.updatedAt)}${by.updatedBy ? `, ${by.updatedBy}` : ''})`
        : from[s];
      return [s, shown[s], source, MEANING[s]] as [string, string, string, string];
    }),
    [
      'SESSION_ACTIVITY_FLUSH_MS',
      `${extra.activityFlushMs} ms`,
      'environment only',
      'how late "last used" may reach the database',
    ],
    [
      'SESSION_SWEEP_INTERVAL_MS',
      `${extra.sweepIntervalMs} ms`,
      'environment only',
      'how often expired and idle sessions are ended',
    ],
  ];
  printTable(
    io,
    rows,
    [
      ['SETTING', (r) => r[0]],
      ['VALUE', (r) => r[1]],
      ['FROM', (r) => r[2]],
      ['MEANING', (r) => r[3]],
    ],
    '',
  );
}

function policyJson(policy: SessionPolicy, stored: readonly StoredPolicySetting[], io: CliIo) {
  const from = sources(stored, io.env);
  return {
    ...policy,
    settings: Object.fromEntries(
      Object.entries(policyVariables(policy)).map(([name, value]) => [
        name,
        { value, from: from[name as PolicySetting] },
      ]),
    ),
  };
}

/** `gatehouse policy`: the policy in force, and where each setting comes from. */
export async function showPolicy(args: PolicyShowArgs, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  return withContext(io, async (ctx) => {
    const stored = await ctx.store.listPolicySettings();
    const { policy, problems } = await applyStoredPolicy(ctx);
    const extra = { activityFlushMs: config.activityFlushMs, sweepIntervalMs: config.sessionSweepMs };
    if (args.json) {
      printJson(io, { ...policyJson(policy, stored, io), ...extra, problems });
      return problems.length > 0 ? 1 : 0;
    }
    printPolicy(io, policy, stored, extra);
    for (const p of problems) printLine(io, `problem: ${p}`);
    return problems.length > 0 ? 1 : 0;
  });
}

/** `gatehouse policy set` and `gatehouse policy unset`. */
export async function setPolicySettings(args: PolicySetArgs, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  return withContext(io, async (ctx) => {
    const { policy, changes } = await setPolicy(ctx, args.edits, cliActor());
    const stored = await ctx.store.listPolicySettings();
    if (args.json) {
      printJson(io, { changes, policy: policyJson(policy, stored, io) });
      return 0;
    }
    if (changes.length === 0) printLine(io, 'Nothing changed: the database already held these settings.');
    for (const c of changes)
      printLine(
        io,
        `${c.setting}: ${c.from ?? '(not stored)'} → ${c.to ?? '(not stored: the environment, or the default)'}`,
      );
    printLine(io);
    printPolicy(io, policy, stored, {
      activityFlushMs: config.activityFlushMs,
      sweepIntervalMs: config.sessionSweepMs,
    });
    return 0;
  });
}
