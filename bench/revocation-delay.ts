import { Agent, request } from 'node:http';

export interface RevocationDelay {
  /** "cross-instance": logout on A, polling B; "same-instance": both on one server. */
  mode: 'cross-instance' | 'same-instance';
  trials: number;
  /** Trials where the other instance still accepted the token after `giveUpMs`. */
  failures: number;
  /** Trials where something else went wrong (the token was refused before logout, logout not 200). */
  invalid: number;
  /** Milliseconds from A's 200 to B's first 401. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** How many GETs it took B to answer 401, on average (1 = already revoked at the first look). */
  meanPolls: number;
}

interface Reply {
  status: number;
  /** performance.now() when the response head arrived. */
  at: number;
}

function call(agent: Agent, base: URL, method: string, path: string, token: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { authorization: `Bearer ${token}`, 'content-length': '0' },
      },
      (res) => {
        const at = performance.now();
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, at }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/**
 * For each fresh session: B accepts its token; A logs it out; from the moment
 * A's 200 arrives, B is asked GET /auth/me back to back over a kept-alive
 * connection until it answers 401. The delay includes one round trip to B.
 */
export async function measureRevocationDelay(opts: {
  a: string;
  b: string;
  tokens: readonly string[];
  giveUpMs?: number;
}): Promise<RevocationDelay> {
  const giveUpMs = opts.giveUpMs ?? 1000;
  const a = new URL(opts.a);
  const b = new URL(opts.b);
  const agentA = new Agent({ keepAlive: true, maxSockets: 1 });
  const agentB = opts.a === opts.b ? agentA : new Agent({ keepAlive: true, maxSockets: 1 });
  const delays: number[] = [];
  let failures = 0;
  let invalid = 0;
  let polls = 0;
  try {
    for (const token of opts.tokens) {
      const before = await call(agentB, b, 'GET', '/auth/me', token);
      if (before.status !== 200) {
        invalid++;
        continue;
      }
      const out = await call(agentA, a, 'POST', '/auth/logout', token);
      if (out.status !== 200) {
        invalid++;
        continue;
      }
      let revokedAt: number | undefined;
      while (revokedAt === undefined && performance.now() - out.at < giveUpMs) {
        const r = await call(agentB, b, 'GET', '/auth/me', token);
        polls++;
        if (r.status === 401) revokedAt = r.at;
        else if (r.status !== 200) throw new Error(`GET /auth/me answered ${r.status} while polling`);
      }
      if (revokedAt === undefined) failures++;
      else delays.push(revokedAt - out.at);
    }
  } finally {
    agentA.destroy();
    agentB.destroy();
  }
  const sorted = [...delays].sort((x, y) => x - y);
  return {
    mode: opts.a === opts.b ? 'same-instance' : 'cross-instance',
    trials: opts.tokens.length,
    failures,
    invalid,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((s, d) => s + d, 0) / (sorted.length || 1),
    meanPolls: polls / (delays.length + failures || 1),
  };
}
