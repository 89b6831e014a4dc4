import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature, webhookUrlProblem } from '../../src/domain/events.js';

const SECRET = 'whsec_0123456789abcdef';
const BODY = '{"id":"e1","type":"session.ended"}';

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256, Stripe-style', () => {
    const now = 1_700_000_000_123;
    const header = signatureHeader(SECRET, BODY, now);
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature(SECRET, header, BODY, { now })).toBe(true);
  });

  it('refuses another body, another secret, a missing or garbled header', () => {
    const header = signatureHeader(SECRET, BODY);
    expect(verifySignature(SECRET, header, `${BODY} `)).toBe(false);
    expect(verifySignature(`${SECRET}x`, header, BODY)).toBe(false);
    expect(verifySignature(SECRET, undefined, BODY)).toBe(false);
    expect(verifySignature(SECRET, 'v1=abc', BODY)).toBe(false);
    expect(verifySignature(SECRET, header.replace(/v1=\w+/, 'v1=zz'), BODY)).toBe(false);
    expect(verifySignature(SECRET, header.replace(/t=\d+/, 't=1'), BODY)).toBe(false);
  });

  it('refuses a signature older (or newer) than the tolerance: a replay', () => {
    const signedAt = Date.now() - 10 * 60_000;
    const header = signatureHeader(SECRET, BODY, signedAt);
    expect(verifySignature(SECRET, header, BODY)).toBe(false);
    expect(verifySignature(SECRET, header, BODY, { toleranceSeconds: 3600 })).toBe(true);
    expect(verifySignature(SECRET, signatureHeader(SECRET, BODY, Date.now() + 10 * 60_000), BODY)).toBe(
      false,
    );
  });

  it('accepts any one of several v1 signatures (a secret rotation)', () => {
    const good = signatureHeader(SECRET, BODY);
    const t = good.split(',')[0];
    const other = signatureHeader('whsec_another_secret_1234', BODY).split(',')[1];
    expect(verifySignature(SECRET, `${t},${other},${good.split(',')[1]}`, BODY)).toBe(true);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['https://hooks.example.com/gatehouse', null],
    ['http://127.0.0.1:8080/x', null],
    ['ftp://example.com/x', /http/],
    ['not a url', /absolute/],
    ['https://user:pw@example.com/', /credentials/],
  ])('%s', (url, problem) => {
    const found = webhookUrlProblem(url, { allowPrivate: true });
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});
