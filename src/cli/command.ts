import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CliIo } from './output.js';

/** Exit codes: scripts can tell "it failed" from "you called it wrong". */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A mistake in how the CLI was called: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Option values as node:util's parseArgs returns them. */
export type Values = Record<string, string | boolean | undefined>;

/** An option as the help text shows it. */
export interface OptionHelp {
  flag: string;
  description: string;
}

/** What a command does, given its checked arguments; resolves to its exit code (undefined: 0). */
export type Run<A> = (args: A, io: CliIo) => Promise<number | undefined>;

/**
 * A command as the list in commands.ts holds it: its words, help and options,
 * the check of its arguments, and where its work is. Everything here is cheap
 * to load; the work (database, server) is imported only when the command runs,
 * so `--help` and a malformed argument never load it.
 */
export interface Command<V = Values, A = V> {
  /** Words after `gatehouse`: ['sessions', 'end']. */
  path: string[];
  summary: string;
  /** The synopsis after `gatehouse <path>`. */
  synopsis: string;
  /** Paragraphs shown under the synopsis. */
  description?: string;
  options: Options;
  optionHelp: OptionHelp[];
  examples: string[];
  /** Whether --json applies. */
  json?: boolean;
  /**
   * Turns the parsed options into the command's arguments, throwing a
   * UsageError (exit 2) for anything missing or malformed. Runs before the
   * work is loaded, so before any database is opened. Default: the values as
   * they are.
   */
  check?(values: V, io: CliIo): A;
  /** Imports the work: `load: () => import('./run/users.js').then((m) => m.createUser)`. */
  load(): Promise<Run<A>>;
}

/** Declares a command with its option values and arguments typed by the caller. */
export function command<V, A = V>(c: Command<V, A>): Command {
  return c as unknown as Command;
}

const COMMON: Options = { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } };

/** Parses a command's arguments; unknown options, stray words and missing values are usage errors. */
export function parseCommandArgs(cmd: Command, argv: string[]): Values {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...COMMON, ...cmd.options },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.json && !cmd.json) throw new UsageError('--json is not available for this command');
    return values as Values;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // node:util's messages are clear but long-winded; keep their first sentence.
    const message = err instanceof Error ? err.message.split('. ')[0] : String(err);
    throw new UsageError(message?.replace(/^Unknown option/, 'unknown option') ?? 'invalid arguments');
  }
}

export function commandHelp(cmd: Command): string {
  const lines = [`Usage: gatehouse ${cmd.path.join(' ')} ${cmd.synopsis}`.trimEnd(), '', cmd.summary];
  if (cmd.description) lines.push('', cmd.description);
  const options = [...cmd.optionHelp];
  if (cmd.json) options.push({ flag: '--json', description: 'print JSON (for scripts) instead of a table' });
  options.push({ flag: '-h, --help', description: 'show this help' });
  const width = Math.max(...options.map((o) => o.flag.length));
  lines.push('', 'Options:', ...options.map((o) => `  ${o.flag.padEnd(width)}  ${o.description}`));
  if (cmd.examples.length > 0) lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/** `--limit`-style options: a whole number in range, else a usage error. */
export function wholeNumber(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max} (got '${raw}')`);
  return n;
}

/** Same rule as the HTTP schema's `format: email` (ajv-formats, full mode). */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export function emailArg(raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new UsageError('--email is required');
  const email = raw.trim();
  if (email.length > 254 || !EMAIL.test(email))
    throw new UsageError(`--email must be an email address (got '${raw}')`);
  return email;
}

export function required(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new UsageError(`--${name} is required`);
  return raw;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id option: a UUID, lower-cased; `what` names it in the message ("a session id"). */
export function uuidArg(name: string, raw: string | undefined, what = 'a session id'): string {
  const value = required(name, raw);
  if (!UUID.test(value)) throw new UsageError(`--${name} must be ${what} (a UUID; got '${value}')`);
  return value.toLowerCase();
}

/** `--user`: an account named by its id or its email, as the operator typed it (a UUID is lower-cased). */
export function userArg(raw: string | undefined, name = 'user'): string {
  const value = required(name, raw).trim();
  if (UUID.test(value)) return value.toLowerCase();
  if (value.length > 254 || !EMAIL.test(value))
    throw new UsageError(`--${name} must be an email address or a user id (got '${raw}')`);
  return value;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `--since`: an ISO date/time, or a duration back from now such as 30m, 1h, 7d, 2w. */
export function sinceArg(raw: string | undefined, now = Date.now()): Date | undefined {
  if (raw === undefined) return undefined;
  const duration = /^(\d+)([smhdw])$/.exec(raw.trim());
  if (duration) return new Date(now - Number(duration[1]) * UNITS[duration[2]!]! * 1000);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw.trim())) {
    const at = new Date(raw.trim());
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new UsageError(
    `--since must be an ISO date (2025-01-31, 2025-01-31T12:00:00Z) or a duration (30m, 1h, 7d, 2w); got '${raw}'`,
  );
}
