import pg from 'pg';

/**
 * The scale run's data (issue 15, "Cost as the work grows"), loaded in bulk by PostgreSQL
 * itself (generate_series): at BENCH_SCALE=1, 1,000,000 users and 5,000,000 sessions, of
 * which 1,000,000 active, one refresh token per active session and one audit event per
 * session. Logging in through the API would cost an argon2id hash each: days, not minutes.
 */
export interface ScaleSize {
  users: number;
  sessions: number;
  active: number;
  /** Sessions past their expiry and not yet ended: the sweeper's work. */
  expired: number;
  /** Sessions ended within the retention window: what an instance loads at start. */
  recentlyEnded: number;
  /** Active sessions of the one user whose list is measured (not scaled). */
  heavyUserSessions: number;
}

export function scaleSize(scale: number): ScaleSize {
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  return {
    users: n(1_000_000),
    sessions: n(5_000_000),
    active: n(1_000_000),
    expired: n(100_000),
    recentlyEnded: n(100_000),
    heavyUserSessions: 1000,
  };
}

// Users are numbered; their ids are derived from the number, so sessions can name them without a lookup.
const USER_ID = (g: string) => `md5('scale-user-' || ${g})::uuid`;
// Sessions are named as Gatehouse names them (src/domain/session-ids.ts): a UUIDv7 whose first
// 48 bits are the creation time in ms, then a v4 UUID's random bits with the version made 7
// (32 hex digits, which PostgreSQL reads as a uuid without the dashes).
const SESSION_ID = (created: string) =>
  `(lpad(to_hex(floor(extract(epoch FROM ${created}) * 1000)::bigint), 12, '0') || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid`;
const UA =
  "'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'";

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Timed steps, each one statement, reported as they finish. */
async function steps(c: pg.Client, list: [string, string, unknown[]?][], say: (m: string) => void) {
  for (const [label, sql, params] of list) {
    const started = performance.now();
    const r = await c.query(sql, params);
    say(`${label}: ${r.rowCount ?? 0} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * The population: users, their sessions (active ones used within the idle limit; ended ones
 * ended a day or more ago, outside the retention window), refresh tokens, audit events.
 * `passwordHash` is one real argon2id hash shared by every user.
 */
export async function loadPopulation(
  url: string,
  size: ScaleSize,
  passwordHash: string,
  say: (m: string) => void,
): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('SET synchronous_commit = off');
    await steps(
      c,
      [
        [
          `${size.users.toLocaleString('en-US')} users`,
          `INSERT INTO users (id, email, name, password_hash, roles, created_at)
           SELECT ${USER_ID('g')}, 'user' || g || '@scale.example', 'User ' || g, $2, ARRAY['user'],
                  now() - (g % 365) * interval '1 day'
           FROM generate_series(1, $1::int) AS g`,
          [size.users, passwordHash],
        ],
        [
          `${size.sessions.toLocaleString('en-US')} sessions, ${size.active.toLocaleString('en-US')} active`,
          // Active: opened within 13 days, used since (under the 14-day idle limit), expiring in
          // 30 days from opening. Ended: opened 1 to 29 days ago, ended an hour later.
          `INSERT INTO sessions (id, user_id, created_at, last_used_at, auth_time, expires_at, ended_at, end_reason,
                                 ip, user_agent)
           SELECT ${SESSION_ID('created')}, ${USER_ID('1 + g % $3::int')}, created,
                  CASE WHEN active THEN created + (now() - created) * random() ELSE created + interval '1 hour' END,
                  created, created + interval '30 days',
                  CASE WHEN active THEN NULL ELSE created + interval '1 hour' END,
                  CASE WHEN active THEN NULL ELSE 'logout' END,
                  '10.' || (g % 250) || '.' || (g % 199) || '.1', ${UA}
           FROM (SELECT g, g <= $2::int AS active,
                        CASE WHEN g <= $2::int THEN now() - random() * interval '13 days'
                             ELSE now() - interval '1 day' - random() * interval '28 days' END AS created
                 FROM generate_series(1, $1::int) AS g) AS s`,
          [size.sessions, size.active, size.users],
        ],
        [
          'refresh tokens of the active sessions',
          `INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)
           SELECT sha256(convert_to(id::text, 'UTF8')), id, created_at, expires_at
           FROM sessions WHERE ended_at IS NULL`,
        ],
        [
          'audit events (one per session)',
          `INSERT INTO audit_events (at, action, reason, actor_user_id, target_user_id, session_ids, ip, user_agent)
           SELECT created_at, 'session.created', 'login', user_id, user_id, ARRAY[id], ip, user_agent FROM sessions`,
        ],
      ],
      say,
    );
  });
}

/** The heavy user's extra active sessions (GET /auth/sessions is measured for this user). */
export async function loadHeavyUser(url: string, userId: string, n: number): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `INSERT INTO sessions (id, user_id, created_at, last_used_at, auth_time, expires_at, ip, user_agent)
       SELECT ${SESSION_ID('t')}, $1, t, t, t, t + interval '30 days', '198.51.100.' || (g % 250), ${UA}
       FROM (SELECT g, now() - interval '1 hour' - g * interval '1 second' AS t FROM generate_series(1, $2::int) AS g) AS s`,
      [userId, n],
    ),
  );
}

/** Sessions ended within the retention window: an instance loads each into its revocation list at start. */
export async function loadRecentlyEnded(url: string, userId: string, n: number): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `INSERT INTO sessions (id, user_id, created_at, last_used_at, auth_time, expires_at, ended_at, end_reason)
       SELECT ${SESSION_ID('created')}, $1, created, now() - interval '5 minutes',
              created, now() + interval '29 days', now() - random() * interval '5 minutes', 'logout'
       FROM (SELECT now() - interval '2 hours' - g * interval '1 millisecond' AS created
             FROM generate_series(1, $2::int) AS g) AS s`,
      [userId, n],
    ),
  );
}

/** Sessions past their expiry that nobody has ended yet: the sweeper ends them. Returns how many remain. */
export async function loadExpired(url: string, userId: string, n: number): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `INSERT INTO sessions (id, user_id, created_at, last_used_at, auth_time, expires_at)
       SELECT ${SESSION_ID('created')}, $1, created, now() - interval '2 days', created, created + interval '30 days'
       FROM (SELECT now() - interval '31 days' + g * interval '1 millisecond' AS created
             FROM generate_series(1, $2::int) AS g) AS s`,
      [userId, n],
    ),
  );
}

export async function countExpiredUnended(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string }>(
      'SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL AND expires_at <= now()',
    );
    return Number(r.rows[0]?.n ?? 0);
  });
}

/**
 * Statistics and the visibility map, as autovacuum would leave them some time after a load, and
 * the load's dirty pages written, as the checkpointer would have by then: measured right after
 * a bulk load, a server's start shared the machine with PostgreSQL writing gigabytes.
 */
export async function analyze(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('VACUUM ANALYZE');
    await c.query('CHECKPOINT');
  });
}
