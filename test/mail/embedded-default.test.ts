import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatehouse, http, type ServerProcess, startServer } from '../cli/run-cli.js';
import { seededDataDir } from '../support/backends.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

/**
 * The embedded default with nothing installed (no MAIL_URL): a real server
 * process writes each mail to DATA_DIR/mail and logs its link; `gatehouse mail
 * list`, run beside it, shows the link; the link works. Forgot → reset, end to end.
 */
describe('account recovery on the embedded default, as an operator runs it', () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = await seededDataDir('mail');
    server = await startServer({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      PUBLIC_URL: 'http://id.example.test',
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The links `gatehouse mail list` shows for `email`, newest first, once `count` are there. */
  async function linksFor(email: string, count: number): Promise<string[]> {
    const deadline = performance.now() + 20_000;
    for (;;) {
      const r = await gatehouse(['mail', 'list', '--json'], { DATA_DIR: dataDir });
      expect(r.code, r.stderr).toBe(0);
      const { mails } = JSON.parse(r.stdout) as { mails: { to: string; link: string }[] };
      const links = mails.filter((m) => m.to === email).map((m) => m.link);
      if (links.length >= count) return links;
      if (performance.now() > deadline) throw new Error(`no mail for ${email}: ${r.stdout}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const tokenOf = (link: string) => link.replace(/^.*#(verify|reset)=/, '');

  it('register → the verification link from mail list → verified; forgot → reset link → new password, old sessions over', async () => {
    const email = 'ada@example.test';
    const password = 'correct horse battery staple';
    expect((await http(`${server.url}/auth/register`, { body: { email, password } })).status).toBe(201);
    const [verifyLink] = await linksFor(email, 1);
    expect(verifyLink).toMatch(/^http:\/\/id\.example\.test\/account#verify=/);
    // The server logged the same link, unredacted, for the operator.
    expect(server.output()).toContain(verifyLink);
    const verified = await http(`${server.url}/auth/email/verify`, { body: { token: tokenOf(verifyLink!) } });
    expect(verified).toMatchObject({ status: 200, body: { user: { email, emailVerified: true } } });

    const session = await http(`${server.url}/auth/login`, { body: { email, password } });
    expect(session.status).toBe(200);
    expect((await http(`${server.url}/auth/password/forgot`, { body: { email } })).status).toBe(202);
    const [resetLink] = await linksFor(email, 2);
    expect(resetLink).toMatch(/#reset=/);
    const newPassword = 'a brand new passphrase';
    const reset = await http(`${server.url}/auth/password/reset`, {
      body: { token: tokenOf(resetLink!), newPassword },
    });
    expect(reset.status).toBe(200);
    expect((await http(`${server.url}/auth/me`, { token: session.body.accessToken as string })).status).toBe(
      401,
    );
    expect((await http(`${server.url}/auth/login`, { body: { email, password: newPassword } })).status).toBe(
      200,
    );
    // Nothing secret but the links: no password reached the log.
    expect(server.output()).not.toContain(password);
    expect(server.output()).not.toContain(newPassword);
  });
});
