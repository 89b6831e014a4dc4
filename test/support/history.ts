/**
 * A history checker for the revocation barrier (docs/api.md §2, §6), used by
 * the multi-process tests (with test/support/cluster.ts) and by `npm run bench`
 * (so it imports nothing of the test runner). Every request
 * made with a token that is then logged out is recorded with the time it was
 * sent and the time its answer arrived, on this process's one monotonic
 * clock. The rule checked: no request *sent after* a logout's 200 arrived
 * was *accepted* (200) by any instance.
 */

export interface Entry {
  session: string;
  instance: number;
  kind: 'logout' | 'me';
  sent: number;
  received: number;
  status: number | 'error';
}

export interface Verdict {
  /** Requests on an ended session sent after its logout's 200: the checks. */
  checks: number;
  violations: Entry[];
  logouts: number;
  /** Logout latencies, ms, sorted. */
  logoutMs: number[];
}

export class History {
  readonly entries: Entry[] = [];

  async request(
    instance: number,
    base: string,
    kind: Entry['kind'],
    session: string,
    token: string,
  ): Promise<Entry> {
    const sent = performance.now();
    let status: Entry['status'];
    let received: number;
    try {
      const res = await fetch(`${base}/auth/${kind}`, {
        method: kind === 'logout' ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(15_000),
      });
      // The answer arrived with its status line: that is when the client knows.
      received = performance.now();
      status = res.status;
      await res.arrayBuffer();
    } catch {
      received = performance.now();
      status = 'error';
    }
    const entry = { session, instance, kind, sent, received, status };
    this.entries.push(entry);
    return entry;
  }

  check(): Verdict {
    const loggedOut = new Map<string, number>(); // session → when its logout's 200 arrived
    const logoutMs: number[] = [];
    for (const e of this.entries)
      if (e.kind === 'logout' && e.status === 200) {
        loggedOut.set(e.session, Math.min(loggedOut.get(e.session) ?? Number.POSITIVE_INFINITY, e.received));
        logoutMs.push(e.received - e.sent);
      }
    let checks = 0;
    const violations: Entry[] = [];
    for (const e of this.entries) {
      const at = loggedOut.get(e.session);
      if (e.kind !== 'me' || at === undefined || e.sent <= at) continue;
      checks++;
      if (e.status === 200) violations.push(e);
    }
    return { checks, violations, logouts: loggedOut.size, logoutMs: logoutMs.sort((a, b) => a - b) };
  }
}

/** Small seeded PRNG (mulberry32): a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the checker drives: instances reached by URL, in a fixed order. */
export interface Instances {
  instances: readonly { url: string }[];
}

/**
 * Background load: `perInstance` loops of GET /auth/me with live tokens on
 * every instance, until stopped (bounded: each loop stops after `maxRequests`).
 */
export function backgroundLoad(
  cluster: Instances,
  tokens: string[],
  perInstance: number,
  maxRequests = 100_000,
) {
  let stop = false;
  let requests = 0;
  const loops = cluster.instances.flatMap((s, i) =>
    Array.from({ length: perInstance }, async (_, k) => {
      const token = tokens[(i * perInstance + k) % tokens.length] as string;
      for (let r = 0; !stop && r < maxRequests; r++) {
        try {
          const res = await fetch(`${s.url}/auth/me`, {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(15_000),
          });
          await res.arrayBuffer();
        } catch {
          await sleep(20);
        }
        requests++;
      }
    }),
  );
  return {
    get requests() {
      return requests;
    },
    async stop() {
      stop = true;
      await Promise.all(loops);
    },
  };
}

export interface RoundOptions {
  /** The sessions to log out, one round each (see Cluster.issue). */
  sessions: { token: string; session: string }[];
  /** Rounds running at once. */
  workers: number;
  /** GET /auth/me per instance sent the moment the logout's 200 arrives. */
  checksPerInstance: number;
  rng: () => number;
  /** Which instances may take a logout now (e.g. not the frozen one). */
  logoutOn?: () => number[];
  /** Stop early once this says so (e.g. a violation was found). */
  enough?: () => boolean;
}

/**
 * For each session: keep asking the other instances with its token while
 * logging it out on one of them, and the moment the 200 arrives ask every
 * instance again.
 */
export async function logoutRounds(cluster: Instances, history: History, opts: RoundOptions): Promise<void> {
  const n = cluster.instances.length;
  const pick = (from: number[]) => from[Math.floor(opts.rng() * from.length)] as number;
  const all = Array.from({ length: n }, (_, i) => i);
  let next = 0;
  const worker = async () => {
    while (next < opts.sessions.length && !opts.enough?.()) {
      const { token, session } = opts.sessions[next++] as { token: string; session: string };
      const on = pick(opts.logoutOn?.() ?? all);
      let done = false;
      // Pressure around the logout: requests in flight while it commits, on the other instances.
      const hammers = all
        .filter((i) => i !== on)
        .map(async (i) => {
          for (let k = 0; !done && k < 200; k++)
            await history.request(i, cluster.instances[i]!.url, 'me', session, token);
        });
      const logout = await history.request(on, cluster.instances[on]!.url, 'logout', session, token);
      if (logout.status === 200)
        await Promise.all(
          all.flatMap((i) =>
            Array.from({ length: opts.checksPerInstance }, () =>
              history.request(i, cluster.instances[i]!.url, 'me', session, token),
            ),
          ),
        );
      done = true;
      await Promise.all(hammers);
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, worker));
}

export function describeVerdict(v: Verdict): string {
  const q = (p: number) =>
    v.logoutMs[Math.min(v.logoutMs.length - 1, Math.floor(p * v.logoutMs.length))] ?? 0;
  return (
    `${v.logouts} logouts, ${v.checks} post-logout checks, ${v.violations.length} violations; ` +
    `logout p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${(v.logoutMs.at(-1) ?? 0).toFixed(1)} ms`
  );
}
