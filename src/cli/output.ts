/** What the CLI prints: tables for people, JSON for scripts. Results go to stdout, everything else to stderr. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and warnings: stderr, so that stdout stays parseable. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

export type Column<T> = [header: string, cell: (row: T) => string | null | undefined];

/** A plain left-aligned table; `empty` is printed instead when there are no rows. */
export function printTable<T>(rows: readonly T[], columns: Column<T>[], empty: string): void {
  if (rows.length === 0) {
    printLine(empty);
    return;
  }
  const cells = rows.map((row) => columns.map(([, cell]) => oneLine(cell(row) ?? '-')));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((r) => r[i]!.length)));
  const format = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  printLine(format(columns.map(([header]) => header)));
  for (const r of cells) printLine(format(r));
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
