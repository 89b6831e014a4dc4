import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/domain/users.js';
import { MailDispatcher } from '../../src/jobs/mail-dispatcher.js';
import { readMailFiles } from '../../src/mail/mail-files.js';
import { requestPasswordReset, resetPassword } from '../../src/mail/password-reset.js';
import { fileTransport } from '../../src/mail/transport.js';
import { type CliResult, gatehouse, tempDir, withDomain } from './run-cli.js';

vi.setConfig({ testTimeout: 60_000 });

const dir = tempDir('mail-cli');
const env = { DATA_DIR: dir.path };
const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;
const PASSWORD = 'a long enough passphrase';
const ORIGIN = { ip: null, userAgent: 'test' };
const quiet = { info: () => {}, warn: () => {} };

/** Sends what is queued the way a server without MAIL_URL does: .eml files in DATA_DIR/mail. */
const sendQueued = () =>
  withDomain(dir.path, async (ctx) => {
    await ctx.mail.afterResponse.settled();
    const dispatcher = new MailDispatcher(
      ctx.store,
      fileTransport(dir.path, 'Gatehouse <no-reply@localhost>', quiet),
      { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 10, pollMs: 10, timeoutMs: 1000 },
      quiet,
    );
    while ((await dispatcher.dispatchOnce()) > 0);
  });

beforeAll(async () => {
  expect((await gatehouse(['migrate'], env)).code).toBe(0);
});
afterAll(() => dir.remove());

describe('gatehouse mail list', () => {
  it('says there is nothing yet', async () => {
    const r = await gatehouse(['mail', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No mails in .*mail\.\n$/);
  });

  it('without MAIL_URL: the .eml files in DATA_DIR/mail, newest first, with their links', async () => {
    await withDomain(dir.path, (ctx) =>
      register(ctx, { email: 'ada@example.test', password: PASSWORD }, ORIGIN),
    );
    await sendQueued();
    await new Promise((r) => setTimeout(r, 5)); // distinct file times
    await withDomain(dir.path, (ctx) =>
      register(ctx, { email: 'bob@example.test', password: PASSWORD }, ORIGIN),
    );
    await sendQueued();

    const r = await gatehouse(['mail', 'list', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const { source, mails } = json<{
      source: string;
      mails: { to: string; subject: string; link: string }[];
    }>(r);
    expect(source).toBe('files');
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      ['bob@example.test', 'Verify your email address'],
      ['ada@example.test', 'Verify your email address'],
    ]);
    for (const m of mails)
      expect(m.link).toMatch(/^http:\/\/localhost:3000\/account#verify=[A-Za-z0-9_-]{43}$/);

    const table = await gatehouse(['mail', 'list', '--limit', '1'], env);
    expect(table.stderr).toContain('MAIL_URL is not set');
    expect(table.stdout.split('\n')[0]).toMatch(/^DATE\s+TO\s+SUBJECT\s+LINK$/);
    expect(table.stdout).toContain(mails[0]!.link);
    expect(table.stdout).not.toContain('ada@example.test');
  });

  it('--outbox (or MAIL_URL set): the outbox, without bodies or links', async () => {
    await withDomain(dir.path, (ctx) =>
      register(ctx, { email: 'queued@example.test', password: PASSWORD }, ORIGIN),
    );
    const r = await gatehouse(['mail', 'list', '--outbox', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const { source, mails } = json<{ source: string; mails: Record<string, unknown>[] }>(r);
    expect(source).toBe('outbox');
    expect(mails[0]).toMatchObject({ to: 'queued@example.test', kind: 'verify_email', state: 'queued' });
    expect(mails.slice(1).map((m) => m.state)).toEqual(['sent', 'sent']);
    expect(r.stdout).not.toMatch(/#verify=/);
    const viaUrl = await gatehouse(['mail', 'list'], { ...env, MAIL_URL: 'smtp://127.0.0.1:9' });
    expect(viaUrl.code).toBe(0);
    expect(viaUrl.stdout).toMatch(/queued@example\.test\s+verify_email\s+queued/);
  });

  it('users set-password makes a mailed reset link invalid', async () => {
    await withDomain(dir.path, async (ctx) => {
      requestPasswordReset(ctx, 'ada@example.test', ORIGIN, quiet);
      await ctx.mail.afterResponse.settled();
    });
    await sendQueued();
    const [latest] = await readMailFiles(dir.path, 1);
    expect(latest?.subject).toBe('Reset your password');
    const token = /#reset=(.+)$/.exec(latest!.link!)![1]!;
    const set = await gatehouse(['users', 'set-password', '--user', 'ada@example.test'], {
      ...env,
      GATEHOUSE_PASSWORD: 'another long passphrase',
    });
    expect(set.code, set.stderr).toBe(0);
    await withDomain(dir.path, async (ctx) => {
      await expect(
        resetPassword(ctx, { token, newPassword: 'a third long passphrase' }, ORIGIN),
      ).rejects.toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
    });
  });
});
