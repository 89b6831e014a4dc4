import { command } from './command.js';

export const keysRotate = command<{ json?: boolean }>({
  path: ['keys', 'rotate'],
  summary: 'Start signing access tokens with a new key; the previous one keeps verifying.',
  synopsis: '[--json]',
  description:
    'The new Ed25519 key signs every token from now on. Retired keys still verify the tokens they\n' +
    'signed until those expire (one ACCESS_TOKEN_TTL), so nobody is logged out. Instances sharing a\n' +
    'PostgreSQL database keep signing with the key they loaded until they see a token signed with\n' +
    'the new one, or restart: restart them (a rolling restart is fine) within ACCESS_TOKEN_TTL.',
  options: {},
  optionHelp: [],
  examples: ['gatehouse keys rotate'],
  json: true,
  load: () => import('./run/keys.js').then((m) => m.rotateKeys),
});
