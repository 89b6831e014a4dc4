/**
 * What the CLI reads and writes, passed to every command instead of reached
 * through `process`: the real process hands over its own streams and
 * environment (main.ts), a test hands over strings it can read back, and
 * several runs can share one process without mixing their output.
 * Results go to stdout, everything else to stderr.
 */
export interface CliIo {
  env: Record<string, string | undefined>;
  /** Read only to ask for a password, and only when it is a terminal. */
  stdin: NodeJS.ReadStream | { isTTY?: false };
  stdout: TextSink;
  stderr: TextSink;
}

export interface TextSink {
  write(text: string): unknown;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Progress and warnings: stderr, so that stdout stays parseable. */
export function note(io: CliIo, line: string): void {
  io.stderr.write(`${line}\n`);
}

export type Column<T> = [header: string, cell: (row: T) => string | null | undefined];

/** A plain left-aligned table; `empty` is printed instead when there are no rows. */
export function printTable<T>(io: CliIo, rows: readonly T[], columns: Column<T>[], empty: string): void {
  if (rows.length === 0) {
    printLine(io, empty);
    return;
  }
  const cells = rows.map((row) => columns.map(([, cell]) => oneLine(cell(row) ?? '-')));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((r) => r[i]!.length)));
  const format = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  printLine(io, format(columns.map(([header]) => header)));
  for (const r of cells) printLine(io, format(r));
}

/** 2025-01-31 12:00:00Z: sortable, unambiguous, shorter than full ISO. */
export function formatTime(at: Date | null | undefined): string {
  if (!at) return '-';
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Long free text (user agents) is cut so that a row stays on one line. */
export function truncate(text: string | null | undefined, max = 40): string | null {
  if (!text) return null;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Stored values (names, user agents) are untrusted: no control characters reach the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const oneLine = (s: string) => s.replace(CONTROL, ' ');
