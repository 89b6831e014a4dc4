/**
 * Back-Channel Logout 1.0 through the outbox. Every ending of a session writes, in its own
 * statement, one outbox row of this type per client the session signed in to that has a
 * back-channel URI (a trigger on sessions.ended_at, migrations/009_oidc.sql); the webhook
 * dispatcher (jobs/webhook-dispatcher.ts) signs the logout_token when it sends it and retries
 * like any webhook. The row's payload is `{ sub, sid, reason }`.
 */
export const BACKCHANNEL_LOGOUT_TYPE = 'oidc.backchannel_logout';
