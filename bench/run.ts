/**
 * `npm run bench`: the ceiling (a bare Fastify route), then Gatehouse on
 * PostgreSQL and on the embedded store, every server a child process of its
 * own. Prints a table and writes bench/results/<timestamp>.json and latest.json.
 * Settings: see bench/settings.ts and docs/performance.md.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unsupportedNode } from '../src/version.js';
import { describeVerdict, History, logoutRounds, seeded, type Verdict } from '../test/support/history.js';
import { type LogoutLatency, measureLogoutLatency } from './barrier.js';
import type { CpuShare } from './cpu.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from './database.js';
import { type Fixtures, prepareFixtures } from './fixtures.js';
import * as load from './load.js';
import { markdownTable, notes, type Row, textTable } from './report.js';
import { measureRevocationDelay, type RevocationDelay } from './revocation-delay.js';
import { runScale, SCALE_GOALS, scaleTable } from './scale.js';
import { ROOT, type ServerProcess, spawnCeiling, spawnGatehouse } from './server-process.js';
import { type Backend, loadSettings, type Settings } from './settings.js';
import { idleResidentMb, measureStartup, residentMb, type Startup } from './startup.js';

const BUDGET = {
  // GET /auth/me against the bare route, median of alternating pairs (issue 12: the fencing check must not show).
  meRatio: 0.75,
  logoutsPerSecond: 2500,
  revocationP99Ms: 10,
  // The revocation barrier (PostgreSQL, 3 instances): what it may add to a logout's p99,
  // and how much of the single-instance logout throughput it must keep.
  barrierP99AddedMs: 10,
  barrierThroughputRatio: 0.8,
  embeddedLogoutsPerSecond: 2000,
  // The embedded store on a small server (issue 18): start, restart, memory.
  firstStartSeconds: 6,
  restartSeconds: 2,
  peakMb: 300,
  idleMb: 250,
  // GET /auth/me at a fixed rate while a login storm runs (issue 14 #15).
  meDuringStormP99Ms: 25,
};
/**
 * GET /auth/me and the bare route take turns of this many seconds: neither server sits quiet long
 * enough for a memory-reducing collection (load.measureAlternating says why that matters).
 */
const ME_SLICE_SECONDS = 2;
/** Long enough for the memory trim (MEMORY_TRIM_IDLE_MS, 5 s: one whole quiet interval) to run. */
const QUIET_SECONDS = 15;
/** Post-logout checks the bench's history checker must make (issue 12; CI's test makes ≥ 2,000). */
const HISTORY_CHECKS = 10_000;

interface BackendResult {
  backend: Backend;
  database?: string;
  fixtureSeconds?: number;
  me?: load.Throughput;
  /**
   * GET /auth/me and the ceiling measured in alternating slices, in pairs: one ratio per pair, and
   * the median of them. On two cores shared with the load generator a single pair varies by ±8%
   * (±10% on a slow host).
   */
  mePairs?: { ceilingRps: number; meRps: number; ratio: number }[];
  meRatio?: number;
  /** GET /auth/me and the bare route, alternating as above, after both sat quiet for QUIET_SECONDS. */
  meAfterQuiet?: load.Throughput;
  meAfterQuietRatio?: number;
  /** /auth/me again with the servers at the comparison log level (request logging on). */
  meWithAccessLog?: load.Throughput;
  refresh?: load.Throughput;
  login?: load.Throughput;
  logout?: load.Throughput;
  /** The OpenID Provider, on a server of its own with OIDC_ISSUER set: authorization requests (302s), whole code flows. */
  oidcAuthorize?: load.Throughput;
  oidcCodeFlow?: load.Throughput;
  /** GET /auth/me at a fixed rate, quiet and during a login storm (issue: a storm must not starve token checks). */
  storm?: { quiet: load.Throughput; storm: load.Throughput; logins: load.Throughput };
  revocation?: RevocationDelay;
  /** PostgreSQL: the revocation barrier, one instance against three. */
  barrier?: {
    latency1?: LogoutLatency;
    latency3?: LogoutLatency;
    /** Logouts/s on A alone, right before B and C join: the reference the 3-instance figure is held to. */
    logout1?: load.Throughput;
    logout3?: load.Throughput;
    /** The history checker (test/support/history.ts) on the three instances. */
    history?: Pick<Verdict, 'logouts' | 'checks' | 'logoutMs'> & { violations: number };
  };
  /** Embedded store: time to a first /health 200 and peak memory, fresh and again. */
  startup?: Startup;
  /** The server's resident memory after every load above, idle for 2 s, MB (Linux). */
  idleAfterLoadMb?: number;
  /** Its peak over the whole run, MB (Linux). */
  peakMb?: number;
  /** Why the backend's run stopped early; what was measured before is kept. */
  error?: string;
}

const say = (m: string) => process.stdout.write(`${m}\n`);

// Everything to undo if the run ends early (Ctrl-C, a failure): servers, databases, temp dirs.
const cleanups: (() => Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  await cleanUpServers();
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
}
process.on('SIGINT', () => {
  say('\nInterrupted; cleaning up…');
  void cleanUp().then(() => process.exit(130));
});

// Servers still running (stopping one twice is harmless).
const servers = new Set<ServerProcess>();
async function started(p: Promise<ServerProcess>): Promise<ServerProcess> {
  const server = await p;
  servers.add(server);
  return server;
}
async function cleanUpServers(): Promise<void> {
  for (const s of [...servers]) await s.stop().catch(() => {});
  servers.clear();
}

/** "; CPU: server 98%, postgres 40%, bench 60%, other 2% (of 200%)". */
function cpuText(cpu: CpuShare | undefined): string {
  if (!cpu) return '';
  const steal = cpu.steal > 0 ? `, steal ${cpu.steal}%` : '';
  return `; CPU: server ${cpu.server}%, postgres ${cpu.postgres}%, bench ${cpu.bench}%, other ${cpu.other}%${steal} (of ${os.availableParallelism() * 100}%)`;
}

/** "180 logins/s answered 200, 2,400/s shed with 503". */
function stormText(t: load.Throughput): string {
  const per = (code: string) => Math.round((t.statusCodes[code] ?? 0) / t.seconds);
  return `${per('200')} logins/s answered 200 (p99 ${t.latency.p99} ms), ${per('503')}/s shed with 503`;
}

function throughputNote(t: load.Throughput): string | undefined {
  const parts: string[] = [];
  if (t.non2xx > 0)
    parts.push(
      `${t.non2xx} non-2xx (${Object.entries(t.statusCodes)
        .filter(([c]) => !c.startsWith('2'))
        .map(([c, n]) => `${n}×${c}`)
        .join(', ')})`,
    );
  if (t.errors > 0) parts.push(`${t.errors} connection errors`);
  if (t.timeouts > 0) parts.push(`${t.timeouts} timeouts`);
  if (t.cpu && t.cpu.other >= 20)
    parts.push(`processes outside the benchmark used ${t.cpu.other}% CPU meanwhile (figure likely low)`);
  if (t.cpu && t.cpu.steal >= 10)
    parts.push(`the hypervisor took ${t.cpu.steal}% CPU (steal) meanwhile (figure likely low)`);
  if (t.exhausted) parts.push(`prepared sessions ran out after ${t.seconds} s (raise BENCH_LOGOUT_SESSIONS)`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Measures one backend, filling `r` as it goes so that a failure keeps what was measured. */
async function runBackend(
  r: BackendResult,
  settings: Settings,
  tmp: string,
  ceiling: { rps: number; url: string; pid: number },
): Promise<void> {
  const ceilingRps = ceiling.rps;
  const backend = r.backend;
  let database: ThrowawayDatabase | undefined;
  let dataDir: string | undefined;
  if (backend === 'postgres') {
    database = await createThrowawayDatabase(settings.databaseUrl as string);
    const db = database;
    cleanups.push(() => db.drop());
    say(`PostgreSQL ${database.version}: ${database.description}`);
    r.database = `PostgreSQL ${database.version}, ${database.description}`;
  } else {
    dataDir = join(tmp, 'pglite-data');
    r.database = 'embedded (PGlite) in a temporary DATA_DIR';
    say('Make the template, start on a fresh DATA_DIR, then again on the same one…');
    const s = await measureStartup({ runtime: settings.runtime, logDir: tmp, tmp });
    r.startup = s;
    say(
      `    first start ${s.firstStartSeconds.toFixed(2)} s (peak ${s.firstStartPeakMb ?? '?'} MB), ` +
        `restart ${s.restartSeconds.toFixed(2)} s (peak ${s.restartPeakMb ?? '?'} MB)` +
        (s.template
          ? `; making the template ${s.template.seconds.toFixed(1)} s (peak ${s.template.peakMb} MB)`
          : ''),
    );
  }
  const target = { databaseUrl: database?.url, dataDir };

  say('Preparing fixtures…');
  // PostgreSQL also measures the barrier: two more sets of logout sessions, for A alone right
  // before B and C join and for the three-instance run, and sessions for the one-at-a-time
  // logout latencies.
  const pg = backend === 'postgres';
  const fixtures: Fixtures = await prepareFixtures(
    target,
    {
      me: settings.connections,
      logout: settings.logoutSessions * (pg ? 3 : 1),
      refresh: settings.refreshChains,
      revocation: settings.trials * (pg ? 3 : 1) + (pg ? settings.historyLogouts : 0),
    },
    (m) => say(`  ${m}`),
  );
  const logoutTokens3 = fixtures.logoutTokens.splice(settings.logoutSessions);
  // PostgreSQL only: the embedded store's second and third sets are empty.
  const logoutTokens1 = logoutTokens3.splice(0, settings.logoutSessions);
  const historyTokens = pg ? fixtures.revocationTokens.splice(-settings.historyLogouts) : [];
  const latencyTokens = fixtures.revocationTokens.splice(settings.trials);
  r.fixtureSeconds = fixtures.seconds;
  say(`  done in ${fixtures.seconds.toFixed(1)} s`);

  const spawnOne = (name: string, accessLog = false, env?: Record<string, string>) =>
    started(
      spawnGatehouse({
        name: `${backend}-${name}`,
        runtime: settings.runtime,
        logLevel: settings.logLevel,
        accessLog,
        logDir: tmp,
        env,
        ...target,
      }),
    );

  const a = await spawnOne('a');
  say(`Gatehouse (${backend}, LOG_LEVEL=${settings.logLevel}) at ${a.url}`);
  const run = async (label: string, scenario: Parameters<typeof load.measure>[2]) => {
    say(`  ${label}…`);
    const t = await load.measure(a.url, settings, scenario, [a.pid]);
    const ratio = ((t.rps / ceilingRps) * 100).toFixed(1);
    say(`    ${Math.round(t.rps)} req/s, p99 ${t.latency.p99} ms (${ratio}% of ceiling)${cpuText(t.cpu)}`);
    return t;
  };
  say(
    `  GET /auth/me against the bare route, in alternating ${ME_SLICE_SECONDS}-s slices (${settings.mePairs} pairs)…`,
  );
  const meSides = [
    { url: ceiling.url, scenario: load.hello(), pids: [ceiling.pid] },
    { url: a.url, scenario: load.me(fixtures.meTokens), pids: [a.pid] },
  ] as const;
  r.mePairs = [];
  const mes: load.Throughput[] = [];
  for (let i = 0; i < settings.mePairs; i++) {
    const warm = { ...settings, warmup: i === 0 ? settings.warmup : 0 };
    const [c, m] = await load.measureAlternating(meSides, warm, ME_SLICE_SECONDS);
    mes.push(m);
    r.mePairs.push({ ceilingRps: c.rps, meRps: m.rps, ratio: m.rps / c.rps });
    say(
      `    pair ${i + 1}: ceiling ${Math.round(c.rps)}, /auth/me ${Math.round(m.rps)} req/s (${((m.rps / c.rps) * 100).toFixed(1)}%)${cpuText(m.cpu)}`,
    );
  }
  const middle = [...r.mePairs.keys()].sort((x, y) => r.mePairs![x]!.ratio - r.mePairs![y]!.ratio)[
    Math.floor(r.mePairs.length / 2)
  ] as number;
  r.me = mes[middle];
  r.meRatio = r.mePairs[middle]!.ratio;
  // The same after both servers sat quiet long enough for Gatehouse's memory trim (and V8's own
  // memory reducer) to collect: what a burst after a lull gets. No budget; docs/performance.md.
  say(`  GET /auth/me after ${QUIET_SECONDS} s quiet (both servers idle)…`);
  await sleep(QUIET_SECONDS * 1000);
  const [qc, qm] = await load.measureAlternating(meSides, { ...settings, warmup: 0 }, ME_SLICE_SECONDS);
  r.meAfterQuiet = qm;
  r.meAfterQuietRatio = qm.rps / qc.rps;
  say(
    `    ceiling ${Math.round(qc.rps)}, /auth/me ${Math.round(qm.rps)} req/s (${(r.meAfterQuietRatio * 100).toFixed(1)}%)${cpuText(qm.cpu)}`,
  );
  r.refresh = await run('POST /auth/refresh', load.refresh(fixtures.refreshTokens));
  // 50 connections fit in the hashing queue (HASH_QUEUE_MAX, 64): this row is hashing throughput;
  // what happens beyond the queue is the storm row below.
  r.login = await run('POST /auth/login', load.login(fixtures.email, fixtures.password));
  r.logout = await run('POST /auth/logout', load.logout(fixtures.logoutTokens));
  say(
    `  GET /auth/me at ${settings.stormMeRate}/s, quiet and during a login storm (${settings.stormConnections} connections)…`,
  );
  r.storm = await load.meDuringStorm(
    a.url,
    settings,
    {
      tokens: fixtures.meTokens,
      rate: settings.stormMeRate,
      email: fixtures.email,
      password: fixtures.password,
      stormConnections: settings.stormConnections,
    },
    [a.pid],
  );
  say(
    `    p99 quiet ${r.storm.quiet.latency.p99} ms, during the storm ${r.storm.storm.latency.p99} ms; storm: ${stormText(r.storm.logins)}`,
  );

  if (backend === 'postgres') {
    const barrier: NonNullable<BackendResult['barrier']> = {};
    r.barrier = barrier;
    const half = latencyTokens.length / 2;
    say(`  logout latency, one at a time, 1 instance (${half} logouts)…`);
    barrier.latency1 = await measureLogoutLatency(a.url, latencyTokens.slice(0, half), 1);
    say(`    p50 ${barrier.latency1.p50.toFixed(2)} ms, p99 ${barrier.latency1.p99.toFixed(2)} ms`);
    // The 3-instance logouts/s is held to A alone measured here, seconds before, rather than to
    // the logout row minutes earlier: between those two the single-instance figure moved from
    // 3,247 to 4,527/s over three runs in one day, which the ratio then measured.
    barrier.logout1 = await load.measure(a.url, settings, load.logout(logoutTokens1), [a.pid]);
    say(
      `  POST /auth/logout on A alone, before B and C join: ${Math.round(barrier.logout1.rps)} req/s, p99 ${barrier.logout1.latency.p99} ms${cpuText(barrier.logout1.cpu)}`,
    );
    const [b, c] = await Promise.all([spawnOne('b'), spawnOne('c')]);
    say(`  revocation delay, logout on A, polling B (${b.url}), ${fixtures.revocationTokens.length} trials…`);
    r.revocation = await measureRevocationDelay({ a: a.url, b: b.url, tokens: fixtures.revocationTokens });
    say(`  logout latency, one at a time, 3 instances (${half} logouts)…`);
    barrier.latency3 = await measureLogoutLatency(a.url, latencyTokens.slice(half), 3);
    say(`    p50 ${barrier.latency3.p50.toFixed(2)} ms, p99 ${barrier.latency3.p99.toFixed(2)} ms`);
    barrier.logout3 = await load.measure(a.url, settings, load.logout(logoutTokens3), [a.pid, b.pid, c.pid]);
    say(
      `  POST /auth/logout on A, 3 instances: ${Math.round(barrier.logout3.rps)} req/s, p99 ${barrier.logout3.latency.p99} ms${cpuText(barrier.logout3.cpu)}`,
    );
    say(
      `  history checker, 3 instances (${historyTokens.length} logouts, each checked on every instance after its 200)…`,
    );
    const history = new History();
    await logoutRounds({ instances: [a, b, c] }, history, {
      // The token is its own key: the checker only needs one per session.
      sessions: historyTokens.map((token) => ({ token, session: token })),
      workers: 8,
      checksPerInstance: 4,
      rng: seeded(12),
    });
    const verdict = history.check();
    barrier.history = { ...verdict, violations: verdict.violations.length };
    say(`    ${describeVerdict(verdict)}`);
    await Promise.all([b.stop(), c.stop()]);
  } else {
    say('  revocation delay, same instance (the embedded store is single-process)…');
    r.revocation = await measureRevocationDelay({ a: a.url, b: a.url, tokens: fixtures.revocationTokens });
  }
  const v = r.revocation;
  say(
    `    p50 ${v.p50.toFixed(2)} ms, p99 ${v.p99.toFixed(2)} ms, max ${v.max.toFixed(2)} ms, failures ${v.failures}`,
  );
  // Idle after the load: once the server has given memory back, as an idle server would have.
  r.idleAfterLoadMb = await idleResidentMb(a.pid);
  r.peakMb = residentMb(a.pid, 'VmHWM');
  say(`  memory after the load: ${r.idleAfterLoadMb ?? '?'} MB resident, peak ${r.peakMb ?? '?'} MB`);
  await a.stop();

  // The OpenID Provider on a server of its own: with OIDC_ISSUER set every ending also wakes the
  // dispatcher (back-channel logouts), which the rows above must not pay for.
  const o = await spawnOne('oidc', false, { OIDC_ISSUER: 'http://127.0.0.1:1' });
  say(`Gatehouse (${backend}, OIDC_ISSUER set) at ${o.url}`);
  for (const [label, key, scenario] of [
    [
      'GET /oidc/authorize (signed in: a code each)',
      'oidcAuthorize',
      load.oidcAuthorize(fixtures.meTokens, fixtures.oidcClient),
    ],
    [
      'authorization code flow (authorize + POST /oidc/token)',
      'oidcCodeFlow',
      load.oidcCodeFlow(fixtures.meTokens, fixtures.oidcClient),
    ],
  ] as const) {
    say(`  ${label}…`);
    const t = await load.measure(o.url, settings, scenario, [o.pid]);
    r[key] = t;
    say(`    ${Math.round(t.rps)}/s, p99 ${t.latency.p99} ms${cpuText(t.cpu)}`);
  }
  await o.stop();

  if (settings.compareAccessLog) {
    const c = await spawnOne('access-log', true);
    say(`Gatehouse (${backend}, LOG_LEVEL=${settings.logLevel}, ACCESS_LOG=on) at ${c.url}`);
    say('  GET /auth/me…');
    const t = await load.measure(c.url, settings, load.me(fixtures.meTokens), [c.pid]);
    r.meWithAccessLog = t;
    say(`    ${Math.round(t.rps)} req/s, p99 ${t.latency.p99} ms${cpuText(t.cpu)}`);
    await c.stop();
  }
}

function rowsOf(r: BackendResult, ceilingRps: number, settings: Settings): Row[] {
  const rows: Row[] = [];
  const missing = (scenario: string, budget?: string) =>
    rows.push({
      scenario,
      backend: r.backend,
      p50: Number.NaN,
      p99: Number.NaN,
      budget,
      pass: budget ? false : undefined,
      note: `not measured${r.error ? `: ${r.error}` : ''}`,
    });
  const t = (
    scenario: string,
    x: load.Throughput | undefined,
    budget?: { text: string; pass: (x: load.Throughput) => boolean },
    /** Against a ceiling of its own (GET /auth/me's pairs); else against the ceiling row's run. */
    ratio = x ? x.rps / ceilingRps : 0,
  ) => {
    if (!x) return missing(scenario, budget?.text);
    const clean = x.non2xx === 0 && x.errors === 0 && x.timeouts === 0;
    rows.push({
      scenario,
      backend: r.backend,
      rps: x.rps,
      p50: x.latency.p50,
      p99: x.latency.p99,
      ratio,
      ...(budget ? { budget: budget.text, pass: clean && budget.pass(x) } : {}),
      ...(x.cpu ? { cpu: x.cpu } : {}),
      note: throughputNote(x),
    });
  };
  t(
    `GET /auth/me (LOG_LEVEL=${settings.logLevel}), median of ${r.mePairs?.length ?? 0} pairs`,
    r.me,
    {
      text: `≥ ${BUDGET.meRatio * 100}% of the bare route, in alternating ${ME_SLICE_SECONDS}-s slices`,
      pass: () => (r.meRatio ?? 0) >= BUDGET.meRatio,
    },
    r.meRatio,
  );
  t(
    `GET /auth/me after ${QUIET_SECONDS} s quiet (no budget)`,
    r.meAfterQuiet,
    undefined,
    r.meAfterQuietRatio,
  );
  if (r.meWithAccessLog) t('GET /auth/me (ACCESS_LOG=on)', r.meWithAccessLog);
  t(
    'POST /auth/logout, fresh session each',
    r.logout,
    r.backend === 'postgres'
      ? { text: '≥ 2,500/s', pass: (x) => x.rps >= BUDGET.logoutsPerSecond }
      : { text: '≥ 2,000/s', pass: (x) => x.rps >= BUDGET.embeddedLogoutsPerSecond },
  );
  t('POST /auth/refresh', r.refresh);
  t('POST /auth/login', r.login);
  t('GET /oidc/authorize, signed in (302 with a code)', r.oidcAuthorize);
  t('authorization code flows (authorize + token), per second', r.oidcCodeFlow);
  const rate = settings.stormMeRate;
  t(`GET /auth/me at ${rate}/s, quiet`, r.storm?.quiet);
  if (r.storm) {
    t(`GET /auth/me at ${rate}/s, during a login storm`, r.storm.storm, {
      text: `p99 < ${BUDGET.meDuringStormP99Ms} ms`,
      // No answer at all is no pass (a p99 of 0 ms would otherwise look like one).
      pass: (x) => x.ok > 0 && x.latency.p99 < BUDGET.meDuringStormP99Ms,
    });
    const last = rows[rows.length - 1];
    const none = r.storm.storm.ok === 0 ? 'no request was answered during the storm' : undefined;
    if (last) last.note = [none, last.note, `storm: ${stormText(r.storm.logins)}`].filter(Boolean).join('; ');
  } else missing(`GET /auth/me at ${rate}/s, during a login storm`, `p99 < ${BUDGET.meDuringStormP99Ms} ms`);

  if (r.backend === 'postgres') barrierRows(r, rows, t, missing);
  const figure = (scenario: string, budget?: string, pass?: boolean) =>
    rows.push({
      scenario,
      backend: r.backend,
      p50: Number.NaN,
      p99: Number.NaN,
      ...(budget ? { budget, pass: pass ?? false } : {}),
    });
  const mb = (n: number | undefined) => (n === undefined ? '? MB' : `${n} MB`);
  if (r.startup) {
    const s = r.startup;
    figure(
      `first start, fresh DATA_DIR, to /health 200: ${s.firstStartSeconds.toFixed(2)} s, peak ${mb(s.firstStartPeakMb)}`,
      '≤ 6 s, ≤ 300 MB',
      s.firstStartSeconds <= BUDGET.firstStartSeconds &&
        s.firstStartPeakMb !== undefined &&
        s.firstStartPeakMb <= BUDGET.peakMb,
    );
    figure(
      `restart to /health 200: ${s.restartSeconds.toFixed(2)} s, peak ${mb(s.restartPeakMb)}`,
      '≤ 2 s, ≤ 300 MB',
      s.restartSeconds <= BUDGET.restartSeconds &&
        s.restartPeakMb !== undefined &&
        s.restartPeakMb <= BUDGET.peakMb,
    );
    if (s.template)
      figure(
        `making the template (once per build), its own process: ${s.template.seconds.toFixed(1)} s, peak ${s.template.peakMb} MB`,
        '≤ 300 MB',
        s.template.peakMb <= BUDGET.peakMb,
      );
    else missing('making the template: no build (npm run build)');
  }
  if (r.idleAfterLoadMb !== undefined)
    figure(
      `memory idle after the load above (its trim awaited, ≤ 30 s): ${mb(r.idleAfterLoadMb)} resident, peak ${mb(r.peakMb)}`,
      r.backend === 'pglite' ? '≤ 250 MB' : undefined,
      r.idleAfterLoadMb <= BUDGET.idleMb,
    );

  const cross = r.backend === 'postgres';
  const v = r.revocation;
  if (!v) {
    missing(
      `revocation delay, ${cross ? 'cross-instance' : 'same-instance'}`,
      cross ? 'p99 ≤ 10 ms' : undefined,
    );
    return rows;
  }
  const problems = [
    v.failures > 0 ? `${v.failures} of ${v.trials} trials never saw a 401 within 1 s` : '',
    v.invalid > 0 ? `${v.invalid} trials could not start (token refused or logout not 200)` : '',
  ].filter(Boolean);
  rows.push({
    scenario: `revocation delay, ${v.mode} (${v.trials} trials, max ${v.max.toFixed(1)} ms)`,
    backend: r.backend,
    p50: v.p50,
    p99: v.p99,
    ...(cross
      ? {
          budget: 'p99 ≤ 10 ms',
          pass: v.p99 <= BUDGET.revocationP99Ms && v.failures === 0 && v.invalid === 0,
        }
      : {}),
    note: problems.length > 0 ? problems.join('; ') : undefined,
  });
  return rows;
}

/** The barrier's rows: logout latency with 1 and 3 instances, and logouts/s with 3. */
function barrierRows(
  r: BackendResult,
  rows: Row[],
  t: (
    scenario: string,
    x: load.Throughput | undefined,
    budget?: { text: string; pass: (x: load.Throughput) => boolean },
  ) => void,
  missing: (scenario: string, budget?: string) => void,
): void {
  const { latency1: one, latency3: three, logout1, logout3, history } = r.barrier ?? {};
  const latencyRow = (
    l: LogoutLatency | undefined,
    scenario: string,
    budget?: { text: string; pass: boolean },
  ) => {
    if (!l) return missing(scenario, budget?.text);
    rows.push({
      scenario: `${scenario} (${l.trials} one at a time, max ${l.max.toFixed(1)} ms)`,
      backend: r.backend,
      p50: l.p50,
      p99: l.p99,
      ...(budget ? { budget: budget.text, pass: budget.pass && l.failed === 0 } : {}),
      note: l.failed > 0 ? `${l.failed} logouts did not answer 200` : undefined,
    });
  };
  latencyRow(one, 'logout latency, 1 instance');
  latencyRow(
    three,
    'logout latency, 3 instances (barrier)',
    one && three
      ? {
          text: `p99 ≤ 1-instance p99 + ${BUDGET.barrierP99AddedMs} ms`,
          pass: three.p99 <= one.p99 + BUDGET.barrierP99AddedMs,
        }
      : undefined,
  );
  const scenario = "history checker, 3 instances: requests sent after a logout's 200 and accepted";
  const budget = `0 in ≥ ${HISTORY_CHECKS.toLocaleString('en-US')} checks`;
  if (!history) missing(scenario, budget);
  else {
    const q = (p: number) => history.logoutMs[Math.floor(p * (history.logoutMs.length - 1))] ?? Number.NaN;
    rows.push({
      scenario: `${scenario} (${history.violations} in ${history.checks.toLocaleString('en-US')} checks, ${history.logouts} logouts; p50/p99 of those logouts)`,
      backend: r.backend,
      p50: q(0.5),
      p99: q(0.99),
      budget,
      pass: history.violations === 0 && history.checks >= HISTORY_CHECKS,
    });
  }
  t('POST /auth/logout on A alone, right before B and C join', logout1);
  const single = logout1?.rps;
  t('POST /auth/logout, 3 instances (barrier)', logout3, {
    text: `≥ 2,500/s and ≥ ${BUDGET.barrierThroughputRatio * 100}% of A alone (the row above)`,
    pass: (x) =>
      x.rps >= BUDGET.logoutsPerSecond &&
      single !== undefined &&
      x.rps >= BUDGET.barrierThroughputRatio * single,
  });
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main(): Promise<void> {
  // The servers it starts run on this Node, and would refuse an older one one by one.
  const oldNode = unsupportedNode();
  if (oldNode) throw new Error(oldNode);
  const settings = loadSettings();
  if (settings.runtime === 'dist' && !existsSync(join(ROOT, 'dist', 'main.js')))
    throw new Error('BENCH_RUNTIME=dist needs a build: run `npm run build` first');
  const host = machine();
  const startedAt = new Date();
  say(
    `Gatehouse benchmark, ${startedAt.toISOString()}: ${host.cpuCount}× ${host.cpuModel}, Node ${host.node}, ` +
      `load average ${host.loadAverageAtStart.join(' ')}`,
  );
  say(
    `autocannon: ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s measured per figure` +
      `; servers: LOG_LEVEL=${settings.logLevel}, RATE_LIMITS=off, MAX_CONNECTIONS_PER_ADDRESS=0, run with ${settings.runtime === 'dist' ? 'node dist/main.js' : 'node --import tsx src/main.ts'}`,
  );

  const tmp = mkdtempSync(join(os.tmpdir(), 'gatehouse-bench-'));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
  if (settings.scale !== undefined) return runScaleOnly(settings, settings.scale, tmp, startedAt, host);

  const skipped: string[] = [];
  const backends = settings.backends.filter((b) => {
    if (b === 'postgres' && !settings.databaseUrl) {
      skipped.push('PostgreSQL rows skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to include them.');
      return false;
    }
    return true;
  });
  for (const s of skipped) say(s);

  say('Ceiling: bare Fastify GET / …');
  // Not among `servers`: those stop after each backend, and this one serves every backend's pairs.
  const ceilingServer = await spawnCeiling({ logDir: tmp });
  cleanups.push(() => ceilingServer.stop());
  const ceiling = await load.measure(ceilingServer.url, settings, load.hello(), [ceilingServer.pid]);
  // Kept running (idle): GET /auth/me is measured in pairs with it (runBackend).
  say(`    ${Math.round(ceiling.rps)} req/s, p99 ${ceiling.latency.p99} ms${cpuText(ceiling.cpu)}`);

  const results: BackendResult[] = [];
  for (const backend of backends) {
    say(`\n== ${backend} ==`);
    const r: BackendResult = { backend };
    results.push(r);
    try {
      await runBackend(r, settings, tmp, {
        rps: ceiling.rps,
        url: ceilingServer.url,
        pid: ceilingServer.pid,
      });
    } catch (err) {
      r.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
      say(`${backend} run stopped: ${err instanceof Error ? err.message : String(err)}`);
    }
    await cleanUpServers();
  }

  const rows: Row[] = [
    {
      scenario: 'bare Fastify GET / (ceiling)',
      backend: '—',
      rps: ceiling.rps,
      p50: ceiling.latency.p50,
      p99: ceiling.latency.p99,
      ratio: 1,
      ...(ceiling.cpu ? { cpu: ceiling.cpu } : {}),
      note: throughputNote(ceiling),
    },
    ...results.flatMap((r) => rowsOf(r, ceiling.rps, settings)),
  ];
  const budgetsMet = rows.every((r) => r.pass !== false) && results.every((r) => !r.error);
  const finishedAt = new Date();

  say(`\n${textTable(rows)}`);
  for (const n of notes(rows)) say(`note: ${n}`);
  say(
    budgetsMet
      ? `\nEvery budget measured was met${skipped.length > 0 ? ' (the PostgreSQL budgets were not measured)' : ''}.`
      : '\nSome budgets were NOT met (FAIL above).',
  );

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    settings: { ...settings, databaseUrl: settings.databaseUrl ? '(set)' : undefined },
    budgets: BUDGET,
    budgetsMet,
    skipped,
    ceiling,
    backends: results,
    table: rows,
    markdown: markdownTable(rows),
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, `${stamp}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'latest.md'), `${markdownTable(rows)}\n`);
  say(`\nResults: bench/results/${stamp}.json (and latest.json, latest.md)`);
}

/** BENCH_SCALE: the scale comparison alone (bench/scale.ts), its own table and results file. */
async function runScaleOnly(
  settings: Settings,
  scale: number,
  tmp: string,
  startedAt: Date,
  host: ReturnType<typeof machine>,
): Promise<void> {
  const report = await runScale(settings, scale, tmp, say);
  const table = scaleTable(report.rows);
  say(`\n${table}`);
  const scans = report.plans.filter((p) => p.fullScans.length > 0);
  for (const p of scans) say(`FULL SCAN: ${p.statement}: ${p.shape}`);
  const met = report.rows.every((r) => r.pass) && scans.length === 0;
  say(met ? '\nEvery scale goal was met.' : '\nSome scale goals were NOT met (FAIL or FULL SCAN above).');
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      settings: { ...settings, databaseUrl: settings.databaseUrl ? '(set)' : undefined },
      goals: SCALE_GOALS,
      met,
      ...report,
      markdown: table,
    },
    null,
    2,
  )}\n`;
  writeFileSync(join(dir, `scale-${stamp}.json`), json);
  writeFileSync(join(dir, 'scale-latest.json'), json);
  writeFileSync(join(dir, 'scale-latest.md'), `${table}\n`);
  say(`\nResults: bench/results/scale-${stamp}.json (and scale-latest.json, scale-latest.md)`);
  if (!met) process.exitCode = 1;
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
