/**
 * Session policy set at run time (`gatehouse policy set`, docs/api.md §7): stored in the
 * database, where every instance reads it, each setting overriding the environment variable
 * of the same name. An instance starts from its environment (or the defaults), lays the
 * stored settings over it, and does so again whenever the policy changes: on PostgreSQL it
 * hears a NOTIFY on its revocation feed (and re-reads on every reconnection, having perhaps
 * missed one); on the embedded store the change comes through the server's operator channel.
 */
import type { AdminActor } from './admin.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import {
  isPolicySetting,
  type PolicySetting,
  parseSessionPolicy,
  policyVariables,
  type SessionPolicy,
} from './policy.js';

export interface PolicyChange {
  setting: PolicySetting;
  /** The stored value before; null: none (the environment's, or the default). */
  from: string | null;
  /** The stored value after; null: removed. */
  to: string | null;
}

/** A request to change: a new value as the variable would hold it, or null to remove the stored one. */
export interface PolicyEdit {
  setting: PolicySetting;
  value: string | null;
}

/**
 * The policy with `stored` laid over this instance's own. Problems name the setting, and say
 * when its value is the stored one (an operator fixes it with the CLI, not in the environment).
 */
export function resolvePolicy(
  ctx: Pick<Context, 'settings'>,
  stored: readonly { name: string; value: string }[],
): { policy: SessionPolicy; problems: string[] } {
  const values: Record<string, string> = policyVariables(ctx.settings.basePolicy);
  const storedNames = new Set<string>();
  for (const s of stored)
    if (isPolicySetting(s.name)) {
      values[s.name] = s.value;
      storedNames.add(s.name);
    }
  const { policy, problems } = parseSessionPolicy(values, {
    accessTokenTtl: ctx.settings.accessTokenTtl,
    activityFlushMs: ctx.settings.activityFlushMs,
  });
  return {
    policy,
    problems: problems.map((p) => {
      const name = /^[A-Z_]+/.exec(p)?.[0];
      return name && storedNames.has(name) ? `${p} (stored by gatehouse policy set)` : p;
    }),
  };
}

/**
 * Reads the stored settings and, if together with this instance's own they make a valid
 * policy, applies it. Otherwise the policy in force stays, and the problems are returned
 * (a start refuses them; a running instance logs them).
 */
export async function applyStoredPolicy(
  ctx: Context,
): Promise<{ policy: SessionPolicy; problems: string[] }> {
  const resolved = resolvePolicy(ctx, await ctx.store.listPolicySettings());
  if (resolved.problems.length === 0) ctx.settings.policy = resolved.policy;
  return resolved;
}

/**
 * Stores the edits, validated as one with the settings already stored (in a transaction,
 * the settings locked, so two operators cannot each make half of an invalid policy), writes
 * a `policy.changed` audit event naming each change, and tells every instance. A value is
 * stored as the policy reads it ("0300" as "300"). Edits that change nothing write nothing.
 */
export async function setPolicy(
  ctx: Context,
  edits: readonly PolicyEdit[],
  actor: AdminActor,
): Promise<{ policy: SessionPolicy; changes: PolicyChange[] }> {
  if (edits.length === 0) throw new AppError('VALIDATION_ERROR', 'Name at least one setting to change');
  const result = await ctx.store.transaction(async (tx) => {
    await tx.lockPolicySettings();
    const before = new Map((await tx.listPolicySettings()).map((s) => [s.name, s.value]));
    const after = new Map(before);
    for (const e of edits) {
      if (e.value === null) after.delete(e.setting);
      else after.set(e.setting, e.value.trim());
    }
    const { policy, problems } = resolvePolicy(
      ctx,
      [...after].map(([name, value]) => ({ name, value })),
    );
    if (problems.length > 0)
      throw new AppError('VALIDATION_ERROR', problems.join('; '), {
        details: problems.map((message) => ({ path: `/${/^[A-Z_]+/.exec(message)?.[0] ?? ''}`, message })),
      });
    const canonical = policyVariables(policy);
    const changes: PolicyChange[] = [];
    for (const e of edits) {
      const from = before.get(e.setting) ?? null;
      const to = e.value === null ? null : canonical[e.setting];
      if (from === to) continue;
      if (to === null) await tx.deletePolicySetting(e.setting);
      else await tx.putPolicySetting(e.setting, to, actor.operator);
      changes.push({ setting: e.setting, from, to });
    }
    if (changes.length > 0) {
      await tx.insertAuditEvent({
        action: 'policy.changed',
        reason: null,
        actorUserId: null,
        targetUserId: null,
        sessionIds: [],
        ...actor.origin,
        details: { operator: actor.operator, changes },
      });
      // Delivered to every instance's feed when, and only if, this commits.
      await tx.notifyPolicyChanged();
    }
    return { policy, changes };
  });
  if (result.changes.length > 0) {
    ctx.settings.policy = result.policy;
    await ctx.policyChanged?.();
  }
  return result;
}
