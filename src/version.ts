import { readFileSync } from 'node:fs';

const pkg: { version: string; engines: { node: string } } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

export const VERSION: string = pkg.version;

/** The oldest Node.js major Gatehouse runs on: package.json's `engines.node` (">=22"). */
export const MIN_NODE_MAJOR: number = Number(/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);

/**
 * Why this Node.js cannot run Gatehouse, or undefined when it can. npm only warns about
 * `engines`, and an older Node mostly starts and runs: out of support (no security fixes for
 * what an auth service parses), and with parts that need a newer one (oidc-provider wants 22).
 * So the server, the CLI and the tests refuse it at start, in words that say what to do.
 */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  if (Number(version.split('.')[0]) >= MIN_NODE_MAJOR) return undefined;
  return (
    `Gatehouse needs Node.js ${MIN_NODE_MAJOR} or newer; this is Node.js ${version}. ` +
    'Install a supported Node.js (24 LTS is what Gatehouse is tested on); in a checkout, ' +
    '`. scripts/use-node.sh` installs Node 24 into a local prefix and puts it first on PATH.'
  );
}
