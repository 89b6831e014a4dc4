import { unsupportedNode } from '../version.js';

const oldNode = unsupportedNode();
if (oldNode) {
  process.stderr.write(`gatehouse: ${oldNode}\n`);
  process.exit(1);
}

// Loaded after the check: on an unsupported Node.js the CLI's modules might not load at all.
const { runCli } = await import('./cli.js');

// `gatehouse …` as a process: its own arguments, streams and environment. Exit codes: cli.ts.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
