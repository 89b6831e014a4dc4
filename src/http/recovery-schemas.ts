import { type TSchema, Type } from 'typebox';
import { PASSWORD_MAX, PASSWORD_MIN } from '../domain/passwords.js';
import { Email, REQUEST_EXAMPLES, ref, UserSchema } from './schemas.js';

/**
 * The TypeBox schemas of mail and account recovery (docs/api.md §8), beside
 * the shared ones in schemas.ts: validation, serialization and the OpenAPI
 * document from one source, as everywhere.
 */

const strict = <T extends Record<string, TSchema>>(props: T, description: string) =>
  Type.Object(props, { additionalProperties: false, description });

/**
 * Any string of a sane length: a token of the wrong form is a bad link like a
 * used or expired one (400 INVALID_TOKEN), not a malformed request.
 */
const MailedToken = Type.String({
  minLength: 1,
  maxLength: 512,
  description: 'The token from the mailed link: what follows #verify= or #reset= in it',
});

export const VerifyEmailBody = strict(
  { token: MailedToken },
  'The token of a verification link (registration, resend, or an email change).',
);

export const EmailBody = strict({ email: Email }, 'The address of the account.');

export const PasswordResetBody = strict(
  {
    token: MailedToken,
    newPassword: Type.String({
      minLength: 1,
      maxLength: PASSWORD_MAX * 4,
      description: `The new password: at least ${PASSWORD_MIN} characters, not easy to guess, not the email`,
    }),
  },
  'The token of a password reset link and the new password.',
);

export const EmailChangeBody = strict(
  { newEmail: Email },
  "The new address; it becomes the account's once the link mailed to it is followed.",
);

const message = <T extends string>(text: T) => Type.Literal(text);

export const VERIFIED = 'Email verified';
export const VerifyEmailResponse = Type.Object(
  { message: message(VERIFIED), user: ref(UserSchema) },
  {
    description: 'The address is verified (or, for an email change, the account now has the new one)',
    examples: [
      {
        message: VERIFIED,
        user: {
          id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
          email: 'ada@example.com',
          name: 'Ada',
          roles: ['user'],
          emailVerified: true,
        },
      },
    ],
  },
);

/** A 202 whose body is one fixed message: the request was accepted; what happens next is not told. */
export const Accepted = <T extends string>(description: string, text: T) =>
  Type.Object({ message: message(text) }, { description, examples: [{ message: text }] });

export const RESEND_ACCEPTED = 'If this address needs verifying, a new link is on its way';
export const FORGOT_ACCEPTED = 'If an account has this address, a password reset link is on its way';
export const CHANGE_ACCEPTED = 'A confirmation link is on its way to the new address';
export const RESET_DONE = 'Password reset';

const EXAMPLE_TOKEN = 'q3Z8mN1vB7xK0pLs4dT9wYc2eRf6uJh5gAi8oEk3nMw';

Object.assign(REQUEST_EXAMPLES, {
  verifyEmail: { link: { summary: 'The token from the link', value: { token: EXAMPLE_TOKEN } } },
  resendVerification: { ada: { summary: 'The address to verify', value: { email: 'ada@example.com' } } },
  forgotPassword: { ada: { summary: 'The address of the account', value: { email: 'ada@example.com' } } },
  resetPassword: {
    reset: {
      summary: 'The token from the link and a new password',
      value: { token: EXAMPLE_TOKEN, newPassword: 'a new and longer passphrase' },
    },
  },
  changeEmail: { change: { summary: 'The new address', value: { newEmail: 'ada@example.org' } } },
});
