import { command } from './command.js';
import { withContext } from './connect.js';
import { formatTime, printJson, printLine, printTable } from './output.js';

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
  async run(args) {
    return withContext(async (ctx, config) => {
      const kid = await ctx.keys.rotate();
      // Public facts only: never a private key.
      const keys = (await ctx.store.listSigningKeys()).map((k) => {
        const verifiesUntil = k.retiredAt
          ? new Date(k.retiredAt.getTime() + config.accessTokenTtl * 1000)
          : null;
        return {
          kid: k.kid,
          alg: k.alg,
          createdAt: k.createdAt,
          retiredAt: k.retiredAt,
          signing: k.kid === kid,
          verifiesUntil,
        };
      });
      const current = keys.filter((k) => !k.verifiesUntil || k.verifiesUntil.getTime() > Date.now());
      if (args.json) {
        printJson({ kid, keys: current });
        return 0;
      }
      printLine(`New signing key ${kid}.`);
      printLine();
      printTable(
        current,
        [
          ['KID', (k) => k.kid],
          ['CREATED', (k) => formatTime(k.createdAt)],
          ['STATE', (k) => (k.signing ? 'signing' : `verifying until ${formatTime(k.verifiesUntil)}`)],
        ],
        'No keys.',
      );
      return 0;
    });
  },
});
