import { Agent, request } from 'node:http';
import { percentile } from './revocation-delay.js';

/** Logout latency measured one logout at a time (no queueing): what the barrier adds to each. */
export interface LogoutLatency {
  instances: number;
  trials: number;
  /** Logouts that did not answer 200. */
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

function logout(agent: Agent, base: URL, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: '/auth/logout',
        headers: { authorization: `Bearer ${token}`, 'content-length': '0' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * One logout after another on `url`, each with a fresh session, over one
 * kept-alive connection; milliseconds from sending to the whole answer.
 */
export async function measureLogoutLatency(
  url: string,
  tokens: readonly string[],
  instances: number,
): Promise<LogoutLatency> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let failed = 0;
  try {
    for (const token of tokens) {
      const start = performance.now();
      const status = await logout(agent, base, token);
      if (status === 200) ms.push(performance.now() - start);
      else failed++;
    }
  } finally {
    agent.destroy();
  }
  ms.sort((a, b) => a - b);
  return {
    instances,
    trials: tokens.length,
    failed,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? Number.NaN,
  };
}
