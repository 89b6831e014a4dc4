import { randomUUID } from 'node:crypto';
import type { Config, LeaseConfig } from './config.js';
import { RevocationBarrier } from './domain/barrier.js';
import { type Context, createContext, type DomainSettings } from './domain/context.js';
import { SIGNING_ALG, SIGNING_ALGS } from './domain/keys.js';
import type { Database } from './storage/db.js';
import { createStore, type Store } from './storage/store.js';

/**
 * One setup of storage and the domain context, shared by the server, the CLI
 * and the tests, so that none of them maps the configuration differently
 * (the CLI once forgot REFRESH_REUSE_GRACE this way).
 */

/** The domain's settings, read from the configuration. */
export function domainSettings(config: Config): DomainSettings {
  return {
    accessTokenTtl: config.accessTokenTtl,
    sessionTtl: config.sessionTtl,
    refreshReuseGrace: config.refreshReuseGrace,
    policy: config.sessionPolicy,
    activityFlushMs: config.activityFlushMs,
    mail: { publicUrl: config.publicUrl, requireVerifiedEmail: config.requireVerifiedEmail },
    secondFactors: config.secondFactors,
    // ID and logout tokens may be RS256 (a client's choice, docs/oidc.md); the rest is EdDSA.
    signingAlgorithms: config.oidc ? SIGNING_ALGS : [SIGNING_ALG],
  };
}

/** The store on an open (migrated) database, and the context on that store. */
export async function openContext(
  db: Database,
  config: Config,
  /** What only one of them sets (the server on PostgreSQL: revocationsFromFeed). */
  overrides: Partial<DomainSettings> = {},
): Promise<{ store: Store; ctx: Context }> {
  const store = createStore(db);
  return { store, ctx: await createContext(store, { ...domainSettings(config), ...overrides }) };
}

/**
 * The revocation barrier of a process on a shared PostgreSQL (docs/api.md §6):
 * the server's, which also holds a lease, or the CLI's, which holds none but
 * waits for the instances' confirmations like any ending.
 */
export function revocationBarrier(
  store: Store,
  leases: LeaseConfig,
  opts: { id?: string; observe?: (seconds: number) => void } = {},
): RevocationBarrier {
  return new RevocationBarrier(store, {
    self: opts.id ?? randomUUID(),
    marginMs: leases.marginMs,
    // Past two leases and the margin, an unconfirmed ending means this process cannot reach the database.
    timeoutMs: Math.max(5000, 3 * leases.leaseMs + leases.marginMs),
    enabled: leases.barrier,
    ...(opts.observe ? { observe: opts.observe } : {}),
  });
}
