-- How a session was proven at its auth_time (docs/api.md §9: the ID token's `amr`): the
-- factors of its login, replaced by the proof of POST /auth/reauthenticate, which renews
-- auth_time. Gatehouse's own words ('password', 'totp', 'recovery_code', 'passkey');
-- src/oidc/amr.ts maps them to RFC 8176 values.
--
-- NULL for a session opened before this column existed: how it was proven was never
-- recorded on the session, and guessing 'password' would be wrong for passkey and TOTP
-- logins, so such a session's ID tokens carry no `amr` (it is OPTIONAL in OIDC Core §2).
ALTER TABLE sessions ADD COLUMN auth_methods text[];
