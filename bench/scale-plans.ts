import type { Database, Sql } from '../src/storage/db.js';
import { openPostgres } from '../src/storage/postgres.js';
import { createStore, type Store } from '../src/storage/store.js';

/**
 * The plans PostgreSQL picks for Gatehouse's own statements on the loaded database. The
 * statements are not copied here: the store's methods run against a connection that EXPLAINs
 * whatever it is given instead of running it, so what is checked is exactly what is shipped.
 * Plans are generic (plan_cache_mode = force_generic_plan): the server names its statements,
 * and after five runs PostgreSQL may keep a generic plan for good.
 */
export interface PlanCheck {
  statement: string;
  /** The plan's node types and relations, outermost first, e.g. "Limit > Index Scan on sessions". */
  shape: string;
  /** Estimated total cost. */
  cost: number;
  /** Sequential scans of the large tables: each one reads every row, and grows with the data. */
  fullScans: string[];
}

const LARGE_TABLES = new Set(['users', 'sessions', 'refresh_tokens', 'audit_events']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost': number;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, visit: (n: PlanNode, depth: number) => void, depth = 0): void {
  visit(node, depth);
  for (const child of node.Plans ?? []) walk(child, visit, depth + 1);
}

function explaining(sql: Sql, plans: PlanNode[]): Sql {
  return {
    query: async <T>(text: string, params?: readonly unknown[]) => {
      const rows = await sql.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) ${text}`,
        params,
      );
      const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
      if (plan) plans.push(plan);
      return [] as T[];
    },
    exec: () => Promise.resolve(),
  };
}

export async function checkPlans(
  url: string,
  ids: { userId: string; email: string; sessionId: string },
): Promise<PlanCheck[]> {
  const db = openPostgres({ connectionString: url, max: 1, statementTimeoutMillis: 60_000 });
  try {
    const results: PlanCheck[] = [];
    await db.transaction(async (tx) => {
      await tx.query("SET LOCAL plan_cache_mode = 'force_generic_plan'");
      const plans: PlanNode[] = [];
      const explain: Database = {
        kind: 'postgres',
        ...explaining(tx, plans),
        transaction: (fn) => fn(explaining(tx, plans)),
        close: () => Promise.resolve(),
      };
      const store = createStore(explain);
      const statements: [string, (s: Store) => Promise<unknown>][] = [
        ['login: find the user by email', (s) => s.findUserByEmail(ids.email)],
        ['GET /auth/sessions: first page', (s) => s.listSessionsPage(ids.userId, { after: null, limit: 51 })],
        [
          'GET /auth/sessions: a later page',
          (s) =>
            s.listSessionsPage(ids.userId, {
              after: { createdAt: new Date().toISOString().replace('Z', '000Z'), id: ids.sessionId },
              limit: 51,
            }),
        ],
        ['session limit: active sessions of a user', (s) => s.listActiveSessions(ids.userId)],
        ['refresh: the session by id, locked', (s) => s.lockSession(ids.sessionId)],
        [
          'logout scope "all": end a user\'s sessions',
          (s) => s.endSessions([{ target: { userId: ids.userId }, reason: 'logout_all' }]),
        ],
        [
          'start-up: sessions ended in the retention window',
          (s) => s.sessionsEndedSince(new Date(Date.now() - 960_000)),
        ],
        ['sweeper: expired sessions', (s) => s.lockExpiredSessions(500)],
        ['sweeper: idle sessions', (s) => s.lockIdleSessions(new Date(Date.now() - 14 * 86_400_000), 500)],
        [
          'gatehouse audit --user (actor or target)',
          (s) => s.listAuditEvents({ userId: ids.userId, limit: 50 }),
        ],
        ['gatehouse audit (newest)', (s) => s.listAuditEvents({ limit: 50 })],
      ];
      for (const [statement, run] of statements) {
        plans.length = 0;
        await run(store);
        const parts: string[] = [];
        const fullScans: string[] = [];
        let cost = 0;
        for (const plan of plans) {
          cost += plan['Total Cost'];
          walk(plan, (n) => {
            const on = n['Index Name'] ?? n['Relation Name'];
            parts.push(on ? `${n['Node Type']} (${on})` : n['Node Type']);
            if (n['Node Type'] === 'Seq Scan' && LARGE_TABLES.has(n['Relation Name'] ?? ''))
              fullScans.push(n['Relation Name'] as string);
          });
        }
        results.push({ statement, shape: parts.join(' > '), cost: Math.round(cost), fullScans });
      }
    });
    return results;
  } finally {
    await db.close();
  }
}
