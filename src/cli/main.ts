import { runCli } from './cli.js';

// `gatehouse …` as a process: its own arguments, streams and environment. Exit codes: cli.ts.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
