import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      dataDir: './data',
      databaseUrl: undefined,
      accessTokenTtl: 900,
      sessionTtl: 2_592_000,
      rateLimits: { enabled: true },
      admin: undefined,
    });
  });

  it('reads every variable it documents', () => {
    const c = loadConfig({
      PORT: '8080',
      DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u@h/db',
      ACCESS_TOKEN_TTL: '60',
      REFRESH_TOKEN_TTL: '3600',
      RATE_LIMITS: 'off',
      RATE_LIMIT_PER_IP: '5',
      REDIS_COMMAND_TIMEOUT_MS: '2000',
      BODY_LIMIT: '2048',
      ADMIN_EMAIL: 'a@b.test',
      ADMIN_PASSWORD: 'pw',
    });
    expect(c).toMatchObject({
      port: 8080,
      dataDir: '/tmp/x',
      databaseUrl: 'postgres://u@h/db',
      accessTokenTtl: 60,
      sessionTtl: 3600,
      rateLimits: { enabled: false, perIp: 5, redisCommandTimeoutMs: 2000 },
      bodyLimit: 2048,
      admin: { email: 'a@b.test', password: 'pw' },
    });
  });

  it('names every wrong variable at once, with what it expected', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        REDIS_COMMAND_TIMEOUT_MS: '0',
        RATE_LIMITS: 'maybe',
        DATABASE_URL: 'mysql://x',
        ADMIN_EMAIL: 'a@b.test',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(problems.join('\n')).toMatch(/REDIS_COMMAND_TIMEOUT_MS must be a whole number from 10 to 60000/);
    expect(problems.join('\n')).toMatch(/RATE_LIMITS must be "on" or "off"/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL must start with postgres/);
    expect(problems.join('\n')).toMatch(/ADMIN_EMAIL and ADMIN_PASSWORD must be set together/);
  });

  it('refuses a refresh lifetime shorter than the access-token lifetime', () => {
    expect(() => loadConfig({ ACCESS_TOKEN_TTL: '600', REFRESH_TOKEN_TTL: '300' })).toThrow(
      /REFRESH_TOKEN_TTL/,
    );
  });
});

describe('loadConfig: leases and the revocation barrier', () => {
  it('has defaults: a 1 s lease renewed every 250 ms, a 100 ms margin, the barrier on', () => {
    expect(loadConfig({}).leases).toEqual({
      leaseMs: 1000,
      renewMs: 250,
      marginMs: 100,
      barrier: true,
      address: undefined,
    });
  });

  it('refuses a renewal interval not shorter than the lease, naming both variables', () => {
    for (const env of [
      { LEASE_MS: '1000', LEASE_RENEW_MS: '1000' },
      { LEASE_MS: '500', LEASE_RENEW_MS: '800' },
    ]) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        `LEASE_RENEW_MS (${env.LEASE_RENEW_MS}) must be shorter than LEASE_MS (${env.LEASE_MS}); renew well before the lease lapses, e.g. a quarter of it`,
      ]);
    }
  });

  it('refuses lease settings out of range or not numbers, and a barrier switch that is not on/off', () => {
    expect(() => loadConfig({ LEASE_MS: '50' })).toThrow(/LEASE_MS must be a whole number from 100 to 60000/);
    expect(() => loadConfig({ LEASE_RENEW_MS: 'soon' })).toThrow(/LEASE_RENEW_MS must be a whole number/);
    expect(() => loadConfig({ LEASE_MARGIN_MS: '-1' })).toThrow(/LEASE_MARGIN_MS must be a whole number/);
    expect(() => loadConfig({ REVOCATION_BARRIER: 'maybe' })).toThrow(
      /REVOCATION_BARRIER must be "on" or "off"/,
    );
  });

  it('takes tuned values and the unsafe switch', () => {
    expect(
      loadConfig({
        LEASE_MS: '2000',
        LEASE_RENEW_MS: '400',
        REVOCATION_BARRIER: 'off',
        INSTANCE_ADDRESS: 'a:1',
      }).leases,
    ).toEqual({ leaseMs: 2000, renewMs: 400, marginMs: 100, barrier: false, address: 'a:1' });
  });
});

describe('loadConfig: webhooks and the expiry sweep', () => {
  it('has defaults: no endpoint, 15 attempts, 5 s timeout, a sweep a minute', () => {
    expect(loadConfig({})).toMatchObject({
      webhooks: {
        endpoint: undefined,
        maxAttempts: 15,
        timeoutMs: 5000,
        retryBaseMs: 10_000,
        retryMaxMs: 3_600_000,
        pollMs: 500,
      },
      sessionSweepMs: 60_000,
    });
  });

  it('reads WEBHOOK_* and SESSION_SWEEP_INTERVAL_MS', () => {
    const c = loadConfig({
      WEBHOOK_DELIVERY_RETENTION: '3600',
      WEBHOOK_PRUNE_INTERVAL_MS: '0',
      WEBHOOK_URL: 'https://hooks.example.test/gatehouse',
      WEBHOOK_SECRET: 'whsec_0123456789abcdef',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: '250',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '1000',
      WEBHOOK_POLL_MS: '50',
      SESSION_SWEEP_INTERVAL_MS: '0',
    });
    expect(c.webhooks).toMatchObject({
      endpoint: { url: 'https://hooks.example.test/gatehouse', secret: 'whsec_0123456789abcdef' },
      maxAttempts: 3,
      timeoutMs: 250,
      retryBaseMs: 100,
      retryMaxMs: 1000,
      pollMs: 50,
      retentionMs: 3_600_000,
      pruneMs: 0,
      allowPrivate: false,
    });
    expect(c.sessionSweepMs).toBe(0);
  });

  it.each([
    [{ WEBHOOK_URL: 'https://h.example.test/' }, 'WEBHOOK_URL and WEBHOOK_SECRET must be set together'],
    [{ WEBHOOK_SECRET: 'whsec_0123456789abcdef' }, 'WEBHOOK_URL and WEBHOOK_SECRET must be set together'],
    [{ WEBHOOK_URL: 'hooks.example.test', WEBHOOK_SECRET: 'whsec_0123456789abcdef' }, /WEBHOOK_URL must be/],
    [
      { WEBHOOK_URL: 'https://h.example.test/', WEBHOOK_SECRET: 'short' },
      /WEBHOOK_SECRET must be at least 16/,
    ],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, /WEBHOOK_MAX_ATTEMPTS must be a whole number from 1 to 100/],
    [
      { WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' },
      /WEBHOOK_RETRY_MAX_MS must not be less/,
    ],
  ])('names the problem with %o', (env, message) => {
    try {
      loadConfig(env as Record<string, string>);
      expect.unreachable('loadConfig accepted it');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(
        problems.some((p) => (typeof message === 'string' ? p === message : message.test(p))),
        problems.join('\n'),
      ).toBe(true);
    }
  });
});

describe('session policy variables (docs/api.md §7)', () => {
  it('defaults: 30 d absolute, 14 d idle, 12 h short, no limit, evict_oldest, 10 min fresh', () => {
    expect(loadConfig({}).sessionPolicy).toEqual({
      absoluteTtl: 2_592_000,
      idleTtl: 1_209_600,
      shortTtl: 43_200,
      maxPerUser: null,
      limitPolicy: 'evict_oldest',
      freshAuthMaxAge: 600,
    });
    expect(loadConfig({}).activityFlushMs).toBe(30_000);
    // Memory given back after 5 s of quiet following work (src/jobs/memory-trim.ts); 0 turns it off.
    expect(loadConfig({}).memoryTrimIdleMs).toBe(5000);
    expect(loadConfig({ MEMORY_TRIM_IDLE_MS: '0' }).memoryTrimIdleMs).toBe(0);
  });

  it('reads every one', () => {
    const c = loadConfig({
      SESSION_ABSOLUTE_TTL: '86400',
      SESSION_IDLE_TTL: '3600',
      SESSION_SHORT_TTL: '7200',
      MAX_SESSIONS_PER_USER: '5',
      SESSION_LIMIT_POLICY: 'deny',
      FRESH_AUTH_MAX_AGE: '300',
      SESSION_ACTIVITY_FLUSH_MS: '5000',
    });
    expect(c.sessionPolicy).toEqual({
      absoluteTtl: 86_400,
      idleTtl: 3600,
      shortTtl: 7200,
      maxPerUser: 5,
      limitPolicy: 'deny',
      freshAuthMaxAge: 300,
    });
    expect(c.sessionTtl).toBe(86_400);
    expect(c.activityFlushMs).toBe(5000);
    expect(loadConfig({ MAX_SESSIONS_PER_USER: 'unlimited' }).sessionPolicy.maxPerUser).toBeNull();
  });

  it('keeps REFRESH_TOKEN_TTL working as the former name of SESSION_ABSOLUTE_TTL', () => {
    const c = loadConfig({ REFRESH_TOKEN_TTL: '86400' });
    expect(c.sessionPolicy.absoluteTtl).toBe(86_400);
    expect(c.sessionTtl).toBe(86_400);
    expect(loadConfig({ REFRESH_TOKEN_TTL: '86400', SESSION_ABSOLUTE_TTL: '86400' }).sessionTtl).toBe(86_400);
  });

  it.each([
    [
      { SESSION_LIMIT_POLICY: 'oldest' },
      /SESSION_LIMIT_POLICY must be one of evict_oldest, deny \(got "oldest"\)/,
    ],
    [{ MAX_SESSIONS_PER_USER: '0' }, /MAX_SESSIONS_PER_USER must be a whole number from 1/],
    [{ MAX_SESSIONS_PER_USER: 'many' }, /MAX_SESSIONS_PER_USER must be a whole number/],
    [{ SESSION_IDLE_TTL: 'soon' }, /SESSION_IDLE_TTL must be a whole number/],
    [
      { SESSION_IDLE_TTL: '600' },
      /SESSION_IDLE_TTL must be at least ACCESS_TOKEN_TTL plus SESSION_ACTIVITY_FLUSH_MS/,
    ],
    [{ SESSION_SHORT_TTL: '100' }, /SESSION_SHORT_TTL must not be shorter than ACCESS_TOKEN_TTL/],
    [
      { SESSION_ABSOLUTE_TTL: '3600', SESSION_SHORT_TTL: '7200' },
      /SESSION_SHORT_TTL must not be longer than SESSION_ABSOLUTE_TTL/,
    ],
    [
      { SESSION_ABSOLUTE_TTL: '3600', REFRESH_TOKEN_TTL: '7200' },
      /SESSION_ABSOLUTE_TTL and REFRESH_TOKEN_TTL/,
    ],
    [{ FRESH_AUTH_MAX_AGE: '-1' }, /FRESH_AUTH_MAX_AGE must be a whole number/],
    [{ SESSION_ACTIVITY_FLUSH_MS: '0' }, /SESSION_ACTIVITY_FLUSH_MS must be a whole number from 100/],
    [{ MEMORY_TRIM_IDLE_MS: 'soon' }, /MEMORY_TRIM_IDLE_MS must be a whole number from 0/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: mail and recovery (docs/api.md §8)', () => {
  it('defaults: no MAIL_URL (.eml files), PUBLIC_URL on localhost, From at its host, verification not required', () => {
    expect(loadConfig({ PORT: '8080' })).toMatchObject({
      publicUrl: 'http://localhost:8080',
      requireVerifiedEmail: false,
      mail: {
        url: undefined,
        from: 'Gatehouse <no-reply@localhost>',
        maxAttempts: 30,
        retryBaseMs: 30_000,
        retryMaxMs: 3_600_000,
        retentionMs: 7 * 86_400_000,
      },
      rateLimits: { mailPerAddress: 5, mailWindowMs: 3_600_000 },
    });
  });

  it('reads MAIL_URL (smtp:// and smtps://), MAIL_FROM, PUBLIC_URL (trailing slash dropped), REQUIRE_VERIFIED_EMAIL', () => {
    const c = loadConfig({
      MAIL_URL: 'smtps://u:p@mail.example.com:465',
      MAIL_FROM: 'ID <id@example.com>',
      PUBLIC_URL: 'https://example.com/auth/',
      REQUIRE_VERIFIED_EMAIL: 'on',
      RATE_LIMIT_MAIL_PER_ADDRESS: '3',
    });
    expect(c).toMatchObject({
      publicUrl: 'https://example.com/auth',
      requireVerifiedEmail: true,
      mail: { url: 'smtps://u:p@mail.example.com:465', from: 'ID <id@example.com>' },
      rateLimits: { mailPerAddress: 3 },
    });
    expect(loadConfig({ PUBLIC_URL: 'https://id.example.com' }).mail.from).toBe(
      'Gatehouse <no-reply@id.example.com>',
    );
    expect(loadConfig({ MAIL_URL: 'smtp://127.0.0.1:25' }).mail.url).toBe('smtp://127.0.0.1:25');
  });

  it('names a wrong MAIL_URL, MAIL_FROM (a line break is header injection) and PUBLIC_URL', () => {
    let error: unknown;
    try {
      loadConfig({
        MAIL_URL: 'http://mail.example.com',
        MAIL_FROM: 'a@b.test\r\nBcc: everyone@example.com',
        PUBLIC_URL: 'https://example.com/?x=1',
        MAIL_RETRY_BASE_MS: '5000',
        MAIL_RETRY_MAX_MS: '1000',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/MAIL_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(problems).toMatch(/MAIL_FROM must be an address/);
    expect(problems).toMatch(
      /PUBLIC_URL must be an http:\/\/ or https:\/\/ URL without credentials, query or fragment/,
    );
    expect(problems).toMatch(/MAIL_RETRY_MAX_MS must not be less than MAIL_RETRY_BASE_MS/);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL must be an absolute/);
  });
});

describe('loadConfig: OIDC_ISSUER (docs/oidc.md)', () => {
  it('is off by default, and the origin when set (a trailing slash dropped)', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(loadConfig({ OIDC_ISSUER: 'https://id.example.com/' }).oidc).toEqual({
      issuer: 'https://id.example.com',
    });
    expect(loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:3000' }).oidc).toEqual({
      issuer: 'http://127.0.0.1:3000',
    });
  });

  it.each([
    ['http://id.example.com', /https:\/\/, or http:\/\/ only on a loopback host/],
    ['https://id.example.com/auth', /no path, query, fragment or credentials/],
    ['https://id.example.com/?x=1', /no path, query, fragment or credentials/],
    ['https://id.example.com/#x', /no path, query, fragment or credentials/],
    ['id.example.com', /must be this server's public origin/],
  ])('refuses %s, naming the variable', (value, message) => {
    expect(() => loadConfig({ OIDC_ISSUER: value })).toThrow(message);
    expect(() => loadConfig({ OIDC_ISSUER: value })).toThrow(/OIDC_ISSUER/);
  });
});

describe('second factors: PUBLIC_URL, WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS, TOTP_ISSUER', () => {
  it('derives the RP ID and the one origin from PUBLIC_URL (default http://localhost:PORT)', () => {
    expect(loadConfig({ PORT: '8080' })).toMatchObject({
      publicUrl: 'http://localhost:8080',
      secondFactors: {
        rpId: 'localhost',
        origins: ['http://localhost:8080'],
        totpIssuer: 'Gatehouse',
        rpName: 'Gatehouse',
      },
    });
    expect(loadConfig({ PUBLIC_URL: 'https://auth.example.com/' }).secondFactors).toEqual({
      rpId: 'auth.example.com',
      origins: ['https://auth.example.com'],
      totpIssuer: 'Gatehouse',
      rpName: 'Gatehouse',
    });
  });

  it('takes a parent domain as RP ID and a list of origins under it', () => {
    const c = loadConfig({
      PUBLIC_URL: 'https://auth.example.com',
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_ORIGINS: 'https://app.example.com, https://example.com:8443',
      TOTP_ISSUER: 'Example',
      WEBAUTHN_RP_NAME: 'Example sign-in',
    });
    expect(c.secondFactors).toEqual({
      rpId: 'example.com',
      origins: ['https://app.example.com', 'https://example.com:8443'],
      totpIssuer: 'Example',
      rpName: 'Example sign-in',
    });
  });

  it.each([
    [{ PUBLIC_URL: 'auth.example.com' }, /PUBLIC_URL must be an absolute http:\/\/ or https:\/\/ URL/],
    [{ PUBLIC_URL: 'ftp://auth.example.com' }, /PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/],
    [
      { PUBLIC_URL: 'https://auth.example.com', WEBAUTHN_RP_ID: 'other.com' },
      /WEBAUTHN_RP_ID "other.com" must be the host/,
    ],
    [{ PUBLIC_URL: 'https://example.com', WEBAUTHN_RP_ID: 'auth.example.com' }, /WEBAUTHN_RP_ID/],
    [{ WEBAUTHN_RP_ID: 'https://example.com' }, /WEBAUTHN_RP_ID must be a domain name/],
    [{ WEBAUTHN_ORIGINS: 'https://a.localhost/path' }, /WEBAUTHN_ORIGINS entries must be origins/],
    [{ WEBAUTHN_ORIGINS: 'not a url' }, /WEBAUTHN_ORIGINS must be a comma-separated list/],
    [{ WEBAUTHN_ORIGINS: 'https://evil.test' }, /https:\/\/evil.test is not/],
    [{ TOTP_ISSUER: 'Acme: Inc' }, /TOTP_ISSUER must be/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
