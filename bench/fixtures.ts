import { randomUUID } from 'node:crypto';
import { createContext } from '../src/domain/context.js';
import type { User } from '../src/domain/model.js';
import { newRefreshToken } from '../src/domain/tokens.js';
import { register } from '../src/domain/users.js';
import { addClient } from '../src/oidc/clients.js';
import type { Database } from '../src/storage/db.js';
import { openDatabase } from '../src/storage/open.js';
import { createStore } from '../src/storage/store.js';

/** Lifetimes as the servers under test use them (Gatehouse's defaults). */
const SETTINGS = { accessTokenTtl: 900, sessionTtl: 2_592_000 };
const ORIGIN = { ip: '127.0.0.1', userAgent: 'gatehouse-bench' };

export const BENCH_EMAIL = 'bench@example.com';
export const BENCH_PASSWORD = 'correct horse battery staple';

export interface Fixtures {
  email: string;
  password: string;
  /** One access token per autocannon connection for GET /auth/me. */
  meTokens: string[];
  /** One access token per logout: every logout ends a fresh session. */
  logoutTokens: string[];
  /** The first refresh token of each refresh chain. */
  refreshTokens: string[];
  /** Access tokens of the sessions the revocation-delay trials end. */
  revocationTokens: string[];
  /** A public OpenID client for the authorization-code rows, and its registered redirect URI. */
  oidcClient: { id: string; redirectUri: string };
  /** Seconds spent preparing. */
  seconds: number;
}

export interface FixtureCounts {
  me: number;
  logout: number;
  refresh: number;
  revocation: number;
}

/**
 * Prepares sessions in bulk through Gatehouse's own storage and token code,
 * in this process: logging in through HTTP costs an argon2id hash per
 * session, far too slow for tens of thousands. The signing key is in the
 * database, so the tokens issued here verify on the servers. The embedded
 * store is single-process: call this before a server opens the same DATA_DIR.
 */
export async function prepareFixtures(
  target: { databaseUrl?: string; dataDir?: string },
  counts: FixtureCounts,
  progress: (m: string) => void = () => {},
): Promise<Fixtures> {
  const started = performance.now();
  const db = await openDatabase({
    databaseUrl: target.databaseUrl,
    dataDir: target.dataDir ?? './data',
    progress,
    owner: 'bench',
  });
  try {
    const store = createStore(db);
    const ctx = await createContext(store, SETTINGS);
    const user = await register(ctx, { email: BENCH_EMAIL, password: BENCH_PASSWORD, name: 'Bench' }, ORIGIN);

    const accessTokens = async (n: number): Promise<string[]> => {
      const sessions = await insertSessions(db, user, n);
      const tokens: string[] = [];
      for (let i = 0; i < sessions.length; i += 1000) {
        const batch = sessions.slice(i, i + 1000);
        tokens.push(...(await Promise.all(batch.map(async (s) => (await ctx.tokens.issue(user, s)).token))));
      }
      return tokens;
    };

    const meTokens = await accessTokens(counts.me);
    progress(`Preparing ${counts.logout} sessions for the logout run…`);
    const logoutTokens = await accessTokens(counts.logout);
    const revocationTokens = await accessTokens(counts.revocation);
    const refreshTokens: string[] = [];
    for (const s of await insertSessions(db, user, counts.refresh)) {
      const { token, hash } = newRefreshToken();
      await store.insertRefreshToken(hash, s.id, s.expiresAt);
      refreshTokens.push(token);
    }
    const redirectUri = 'http://127.0.0.1/bench/callback';
    const { client } = await addClient(
      ctx,
      { name: 'bench', type: 'public', redirectUris: [redirectUri] },
      { origin: ORIGIN, operator: 'bench' },
    );
    return {
      email: BENCH_EMAIL,
      password: BENCH_PASSWORD,
      oidcClient: { id: client.id, redirectUri },
      meTokens,
      logoutTokens,
      refreshTokens,
      revocationTokens,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await db.close();
  }
}

interface FixtureSession {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  authTime: Date;
}

/** Inserts n active sessions of the user, 5,000 rows a statement. */
async function insertSessions(db: Database, user: User, n: number): Promise<FixtureSession[]> {
  const out: FixtureSession[] = [];
  const expiresAt = new Date(Date.now() + SETTINGS.sessionTtl * 1000);
  for (let done = 0; done < n; done += 5000) {
    const ids = Array.from({ length: Math.min(5000, n - done) }, () => randomUUID());
    const rows = await db.query<{ id: string; created_at: Date; expires_at: Date }>(
      `INSERT INTO sessions (id, user_id, expires_at, ip, user_agent)
       SELECT id, $2::uuid, $3::timestamptz, $4, $5 FROM unnest($1::uuid[]) AS t(id)
       RETURNING id, created_at, expires_at`,
      [ids, user.id, expiresAt, ORIGIN.ip, ORIGIN.userAgent],
    );
    for (const r of rows)
      out.push({ id: r.id, createdAt: r.created_at, expiresAt: r.expires_at, authTime: r.created_at });
  }
  return out;
}
