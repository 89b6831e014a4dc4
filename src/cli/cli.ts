import { ConfigError } from '../config.js';
import { AppError } from '../domain/errors.js';
import { DataDirLockedError } from '../storage/data-dir-lock.js';
import { DatabaseUnavailableError } from '../storage/db.js';
import { VERSION } from '../version.js';
import { type Command, commandHelp, EXIT, parseCommandArgs, UsageError } from './command.js';
import { COMMANDS } from './commands.js';
import type { CliIo } from './output.js';
import { PromptCancelled } from './prompt.js';

export type { CliIo } from './output.js';

function overview(commands: Command[], title: string): string {
  const names = commands.map((c) => c.path.join(' '));
  const width = Math.max(...names.map((n) => n.length));
  return [
    title,
    '',
    'Commands:',
    ...commands.map((c, i) => `  ${names[i]!.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the same environment as the server: DATABASE_URL for PostgreSQL,',
    'else the embedded database in DATA_DIR (default ./data), which only one process can open.',
    "Run 'gatehouse <command> --help' for a command's options.",
    '',
  ].join('\n');
}

const USAGE = `Usage: gatehouse <command> [options]   (gatehouse ${VERSION})`;

/**
 * Finds the command named by the leading words of argv, the longest that names one
 * (`policy set` rather than `policy`); the rest are its arguments.
 */
function resolve(argv: string[]): { cmd: Command; rest: string[] } | { group: Command[]; words: string[] } {
  const words: string[] = [];
  let found: { cmd: Command; rest: string[] } | undefined;
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
    const cmd = COMMANDS.find((c) => c.path.join(' ') === words.join(' '));
    if (cmd) found = { cmd, rest: argv.slice(words.length) };
  }
  if (found) return found;
  const group = COMMANDS.filter((c) => c.path[0] === words[0]);
  return { group, words };
}

/**
 * `gatehouse <argv>`: runs one command with the given streams and
 * environment and resolves to the exit code: 0 done, 1 failed (not found,
 * conflict, refused, database trouble), 2 called wrongly. Arguments are
 * checked before the command's code is loaded, so a malformed one never
 * opens a database. It never exits the process itself (main.ts does).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const topic = argv[0] === 'help' ? argv.slice(1) : [];
    if (topic.length > 0) return runCli([...topic, '--help'], io);
    if (argv.length > 0) {
      io.stdout.write(overview(COMMANDS, USAGE));
      return EXIT.ok;
    }
    io.stderr.write(overview(COMMANDS, USAGE));
    return EXIT.usage;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }

  const found = resolve(argv);
  if (!('cmd' in found)) {
    const asked = found.words.join(' ') || argv[0]!;
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    if (found.group.length > 0 && found.words.length === 1) {
      const text = overview(found.group, `Usage: gatehouse ${found.words[0]} <command> [options]`);
      if (wantsHelp) {
        io.stdout.write(text);
        return EXIT.ok;
      }
      io.stderr.write(`gatehouse: '${asked}' needs a command\n\n${text}`);
      return EXIT.usage;
    }
    io.stderr.write(`gatehouse: unknown command '${asked}'. Run 'gatehouse --help' for the list.\n`);
    return EXIT.usage;
  }

  const { cmd, rest } = found;
  const name = `gatehouse ${cmd.path.join(' ')}`;
  try {
    const values = parseCommandArgs(cmd, rest);
    if (values.help) {
      io.stdout.write(commandHelp(cmd));
      return EXIT.ok;
    }
    const args = cmd.check ? cmd.check(values, io) : values;
    const run = await cmd.load();
    return (await run(args, io)) ?? EXIT.ok;
  } catch (err) {
    return report(io, name, err);
  }
}

/** One place that turns a failure into a message on stderr and an exit code. */
function report(io: CliIo, name: string, err: unknown): number {
  const fail = (message: string, code: number) => {
    io.stderr.write(`${name}: ${message}\n`);
    return code;
  };
  if (err instanceof UsageError) return fail(`${err.message}\nRun '${name} --help' for usage.`, EXIT.usage);
  if (err instanceof ConfigError) return fail(err.message, EXIT.usage);
  if (err instanceof DataDirLockedError)
    return fail(
      `${err.message}\nStop it first, or run Gatehouse on PostgreSQL (DATABASE_URL), where the CLI and running ` +
        'servers can work side by side.',
      EXIT.failure,
    );
  if (err instanceof AppError) return fail(err.description, EXIT.failure);
  if (err instanceof PromptCancelled) return fail('cancelled', 130);
  if (err instanceof DatabaseUnavailableError)
    return fail(`cannot reach the database: ${causeOf(err)}`, EXIT.failure);
  return fail(err instanceof Error ? err.message : String(err), EXIT.failure);
}

const causeOf = (err: Error): string => (err.cause instanceof Error ? err.cause.message : err.message);
