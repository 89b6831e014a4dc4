/** The table: every figure next to the ceiling and its budget. */

export interface Row {
  scenario: string;
  backend: string;
  /** Successful responses per second; undefined for the revocation-delay rows. */
  rps?: number;
  p50: number;
  p99: number;
  /** rps divided by the ceiling's. */
  ratio?: number;
  budget?: string;
  pass?: boolean;
  /** Percent of one core used meanwhile by the server(s), PostgreSQL, and processes outside the run. */
  cpu?: { server: number; postgres: number; other: number };
  /** Anything unusual about the run (errors, non-2xx answers, fixtures used up). */
  note?: string;
}

const COLUMNS = [
  'scenario',
  'backend',
  'req/s',
  'p50 ms',
  'p99 ms',
  'vs ceiling',
  'budget',
  'result',
  'CPU % server/pg/other',
];
const RIGHT = new Set([2, 3, 4, 5, 8]);

const int = (n: number) => Math.round(n).toLocaleString('en-US');
// autocannon's latencies are whole milliseconds; the revocation delays are measured finer.
const ms = (n: number, whole: boolean) =>
  Number.isNaN(n) ? '—' : whole ? String(Math.round(n)) : n < 10 ? n.toFixed(2) : n.toFixed(1);

function cells(r: Row): string[] {
  return [
    r.scenario,
    r.backend,
    r.rps === undefined ? '—' : int(r.rps),
    ms(r.p50, r.rps !== undefined),
    ms(r.p99, r.rps !== undefined),
    r.ratio === undefined ? '—' : `${(r.ratio * 100).toFixed(1)}%`,
    r.budget ?? '—',
    r.pass === undefined ? '—' : r.pass ? 'pass' : 'FAIL',
    r.cpu ? `${r.cpu.server}/${r.cpu.postgres}/${r.cpu.other}` : '—',
  ];
}

/** Fixed-width, for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const all = [COLUMNS, ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c.map((v, i) => (RIGHT.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ');
  return [
    line(COLUMNS),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => line(cells(r))),
  ].join('\n');
}

/** GitHub-flavoured Markdown, aligned as the formatter leaves it, for docs/performance.md. */
export function markdownTable(rows: readonly Row[]): string {
  const all = [COLUMNS, ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(3, ...all.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (RIGHT.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (RIGHT.has(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(COLUMNS), rule, ...rows.map((r) => line(cells(r)))].join('\n');
}

export function notes(rows: readonly Row[]): string[] {
  return rows.filter((r) => r.note).map((r) => `${r.scenario} (${r.backend}): ${r.note}`);
}
