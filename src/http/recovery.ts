import type { FastifyRequest } from 'fastify';
import { requestEmailChange } from '../mail/email-change.js';
import { requestPasswordReset, resetPassword } from '../mail/password-reset.js';
import { resendVerification, verifyEmail } from '../mail/verification.js';
import { noStore, originOf } from './auth.js';
import { callerOf } from './authenticate.js';
import { shedWhenHashingFull } from './load-shedding.js';
import {
  Accepted,
  CHANGE_ACCEPTED,
  EmailBody,
  EmailChangeBody,
  FORGOT_ACCEPTED,
  PasswordResetBody,
  RESEND_ACCEPTED,
  RESET_DONE,
  VERIFIED,
  VerifyEmailBody,
  VerifyEmailResponse,
} from './recovery-schemas.js';
import type { RouteDeps } from './routes.js';
import { BROWSER_SECURITY, errorResponses, MessageResponse, PUBLIC, rateLimited } from './schemas.js';

/**
 * Mail and account recovery (docs/api.md §8): verification, forgotten
 * password, email change. The decisions are in src/mail/; the mails go
 * through the outbox (src/jobs/mail-dispatcher.ts).
 */
export function recoveryRoutes({ app, ctx, authenticateBrowser, limits, hashing }: RouteDeps): void {
  const log = (request: FastifyRequest) => request.log;

  app.post(
    '/auth/email/verify',
    {
      onRequest: limits.perIp,
      schema: {
        summary: 'Verify my email address (a mailed link)',
        operationId: 'verifyEmail',
        description:
          "Uses the token of a verification link: the one mailed at registration (or by a resend) marks the address verified; the one mailed to a new address (POST /auth/email) makes it the account's address. Single use, valid 24 hours. 400 INVALID_TOKEN for an unknown, used or expired token, or one for an address the account no longer has; 409 when the new address was taken meanwhile. Rate limited per address.",
        tags: ['recovery'],
        security: PUBLIC,
        body: VerifyEmailBody,
        response: rateLimited({ 200: VerifyEmailResponse, ...errorResponses(400, 409, 413, 422, 429) }),
      },
    },
    async (request, reply) => {
      const user = await verifyEmail(ctx, request.body.token, originOf(request));
      return noStore(reply).send({ message: VERIFIED, user });
    },
  );

  app.post(
    '/auth/email/verify/resend',
    {
      onRequest: limits.perIp,
      preHandler: limits.perMailAddress,
      schema: {
        summary: 'Send a new verification link',
        operationId: 'resendVerification',
        description:
          'Always 202 with the same body, sent before the address is looked up, so neither the answer nor its timing tells whether an account has it. A new link goes out only to an enabled account whose address is not verified yet. Rate limited per client address and per mailed address (RATE_LIMIT_MAIL_PER_ADDRESS per RATE_LIMIT_MAIL_WINDOW).',
        tags: ['recovery'],
        security: PUBLIC,
        body: EmailBody,
        response: rateLimited({
          202: Accepted('Accepted; a link is sent if the address needs one', RESEND_ACCEPTED),
          ...errorResponses(400, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      resendVerification(ctx, request.body.email, originOf(request), log(request));
      return noStore(reply).code(202).send({ message: RESEND_ACCEPTED });
    },
  );

  app.post(
    '/auth/password/forgot',
    {
      onRequest: limits.perIp,
      preHandler: limits.perMailAddress,
      schema: {
        summary: 'Ask for a password reset link',
        operationId: 'forgotPassword',
        description:
          'Always 202 with the same body, sent before the address is looked up, so neither the answer nor its timing tells whether an account has it. An enabled account with this address is mailed a reset link (single use, valid 30 minutes). Rate limited per client address and per mailed address (RATE_LIMIT_MAIL_PER_ADDRESS per RATE_LIMIT_MAIL_WINDOW).',
        tags: ['recovery'],
        security: PUBLIC,
        body: EmailBody,
        response: rateLimited({
          202: Accepted('Accepted; a link is sent if an account has the address', FORGOT_ACCEPTED),
          ...errorResponses(400, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      requestPasswordReset(ctx, request.body.email, originOf(request), log(request));
      return noStore(reply).code(202).send({ message: FORGOT_ACCEPTED });
    },
  );

  app.post(
    '/auth/password/reset',
    {
      onRequest: [shedWhenHashingFull(hashing), ...limits.perIp],
      schema: {
        summary: 'Choose a new password (a mailed link)',
        operationId: 'resetPassword',
        description:
          'Uses the token of a password reset link (single use, valid 30 minutes, and only while the password is still the one it was issued for: any password change makes outstanding reset links invalid). Sets the new password, marks the address verified (the link reached it) and ends every session of the account (reason "password_reset"). 400 INVALID_TOKEN for a bad, used or expired token; 422 for a weak password (the token stays usable). Rate limited per address.',
        tags: ['recovery'],
        security: PUBLIC,
        body: PasswordResetBody,
        response: rateLimited({
          200: MessageResponse('Password reset; every session of the account has ended', RESET_DONE),
          ...errorResponses(400, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      await hashing.run(() => resetPassword(ctx, request.body, originOf(request)));
      return noStore(reply).send({ message: RESET_DONE });
    },
  );

  app.post(
    '/auth/email',
    {
      onRequest: [...limits.perIp, authenticateBrowser],
      preHandler: limits.perMailAddress,
      schema: {
        summary: 'Change my email address',
        operationId: 'changeEmail',
        description:
          'Needs a fresh proof on this session (a login or POST /auth/reauthenticate within FRESH_AUTH_MAX_AGE seconds), else 403 REAUTHENTICATION_REQUIRED. Mails a confirmation link to the new address (POST /auth/email/verify completes the change) and a notice to the current one; the address changes only when the link is followed. 409 when another account has the new address (POST /auth/register tells anyone as much; here the caller has just proved a password). 422 for the current address. Rate limited per client address and per new address.',
        tags: ['recovery'],
        security: BROWSER_SECURITY,
        body: EmailChangeBody,
        response: rateLimited({
          202: Accepted('Accepted; the confirmation link and the notice are queued', CHANGE_ACCEPTED),
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      await requestEmailChange(ctx, callerOf(request), request.body.newEmail, originOf(request));
      return noStore(reply).code(202).send({ message: CHANGE_ACCEPTED });
    },
  );
}
