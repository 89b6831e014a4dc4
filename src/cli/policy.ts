import { POLICY_SETTINGS, type PolicySetting } from '../domain/policy.js';
import { command, UsageError } from './command.js';

/** `--session-idle-ttl` for SESSION_IDLE_TTL: each setting's option is its variable's name. */
export const policyFlag = (setting: PolicySetting): string => setting.toLowerCase().replaceAll('_', '-');

const DURATIONS: ReadonlySet<PolicySetting> = new Set([
  'SESSION_ABSOLUTE_TTL',
  'SESSION_IDLE_TTL',
  'SESSION_SHORT_TTL',
  'FRESH_AUTH_MAX_AGE',
]);
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

const VALUE_HELP: Record<PolicySetting, string> = {
  SESSION_ABSOLUTE_TTL: 'a session ends this long after login (seconds, or 12h, 30d)',
  SESSION_IDLE_TTL: 'a session unused this long ends',
  SESSION_SHORT_TTL: 'lifetime of a "remember": false login',
  MAX_SESSIONS_PER_USER: 'active sessions per user: a whole number, or unlimited',
  SESSION_LIMIT_POLICY: 'over the limit: evict_oldest or deny',
  FRESH_AUTH_MAX_AGE: 'how recent a password proof sensitive operations need',
};

export interface PolicyShowArgs {
  json: boolean;
}
export interface PolicySetArgs {
  edits: { setting: PolicySetting; value: string | null }[];
  json: boolean;
}

/**
 * The session policy (docs/api.md §7) in force: this environment's variables (or the
 * defaults), with what an operator stored in the database over them.
 */
export const policyShow = command<{ json?: boolean }, PolicyShowArgs>({
  path: ['policy'],
  summary: 'Show the session policy: lifetimes, idle timeout, session limit, fresh proof.',
  synopsis: '[--json]',
  description:
    'Each setting comes from the database (set with `gatehouse policy set`, in force on every instance),\n' +
    'else from the environment variable of the same name, else the default. The environment shown is\n' +
    "this shell's: each instance reads its own, so set in the database what must be the same everywhere.",
  options: {},
  optionHelp: [],
  examples: ['gatehouse policy', 'gatehouse policy --json'],
  json: true,
  check: (v) => ({ json: v.json === true }),
  load: () => import('./run/policy.js').then((m) => m.showPolicy),
});

const setOptions = Object.fromEntries(
  POLICY_SETTINGS.map((s) => [policyFlag(s), { type: 'string' as const }]),
);
const unsetOptions = Object.fromEntries(
  POLICY_SETTINGS.map((s) => [policyFlag(s), { type: 'boolean' as const }]),
);

export const policySet = command<Record<string, string | boolean | undefined>, PolicySetArgs>({
  path: ['policy', 'set'],
  summary: 'Set session policy for every instance: stored in the database, over the environment.',
  synopsis: `--<setting> <value> [--<setting> <value> …] [--json]`,
  description:
    'Validated as a whole with the settings already stored, by the rules the server applies to the\n' +
    'environment at start (a bad value is refused and named). Recorded in the audit log (policy.changed).\n' +
    'Running instances apply it at once: on PostgreSQL each hears it on its revocation feed; on the\n' +
    'embedded store the server applies it before this command returns. Lifetimes apply to sessions opened\n' +
    'from now on; the idle timeout, the session limit and fresh proof apply to every session at once.',
  options: setOptions,
  optionHelp: POLICY_SETTINGS.map((s) => ({
    flag: `--${policyFlag(s)} <value>`,
    description: VALUE_HELP[s],
  })),
  examples: [
    'gatehouse policy set --session-idle-ttl 7d',
    'gatehouse policy set --max-sessions-per-user 5 --session-limit-policy deny',
  ],
  json: true,
  check(v) {
    const edits = POLICY_SETTINGS.flatMap((setting) => {
      const raw = v[policyFlag(setting)];
      return typeof raw === 'string' ? [{ setting, value: policyValue(setting, raw) }] : [];
    });
    if (edits.length === 0) throw new UsageError('name at least one setting, e.g. --session-idle-ttl 7d');
    return { edits, json: v.json === true };
  },
  load: () => import('./run/policy.js').then((m) => m.setPolicySettings),
});

export const policyUnset = command<Record<string, boolean | undefined>, PolicySetArgs>({
  path: ['policy', 'unset'],
  summary: 'Remove stored session policy: each instance goes back to its environment (or the default).',
  synopsis: '--<setting> [--<setting> …] [--json]',
  description: 'Audited and applied by running instances like `gatehouse policy set`.',
  options: unsetOptions,
  optionHelp: POLICY_SETTINGS.map((s) => ({
    flag: `--${policyFlag(s)}`,
    description: `remove the stored ${s}`,
  })),
  examples: ['gatehouse policy unset --session-idle-ttl'],
  json: true,
  check(v) {
    const edits = POLICY_SETTINGS.filter((s) => v[policyFlag(s)] === true).map((setting) => ({
      setting,
      value: null,
    }));
    if (edits.length === 0) throw new UsageError('name at least one setting, e.g. --session-idle-ttl');
    return { edits, json: v.json === true };
  },
  load: () => import('./run/policy.js').then((m) => m.setPolicySettings),
});

/** A value as typed: durations may carry a unit (7d, 12h); the server's rules check the rest. */
function policyValue(setting: PolicySetting, raw: string): string {
  const value = raw.trim();
  if (value === '') throw new UsageError(`--${policyFlag(setting)} needs a value`);
  const unit = DURATIONS.has(setting) ? /^(\d+)([smhdw])$/.exec(value) : null;
  return unit ? String(Number(unit[1]) * (UNITS[unit[2] as string] as number)) : value;
}
