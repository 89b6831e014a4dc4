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
      rateLimits: { enabled: false, perIp: 5 },
      bodyLimit: 2048,
      admin: { email: 'a@b.test', password: 'pw' },
    });
  });

  it('names every wrong variable at once, with what it expected', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        RATE_LIMITS: 'maybe',
        DATABASE_URL: 'mysql://x',
        ADMIN_EMAIL: 'a@b.test',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
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
