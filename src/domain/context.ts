import { AfterResponse } from '../mail/deferred.js';
import { Metrics } from '../metrics.js';
import { DEFAULT_SECOND_FACTORS, type SecondFactorConfig } from '../mfa/model.js';
import { SessionActivity } from './activity.js';
import type { RevocationBarrier } from './barrier.js';
import { OutboxSignal } from './events.js';
import { GroupCommit } from './group-commit.js';
import { Keyring, type SigningAlg } from './keys.js';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './policy.js';
import { RevocationList } from './revocation.js';
import { type CommittedEnding, commitEndings, type Ending, endingBatches } from './session-ending.js';
import type { Store } from './store.js';
import { AccessTokens } from './tokens.js';

export interface DomainSettings {
  /** Access-token lifetime, seconds. */
  accessTokenTtl: number;
  /** Absolute session lifetime, seconds; refresh tokens expire with their session. */
  sessionTtl: number;
  /** REFRESH_REUSE_GRACE, seconds: a rotated refresh token gets its pair once more within it; 0 = off. */
  refreshReuseGrace?: number;
  /** docs/api.md §7; defaults (with `sessionTtl` as the absolute lifetime) for what is not given. */
  policy?: Partial<SessionPolicy>;
  /** SESSION_ACTIVITY_FLUSH_MS (default 30 s): the idle timeout must leave room for it. */
  activityFlushMs?: number;
  /**
   * The revocation feed (PostgreSQL) will load the sessions ended within the retention window
   * itself, once it listens: loading them here as well would read them twice at every start
   * (100,000 rows at a million users; docs/performance.md, "At scale").
   */
  revocationsFromFeed?: boolean;
  /** docs/api.md §8: TOTP issuer, WebAuthn RP ID and origins; PUBLIC_URL's defaults when absent. */
  secondFactors?: SecondFactorConfig;
  /** docs/api.md §8: where mailed links point (PUBLIC_URL), and REQUIRE_VERIFIED_EMAIL. */
  mail?: Partial<MailSettings>;
  /** The algorithms to keep a signing key for: EdDSA (the default) and, for the OpenID Provider, RS256. */
  signingAlgorithms?: readonly SigningAlg[];
}

export interface MailSettings {
  publicUrl: string;
  requireVerifiedEmail: boolean;
}

/** Everything a domain function needs, built once per process. */
export interface Context {
  store: Store;
  keys: Keyring;
  tokens: AccessTokens;
  revocations: RevocationList;
  settings: DomainSettings & {
    /** The policy in force: `basePolicy` with the stored settings over it (policy-settings.ts). */
    policy: SessionPolicy;
    /** The policy this instance's own configuration gives (its environment, or the defaults). */
    basePolicy: SessionPolicy;
    activityFlushMs: number;
    secondFactors: SecondFactorConfig;
  };
  /** Uses of sessions noted by authenticated requests, written in batches (activity.ts). */
  activity: SessionActivity;
  metrics: Metrics;
  /** Rings when an ending has committed webhook events (the dispatcher listens). */
  outbox: OutboxSignal;
  /** Endings waiting to share a transaction (`endSessions`, session-ending.ts). */
  endings: EndingQueue;
  /**
   * The revocation barrier (barrier.ts): set by the server on PostgreSQL,
   * where other instances must confirm an ending before it is answered.
   * Null on the embedded store (one instance) and in the CLI.
   */
  barrier: RevocationBarrier | null;
  /** Account recovery (src/mail/): its settings, and the work it does after answering. */
  mail: MailSettings & { afterResponse: AfterResponse };
  /**
   * Called after this process changed the stored policy, for whoever must apply it beyond the
   * NOTIFY that PostgreSQL delivers: the embedded store's server, when the CLI works through
   * its operator channel. Null otherwise.
   */
  policyChanged: (() => Promise<void>) | null;
}

/** Where `endSessions` sends an ending: this process's group commit, or (the CLI beside a running server) the server's. */
export interface EndingQueue {
  submit(ending: Ending): Promise<CommittedEnding>;
}

export async function createContext(store: Store, settings: DomainSettings): Promise<Context> {
  const keys = new Keyring(
    {
      listSigningKeys: () => store.listSigningKeys(),
      createSigningKey: (record, retireOthers) =>
        store.transaction(async (tx) => {
          await tx.lockSigningKeys();
          // A concurrent first start may have created one already: keep theirs.
          if (!retireOthers && (await tx.listSigningKeys()).some((k) => !k.retiredAt && k.alg === record.alg))
            return;
          await tx.insertSigningKey(record);
          if (retireOthers) await tx.retireSigningKeys(record.kid);
        }),
    },
    settings.accessTokenTtl,
    settings.signingAlgorithms,
  );
  await keys.init();
  const revocations = new RevocationList(settings.accessTokenTtl);
  // A freshly started instance must know every session ended within one
  // token lifetime before it accepts a single token.
  if (!settings.revocationsFromFeed)
    revocations.addSince(await store.sessionsEndedSince(new Date(Date.now() - revocations.retainMs)));
  const policy: SessionPolicy = {
    ...DEFAULT_SESSION_POLICY,
    absoluteTtl: settings.sessionTtl,
    shortTtl: Math.min(DEFAULT_SESSION_POLICY.shortTtl, settings.sessionTtl),
    idleTtl: Math.min(DEFAULT_SESSION_POLICY.idleTtl, settings.sessionTtl),
    ...settings.policy,
  };
  const ctx: Context = {
    store,
    keys,
    tokens: new AccessTokens(keys, settings.accessTokenTtl),
    revocations,
    settings: {
      ...settings,
      policy,
      basePolicy: policy,
      activityFlushMs: settings.activityFlushMs ?? 30_000,
      secondFactors: settings.secondFactors ?? DEFAULT_SECOND_FACTORS,
    },
    activity: new SessionActivity(),
    metrics: new Metrics(() => revocations.size),
    outbox: new OutboxSignal(),
    endings: new GroupCommit<Ending, CommittedEnding>(
      (batch) => commitEndings(ctx, batch),
      endingBatches(store.kind),
    ),
    barrier: null,
    mail: {
      publicUrl: 'http://localhost:3000',
      requireVerifiedEmail: false,
      ...settings.mail,
      afterResponse: new AfterResponse(),
    },
    policyChanged: null,
  };
  return ctx;
}
