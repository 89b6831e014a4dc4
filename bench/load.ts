import { createHash } from 'node:crypto';
import autocannon, { type Client, type Options, type Request, type Result } from 'autocannon';
import { type CpuShare, cpuBetween, sampleCpu } from './cpu.js';

export interface LoadSettings {
  duration: number;
  warmup: number;
  connections: number;
}

/** One throughput measurement, as it goes into the table and the JSON. */
export interface Throughput {
  /** Successful (2xx) responses per second over the measured run. */
  rps: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Seconds measured (shorter than asked when the fixtures ran out). */
  seconds: number;
  statusCodes: Record<string, number>;
  /** Set when the run stopped early because every prepared session was used. */
  exhausted?: boolean;
  /** Who used the CPU during the measured run (Linux), percent of one core. */
  cpu?: CpuShare;
}

type Scenario = Omit<Options, 'url' | 'duration' | 'connections'> & {
  /** Requests available in total (fixtures); the run stops early when they are used up. */
  available?: () => number;
  /** What counts as a success: 2xx (default), or 3xx for an endpoint that answers with a redirect. */
  success?: '2xx' | '3xx';
  /** Redirects are part of the scenario (a 3xx one, or a flow through one), not failures. */
  redirectsExpected?: boolean;
};

async function once(url: string, seconds: number, connections: number, scenario: Scenario): Promise<Result> {
  const { available, success: _, redirectsExpected: __, ...opts } = scenario;
  const amount = available?.();
  if (amount !== undefined && amount < connections)
    throw new Error(`only ${amount} requests' worth of fixtures left for ${connections} connections`);
  const instance = autocannon({ ...opts, url, connections, duration: seconds, amount, timeout: 10 });
  // With `amount` set autocannon ignores `duration`; stop it ourselves.
  const timer = amount === undefined ? undefined : setTimeout(() => instance.stop(), seconds * 1000);
  try {
    return await instance;
  } finally {
    clearTimeout(timer);
  }
}

/** Warms up (unrecorded), then measures for `duration` seconds. `pids`: the server processes under test. */
export async function measure(
  url: string,
  s: LoadSettings,
  scenario: Scenario,
  pids: readonly number[] = [],
): Promise<Throughput> {
  if (s.warmup > 0) await once(url, s.warmup, s.connections, scenario);
  return measureOnce({ url, scenario, pids }, s.duration, s.connections);
}

/** A server under load in an alternating measurement. */
export interface Side {
  url: string;
  scenario: Scenario;
  pids: readonly number[];
}

/**
 * Two servers measured in turns of `sliceSeconds` until each has run `duration` seconds (after a
 * warm-up of each). Neither sits idle for longer than one slice. That matters for a ratio
 * between them: a server idle for one quiet interval (MEMORY_TRIM_IDLE_MS, 5 s) gets a full,
 * memory-reducing collection, after which V8 runs the request path ~20% slower for as long as
 * was watched (docs/performance.md). A 10-second run of one server right before the other's
 * measured that, not the steady per-request cost; `GET /auth/me` after a quiet spell has its
 * own row instead.
 */
export async function measureAlternating(
  sides: readonly [Side, Side],
  s: LoadSettings,
  sliceSeconds: number,
): Promise<[Throughput, Throughput]> {
  if (s.warmup > 0) for (const side of sides) await once(side.url, s.warmup, s.connections, side.scenario);
  const slices: [Throughput[], Throughput[]] = [[], []];
  for (let left = s.duration; left > 0; left -= sliceSeconds) {
    const seconds = Math.min(sliceSeconds, left);
    for (const i of [0, 1] as const) slices[i].push(await measureOnce(sides[i], seconds, s.connections));
  }
  return [combine(slices[0]), combine(slices[1])];
}

async function measureOnce(side: Side, seconds: number, connections: number): Promise<Throughput> {
  const { url, scenario, pids } = side;
  const before = sampleCpu();
  const r = await once(url, seconds, connections, scenario);
  const cpu = cpuBetween(before, sampleCpu(), pids);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = count;
  const left = scenario.available?.();
  return {
    rps: r[scenario.success ?? '2xx'] / r.duration,
    latency: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: r.latency.mean,
    },
    requests: r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'],
    ok: r[scenario.success ?? '2xx'],
    // A redirect is the expected answer of a 3xx scenario, not a failure.
    non2xx: scenario.redirectsExpected ? r.non2xx - r['3xx'] : r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
    statusCodes,
    ...(left !== undefined && left < connections ? { exhausted: r.duration < seconds - 0.5 } : {}),
    ...(cpu ? { cpu } : {}),
  };
}

/**
 * One figure from the slices of one server. Counts add up; p50, p90 and the mean are the slices'
 * request-weighted means; p99 and max are the worst slice's, so a combined tail never looks
 * better than a slice's was. CPU shares are weighted by each slice's seconds.
 */
export function combine(slices: readonly Throughput[]): Throughput {
  if (slices.length === 0) throw new Error('combine: no slices');
  const sum = (f: (t: Throughput) => number) => slices.reduce((n, t) => n + f(t), 0);
  const requests = sum((t) => t.requests);
  const seconds = sum((t) => t.seconds);
  const weighted = (f: (t: Throughput) => number) =>
    requests > 0 ? Math.round((sum((t) => f(t) * t.requests) / requests) * 100) / 100 : 0;
  const statusCodes: Record<string, number> = {};
  for (const t of slices)
    for (const [code, n] of Object.entries(t.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const cpus = slices.flatMap((t) => (t.cpu ? [{ cpu: t.cpu, seconds: t.seconds }] : []));
  const cpuShare = (k: keyof CpuShare) =>
    Math.round(cpus.reduce((n, c) => n + c.cpu[k] * c.seconds, 0) / cpus.reduce((n, c) => n + c.seconds, 0));
  const cpu: CpuShare | undefined =
    cpus.length === slices.length
      ? {
          machineBusy: cpuShare('machineBusy'),
          server: cpuShare('server'),
          postgres: cpuShare('postgres'),
          bench: cpuShare('bench'),
          other: cpuShare('other'),
          steal: cpuShare('steal'),
        }
      : undefined;
  const ok = sum((t) => t.ok);
  const exhausted = slices.some((t) => t.exhausted);
  return {
    rps: seconds > 0 ? ok / seconds : 0,
    latency: {
      p50: weighted((t) => t.latency.p50),
      p90: weighted((t) => t.latency.p90),
      p99: Math.max(...slices.map((t) => t.latency.p99)),
      max: Math.max(...slices.map((t) => t.latency.max)),
      mean: weighted((t) => t.latency.mean),
    },
    requests,
    ok,
    non2xx: sum((t) => t.non2xx),
    errors: sum((t) => t.errors),
    timeouts: sum((t) => t.timeouts),
    seconds,
    statusCodes,
    ...(slices.some((t) => t.exhausted !== undefined) ? { exhausted } : {}),
    ...(cpu ? { cpu } : {}),
  };
}

// ---- the scenarios -------------------------------------------------------

// autocannon takes the path from the URL unless a `requests` entry names one.
export const hello = (): Scenario => ({ requests: [{ method: 'GET', path: '/' }] });

/** GET /auth/me, each connection with its own session's token. */
export function me(tokens: readonly string[]): Scenario {
  let next = 0;
  return {
    requests: [{ method: 'GET', path: '/auth/me' }],
    setupClient: (client: Client) => {
      client.setHeaders({ authorization: `Bearer ${tokens[next++ % tokens.length]}` });
    },
  };
}

/** GET /auth/sessions, its first page, as one account (the scale run's user with 1,000 sessions). */
export function sessionsPage(token: string): Scenario {
  return {
    requests: [{ method: 'GET', path: '/auth/sessions' }],
    headers: { authorization: `Bearer ${token}` },
  };
}

/** POST /auth/logout, every request with a session no request has used before. */
export function logout(tokens: readonly string[]): Scenario {
  let next = 0;
  const request: Request = {
    method: 'POST',
    path: '/auth/logout',
    setupRequest: (req) => ({
      ...req,
      headers: { ...req.headers, authorization: `Bearer ${tokens[next++] ?? 'exhausted'}` },
    }),
  };
  return { requests: [request], available: () => tokens.length - next };
}

/**
 * POST /auth/refresh on many refresh-token chains: each request takes a chain's
 * latest token and the response's new token continues that chain. A chain is
 * used by one request at a time (autocannon's per-connection context is reset
 * after every request of a one-request sequence, so chains live in a pool).
 */
export function refresh(firstTokens: readonly string[]): Scenario {
  const pool = [...firstTokens];
  const request: Request = {
    method: 'POST',
    path: '/auth/refresh',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ refreshToken: pool.shift() ?? 'none-left' }) }),
    onResponse: (status, body) => {
      if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
    },
  };
  return { requests: [request] };
}

/** The query of an authorization request of the bench's public client, with a fixed PKCE pair. */
export const PKCE = {
  verifier: 'bench-verifier-bench-verifier-bench-verifier-0001',
  challenge: createHash('sha256')
    .update('bench-verifier-bench-verifier-bench-verifier-0001')
    .digest('base64url'),
};
const authorizePath = (client: { id: string; redirectUri: string }) =>
  `/oidc/authorize?${new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'openid',
    code_challenge: PKCE.challenge,
    code_challenge_method: 'S256',
    state: 'bench',
  })}`;

/**
 * GET /oidc/authorize by signed-in browsers (each connection with its own session's cookie):
 * every answer is a 302 carrying a new code, written to the database with its grant.
 */
export function oidcAuthorize(
  tokens: readonly string[],
  client: { id: string; redirectUri: string },
): Scenario {
  let next = 0;
  return {
    success: '3xx',
    redirectsExpected: true,
    requests: [{ method: 'GET', path: authorizePath(client) }],
    setupClient: (c: Client) => {
      c.setHeaders({ cookie: `gatehouse_session=${tokens[next++ % tokens.length]}` });
    },
  };
}

/**
 * A whole authorization-code flow per pair of requests: GET /oidc/authorize (302 with a code),
 * then POST /oidc/token exchanging it (200: ID, access and refresh tokens). The 2xx rate is
 * completed code exchanges per second.
 */
export function oidcCodeFlow(
  tokens: readonly string[],
  client: { id: string; redirectUri: string },
): Scenario {
  let next = 0;
  return {
    redirectsExpected: true,
    requests: [
      {
        method: 'GET',
        path: authorizePath(client),
        onResponse: (_status, _body, context, headers) => {
          const location = (headers as Record<string, string> | undefined)?.location ?? '';
          (context as { code?: string }).code =
            new URL(location, 'http://x').searchParams.get('code') ?? 'none';
        },
      },
      {
        method: 'POST',
        path: '/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req, context) => ({
          ...req,
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: (context as { code?: string }).code ?? 'none',
            redirect_uri: client.redirectUri,
            code_verifier: PKCE.verifier,
            client_id: client.id,
          }).toString(),
        }),
      },
    ],
    setupClient: (c: Client) => {
      c.setHeaders({ cookie: `gatehouse_session=${tokens[next++ % tokens.length]}` });
    },
  };
}

/** POST /auth/login as one registered user, over and over (each opens a session). */
export function login(email: string, password: string): Scenario {
  return {
    requests: [
      {
        method: 'POST',
        path: '/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      },
    ],
  };
}

/**
 * GET /auth/me at a fixed overall rate (what a steady stream of API calls
 * looks like), measured quiet and then while a login storm runs against the
 * same server: `stormConnections` connections posting logins as fast as they
 * are answered (argon2id on the thread pool; the excess shed with 503 by
 * HASH_QUEUE_MAX). The goal is that token checks do not starve.
 */
export async function meDuringStorm(
  url: string,
  s: LoadSettings,
  opts: {
    tokens: readonly string[];
    rate: number;
    email: string;
    password: string;
    stormConnections: number;
  },
  pids: readonly number[] = [],
): Promise<{ quiet: Throughput; storm: Throughput; logins: Throughput }> {
  const steady = { connections: Math.min(10, opts.tokens.length) };
  const meAtRate = (): Scenario => ({ ...me(opts.tokens), overallRate: opts.rate });
  const quiet = await measure(url, { ...s, ...steady }, meAtRate(), pids);
  // The storm starts first and outlasts the measurement (its warm-up included).
  const logins = measure(
    url,
    { duration: s.warmup + s.duration + 1, warmup: 0, connections: opts.stormConnections },
    login(opts.email, opts.password),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const storm = await measure(url, { ...s, ...steady }, meAtRate(), pids);
  return { quiet, storm, logins: await logins };
}
