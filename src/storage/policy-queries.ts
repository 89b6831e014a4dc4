import type { PolicyQueries, StoredPolicySetting } from '../domain/store.js';
import type { Sql } from './db.js';

/** Every instance LISTENs here (revocation-feed.ts) and re-reads the policy when it hears it. */
export const POLICY_CHANNEL = 'gatehouse_policy_changed';

type Row = Record<string, unknown>;

const toSetting = (r: Row): StoredPolicySetting => ({
  name: r.name as string,
  value: r.value as string,
  updatedAt: r.updated_at as Date,
  updatedBy: (r.updated_by as string | null) ?? null,
});

export function policyQueries(sql: Sql): PolicyQueries {
  return {
    listPolicySettings: async () =>
      (
        await sql.query<Row>('SELECT name, value, updated_at, updated_by FROM policy_settings ORDER BY name')
      ).map(toSetting),
    lockPolicySettings: async () => {
      // Two operators setting the policy at once: one after the other, each validating the other's result.
      await sql.query('LOCK TABLE policy_settings IN SHARE ROW EXCLUSIVE MODE');
    },
    putPolicySetting: async (name, value, updatedBy) => {
      await sql.query(
        `INSERT INTO policy_settings (name, value, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [name, value, updatedBy],
      );
    },
    deletePolicySetting: async (name) => {
      await sql.query('DELETE FROM policy_settings WHERE name = $1', [name]);
    },
    notifyPolicyChanged: async () => {
      await sql.query('SELECT pg_notify($1, $2)', [POLICY_CHANNEL, '']);
    },
  };
}
