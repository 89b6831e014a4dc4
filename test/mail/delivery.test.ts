import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startBackgroundJobs } from '../../src/jobs/background.js';
import { MailDispatcher } from '../../src/jobs/mail-dispatcher.js';
import { loggerOptions } from '../../src/log.js';
import { passwordResetMessage } from '../../src/mail/messages.js';
import { fileTransport, smtpTransport } from '../../src/mail/transport.js';
import { backends } from '../support/backends.js';
import { register, startTestApp, type TestApp, testConfig, uniqueEmail } from '../support/harness.js';
import { mailerFor, quietJobLog } from '../support/mail.js';
import { memoryLog } from '../support/memory-log.js';
import { SmtpSink } from '../support/smtp-sink.js';

const PUBLIC_URL = 'https://id.example.test/gh';
const MAIL_FROM = 'Example ID <no-reply@example.test>';

describe.each(backends)('mail delivery through the outbox on $name', (backend) => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp(backend, { PUBLIC_URL, MAIL_FROM, MAIL_URL: sink.url });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  beforeEach(async () => {
    // Whatever an earlier test left queued is sent now, so each test counts its own.
    await mailerFor(t, sink).deliver();
    sink.received.length = 0;
  });

  it('sends the verification of a registration over SMTP: From, To, subject, text and HTML parts, a PUBLIC_URL link', async () => {
    const user = await register(t, uniqueEmail(), undefined, 'Ada');
    expect(await mailerFor(t, sink).deliver()).toBe(1);
    const [mail] = sink.to(user.email);
    expect(mail).toBeDefined();
    expect(mail!.envelope.from).toBe('no-reply@example.test');
    expect(mail!.from).toBe('"Example ID" <no-reply@example.test>');
    expect(mail!.subject).toBe('Verify your email address');
    expect(mail!.text).toContain('Hello Ada,');
    expect(mail!.link).toMatch(/^https:\/\/id\.example\.test\/gh\/account#verify=[A-Za-z0-9_-]{43}$/);
    expect(mail!.text).toContain(mail!.link);
    // The HTML part links the same address, escaped as HTML.
    expect(mail!.html).toContain(`href="${mail!.link}"`);
    expect(mail!.parsed.attachments).toEqual([]);
  });

  it('sends with the credentials in MAIL_URL (AUTH), and a wrong password is an error kept for a retry', async () => {
    const wrong = smtpTransport({
      url: sink.url.replace(':pass@', ':nope@'),
      from: MAIL_FROM,
      timeoutMs: 2000,
    });
    const message = passwordResetMessage(uniqueEmail(), null, `${PUBLIC_URL}/account#reset=x`);
    await expect(wrong.send(message)).rejects.toThrow(/Invalid login|535/);
    wrong.close();
    expect(sink.received).toHaveLength(0);
  });

  it('clears the body of a sent message (the link lives in the outbox only until delivered)', async () => {
    const user = await register(t);
    const before = await t.store.listMails(1);
    expect(before[0]).toMatchObject({ to: user.email, kind: 'verify_email', state: 'queued', attempts: 0 });
    const rowBefore = await t.database.db.query<{ body: unknown }>(
      'SELECT body FROM mail_outbox WHERE id = $1',
      [before[0]!.id],
    );
    expect(JSON.stringify(rowBefore[0]!.body)).toMatch(/#verify=/);
    await mailerFor(t, sink).deliver();
    const after = await t.store.listMails(1);
    expect(after[0]).toMatchObject({ id: before[0]!.id, state: 'sent', attempts: 1, lastError: null });
    const rowAfter = await t.database.db.query<{ body: unknown }>(
      'SELECT body FROM mail_outbox WHERE id = $1',
      [before[0]!.id],
    );
    expect(rowAfter[0]!.body).toBeNull();
  });

  it('keeps messages while the mail server is down and sends every one, once, when it is back', async () => {
    const down = await SmtpSink.down();
    const mailer = mailerFor(t, down);
    const emails = [uniqueEmail('down'), uniqueEmail('down'), uniqueEmail('down')];
    for (const email of emails) await register(t, email);
    expect(await mailer.deliver()).toBe(0);
    const queued = (await t.store.listMails(3)).filter((m) => emails.includes(m.to));
    expect(queued).toHaveLength(3);
    for (const m of queued) {
      expect(m.state).toBe('queued');
      expect(m.attempts).toBeGreaterThanOrEqual(1);
      expect(m.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    }
    // Nothing is due again until the retry delay has passed (the database's clock).
    await new Promise((r) => setTimeout(r, 50));
    await down.listen();
    try {
      expect(await mailer.deliver()).toBe(3);
      expect(down.received.map((m) => m.envelope.to[0]).sort()).toEqual([...emails].sort());
      const sent = (await t.store.listMails(3)).filter((m) => emails.includes(m.to));
      expect(sent.map((m) => m.state)).toEqual(['sent', 'sent', 'sent']);
      expect(await mailer.deliver()).toBe(0);
      expect(down.received).toHaveLength(3);
    } finally {
      await down.stop();
    }
  });

  it('gives a message up (dead, body cleared) after MAIL_MAX_ATTEMPTS failures', async () => {
    const down = await SmtpSink.down();
    const dispatcher = new MailDispatcher(
      t.store,
      smtpTransport({ url: down.url, from: MAIL_FROM, timeoutMs: 2000 }),
      { maxAttempts: 2, retryBaseMs: 10, retryMaxMs: 10, pollMs: 10, timeoutMs: 2000 },
      quietJobLog,
    );
    const user = await register(t);
    await dispatcher.dispatchOnce();
    await new Promise((r) => setTimeout(r, 50));
    await dispatcher.dispatchOnce();
    const [mail] = (await t.store.listMails(10)).filter((m) => m.to === user.email);
    expect(mail).toMatchObject({ state: 'dead', attempts: 2 });
    const row = await t.database.db.query<{ body: unknown }>('SELECT body FROM mail_outbox WHERE id = $1', [
      mail!.id,
    ]);
    expect(row[0]!.body).toBeNull();
    expect(dispatcher.stats).toEqual({ sent: 0, retried: 1, dead: 1 });
  });

  it('delivers on its own once started, woken by the outbox signal', async () => {
    const dispatcher = new MailDispatcher(
      t.store,
      smtpTransport({ url: sink.url, from: MAIL_FROM, timeoutMs: 2000 }),
      { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 10, pollMs: 60_000, timeoutMs: 2000 },
      quietJobLog,
    );
    const off = t.ctx.outbox.onWritten(() => dispatcher.wake());
    dispatcher.start();
    try {
      await new Promise((r) => setTimeout(r, 100)); // its first pass, which finds nothing
      const user = await register(t);
      await sink.waitFor(1);
      expect(sink.received[0]!.envelope.to).toEqual([user.email]);
    } finally {
      off();
      await dispatcher.stop();
    }
  });

  it('prunes sent messages past the retention, and expired tokens, but nothing still queued', async () => {
    await register(t);
    await mailerFor(t, sink).deliver();
    await register(t); // queued, not sent
    const future = new Date(Date.now() + 3600_000);
    const pruned = await t.store.pruneMails(future);
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await t.store.listMails(100);
    expect(left.every((m) => m.state === 'queued')).toBe(true);
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(await t.store.pruneEmailTokens(new Date(Date.now() + 2 * 86_400_000))).toBeGreaterThanOrEqual(2);
  });
});

describe('without MAIL_URL: .eml files in DATA_DIR/mail and one log line', () => {
  it('writes the whole message as a 0600 .eml file and logs where it is and its link, nothing else secret', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-mail-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const transport = fileTransport(dataDir, MAIL_FROM, {
      info: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }),
    });
    const link = `${PUBLIC_URL}/account#reset=${'A'.repeat(43)}`;
    await transport.send(passwordResetMessage('ada@example.test', 'Ada', link));
    const files = readdirSync(join(dataDir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T.*\.eml$/);
    const file = join(dataDir, 'mail', files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const parsed = await simpleParser(readFileSync(file));
    expect(parsed.subject).toBe('Reset your password');
    expect(parsed.text).toContain(link);
    expect(parsed.html).toContain(`href="${link}"`);
    expect(lines).toEqual([
      {
        obj: { to: 'ada@example.test', subject: 'Reset your password', link, file },
        msg: 'mail written to DATA_DIR/mail (MAIL_URL is not set)',
      },
    ]);
    transport.close();
  });
});

describe.each(backends)("the server's background jobs deliver mail on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { PUBLIC_URL });
  });
  afterAll(() => t.close());

  it('with MAIL_URL: over SMTP, without anyone driving the dispatcher', async () => {
    const sink = await SmtpSink.start();
    const jobs = await startBackgroundJobs(t.ctx, testConfig({ MAIL_URL: sink.url }), quietJobLog);
    try {
      const user = await register(t);
      await sink.waitFor(1);
      expect(sink.received[0]?.envelope.to).toEqual([user.email]);
      const deadline = performance.now() + 5000;
      let metric = '';
      while (!metric.includes('result="sent"') && performance.now() < deadline) {
        metric = await t.ctx.metrics.registry.getSingleMetricAsString('gatehouse_mails_total');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(metric).toContain('gatehouse_mails_total{kind="verify_email",result="sent"} 1');
    } finally {
      await jobs.stop();
      await sink.stop();
    }
  });

  it("without MAIL_URL: a .eml file in DATA_DIR/mail and a log line with the link, through the server's own logger", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-mail-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const log = memoryLog();
    // The server's logger options, redaction included: the link must survive it.
    const logger = pino(loggerOptions('info'), log.stream);
    const jobs = await startBackgroundJobs(t.ctx, testConfig({ DATA_DIR: dataDir, PUBLIC_URL }), logger);
    try {
      const user = await register(t);
      const deadline = performance.now() + 10_000;
      while (!log.lines.some((l) => l.to === user.email) && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const line = log.lines.find((l) => l.to === user.email);
      expect(line).toMatchObject({
        level: 30,
        msg: 'mail written to DATA_DIR/mail (MAIL_URL is not set)',
        subject: 'Verify your email address',
        link: expect.stringMatching(/^https:\/\/id\.example\.test\/gh\/account#verify=[A-Za-z0-9_-]{43}$/),
      });
      expect(readFileSync(line!.file as string, 'utf8')).toContain('Verify your email address');
      expect(
        log.lines.some(
          (l) => l.msg === 'MAIL_URL is not set: mail is written as .eml files, and its links logged',
        ),
      ).toBe(true);
      // Nothing else secret: no password, no hash, no "[redacted]" hiding the link.
      const all = JSON.stringify(log.lines);
      expect(all).not.toMatch(/argon2|correct horse|\[redacted\]/);
    } finally {
      await jobs.stop();
    }
  });
});
