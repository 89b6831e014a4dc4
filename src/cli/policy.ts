import { command } from './command.js';

/**
 * The session policy (docs/api.md §7) this environment gives the server. It is set by
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
  load: () => import('./run/policy.js').then((m) => m.showPolicy),
});
