import { withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable } from '../output.js';

export async function rotateKeys(args: { json?: boolean }, io: CliIo): Promise<number> {
  return withContext(io, async (ctx, config) => {
    const rotated = await ctx.keys.rotate();
    const isNew = new Set(rotated.map((k) => k.kid));
    // EdDSA's: the key of Gatehouse's API tokens (and `kid` in --json before RS256 existed).
    const kid = rotated[0]!.kid;
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
        signing: isNew.has(k.kid),
        verifiesUntil,
      };
    });
    const current = keys.filter((k) => !k.verifiesUntil || k.verifiesUntil.getTime() > Date.now());
    if (args.json) {
      printJson(io, { kid, keys: current });
      return 0;
    }
    printLine(
      io,
      rotated.length === 1
        ? `New signing key ${kid}.`
        : `New signing keys ${rotated.map((k) => `${k.kid} (${k.alg})`).join(', ')}.`,
    );
    printLine(io);
    printTable(
      io,
      current,
      [
        ['KID', (k) => k.kid],
        ['ALG', (k) => k.alg],
        ['CREATED', (k) => formatTime(k.createdAt)],
        ['STATE', (k) => (k.signing ? 'signing' : `verifying until ${formatTime(k.verifiesUntil)}`)],
      ],
      'No keys.',
    );
    return 0;
  });
}
