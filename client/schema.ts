/**
 * Generated from Gatehouse's OpenAPI document by `npm run client:generate`.
 * Do not edit: change the route schemas in src/http/ and generate again.
 */

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys that verify access tokens
         * @description For resource servers verifying tokens locally; they must also honour revocations (see docs).
         */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OpenID Provider metadata
         * @description OpenID Connect Discovery 1.0: the issuer (OIDC_ISSUER), endpoints, and what this provider supports: the authorization code flow with PKCE (S256), refresh tokens, ID tokens signed EdDSA with the keys at /.well-known/jwks.json, RP-Initiated Logout and Back-Channel Logout with sid. 404 when OIDC_ISSUER is not set.
         */
        get: operations["oidcDiscovery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/account/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in a browser (the account page)
         * @description POST /auth/login for a browser: the same credentials, the same session, but the token pair is set as two HttpOnly, SameSite=Strict cookies instead of being returned: gatehouse_session (the access token, Path=/) and gatehouse_refresh (the refresh token, Path=/account/refresh); over HTTPS they are Secure and named __Host-gatehouse_session and __Host-gatehouse_refresh (both Path=/, as the prefix requires). Routes that list cookieAuth accept the first when no Authorization header is sent. Must come from this origin (Sec-Fetch-Site: same-origin, or a matching Origin), else 403. With "remember": false both are browser-session cookies (no Max-Age). Rate limited like /auth/login.
         */
        post: operations["accountLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/account/login/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in a browser: the second factor
         * @description POST /auth/login/mfa for a browser: the same body and answers, but the token pair is set as the cookies of POST /account/login. Must come from this origin, else 403.
         */
        post: operations["accountLoginMfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/account/login/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in a browser with a passkey
         * @description POST /auth/login/passkey for a browser: the same body and answers, but the token pair is set as the cookies of POST /account/login. Must come from this origin, else 403.
         */
        post: operations["accountLoginPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/account/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a browser session
         * @description POST /auth/refresh for a browser: exchanges the gatehouse_refresh cookie (sent by the browser to this path only) for a new pair of cookies. No body. 401 (and both cookies cleared) when the cookie is missing, expired, already used (which ends the session: reuse detection) or its session has ended. Must come from this origin, else 403.
         */
        post: operations["accountRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change my email address
         * @description Needs a fresh proof on this session (a login or POST /auth/reauthenticate within FRESH_AUTH_MAX_AGE seconds), else 403 REAUTHENTICATION_REQUIRED. Mails a confirmation link to the new address (POST /auth/email/verify completes the change) and a notice to the current one; the address changes only when the link is followed. 409 when another account has the new address (POST /auth/register tells anyone as much; here the caller has just proved a password). 422 for the current address. Rate limited per client address and per new address.
         */
        post: operations["changeEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify my email address (a mailed link)
         * @description Uses the token of a verification link: the one mailed at registration (or by a resend) marks the address verified; the one mailed to a new address (POST /auth/email) makes it the account's address. Single use, valid 24 hours. 400 INVALID_TOKEN for an unknown, used or expired token, or one for an address the account no longer has; 409 when the new address was taken meanwhile. Rate limited per address.
         */
        post: operations["verifyEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verify/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a new verification link
         * @description Always 202 with the same body, sent before the address is looked up, so neither the answer nor its timing tells whether an account has it. A new link goes out only to an enabled account whose address is not verified yet. Rate limited per client address and per mailed address (RATE_LIMIT_MAIL_PER_ADDRESS per RATE_LIMIT_MAIL_WINDOW).
         */
        post: operations["resendVerification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Be told when my session ends
         * @description A text/event-stream. Sends `ready` at once, then `session.ended` ({"sessionId","reason","endedAt"}) the moment this session ends — by logout anywhere, password change, an admin, expiry — and closes. Closes with `token.expired` when the access token expires (reconnect with a fresh one), or with `stream.timeout` after EVENT_STREAM_MAX_AGE (reconnect). At most 10 streams per session and EVENT_STREAMS_PER_USER per account (429), EVENT_STREAMS_MAX per instance (503). Accepts the bearer token or the account page's session cookie (EventSource cannot send headers).
         */
        get: operations["sessionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My second factors
         * @description Whether TOTP is enabled, how many recovery codes are left, and the passkeys.
         */
        get: operations["listFactors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in: open a session
         * @description Wrong password and unknown email get the same 401, in similar time. For an account with TOTP enabled a right password opens no session: the answer is {mfaRequired, mfaToken, methods} and the login continues at POST /auth/login/mfa. "remember": false opens a session of SESSION_SHORT_TTL instead of SESSION_ABSOLUTE_TTL; deviceName names the device in the sessions list. Over MAX_SESSIONS_PER_USER the least recently used session ends (reason "session_limit"), or, with SESSION_LIMIT_POLICY=deny, the answer is 409. With REQUIRE_VERIFIED_EMAIL=on, the right password of an account whose address is not verified gets 403 EMAIL_NOT_VERIFIED. Rate limited per address and per account.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in: the second factor
         * @description Completes a login whose password step answered mfaRequired: the mfaToken with a TOTP code or a recovery code (exactly one, else 422). 401 for a wrong, reused or expired code, or an mfaToken that is unknown, used, older than 5 minutes or has taken 5 wrong codes (the fifth ends it). A recovery code works once. remember and deviceName default to those of the password step. Rate limited per address and per account, with the backoff of failed logins (wrong codes count as failures).
         */
        post: operations["loginMfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with a passkey
         * @description A discoverable passkey signs in with no email and no password: the assertion for a challenge of POST /auth/passkeys/authentication-options. 401 when it does not verify (unknown passkey, wrong origin or challenge, a challenge already used or expired, no user verification). With REQUIRE_VERIFIED_EMAIL=on, 403 EMAIL_NOT_VERIFIED for an account whose address is not verified (only once the passkey has verified). Rate limited per address.
         */
        post: operations["loginPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Logout from the system
         * @description Logout from the system. Ends the session of the bearer token (default), every other session of the caller (scope "others"), every session (scope "all"), one named session of the caller (sessionId), or, for an admin, every session of a user (userId). Once the 200 is sent the ended sessions' access tokens get 401 everywhere and their refresh tokens stop working.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who am I
         * @description The user and session of the bearer token, as of when the token was issued. No database round-trip.
         */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My passkeys
         * @description Oldest first.
         */
        get: operations["listPasskeys"];
        put?: never;
        /**
         * Register a passkey
         * @description The authenticator's answer to the registration options. 400 INVALID_CREDENTIAL when it does not verify (wrong origin, RP ID or challenge; a challenge unknown, expired or used; no user verification): nothing is stored, and the challenge is spent. 409 when this passkey is already registered.
         */
        post: operations["registerPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a passkey
         * @description Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). 404 when you have no passkey with this id (another user's included: it is left alone).
         */
        delete: operations["deletePasskey"];
        options?: never;
        head?: never;
        /**
         * Rename a passkey
         * @description 404 when you have no passkey with this id (another user's included: it is left alone).
         */
        patch: operations["renamePasskey"];
        trace?: never;
    };
    "/auth/passkeys/authentication-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a passkey sign-in
         * @description Options for navigator.credentials.get() with no allowCredentials (the browser offers the passkeys it has for this site) and user verification required, and a challengeId to send to POST /auth/login/passkey (or POST /auth/reauthenticate) within 5 minutes. Body {} or none.
         */
        post: operations["passkeyAuthenticationOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/passkeys/registration-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start registering a passkey
         * @description Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). Answers options for navigator.credentials.create() (a discoverable credential with user verification required) and a challengeId to send back with the result within 5 minutes. No body.
         */
        post: operations["passkeyRegistrationOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change my password
         * @description Needs the current password as well as the bearer token (or the account page's session cookie), and a fresh proof on this session: a login or POST /auth/reauthenticate within FRESH_AUTH_MAX_AGE seconds, else 403 REAUTHENTICATION_REQUIRED. Stores the new password and ends every other session of the caller (reason "password_changed"); this session stays signed in. Rate limited per address and per account, like login.
         */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password reset link
         * @description Always 202 with the same body, sent before the address is looked up, so neither the answer nor its timing tells whether an account has it. An enabled account with this address is mailed a reset link (single use, valid 30 minutes). Rate limited per client address and per mailed address (RATE_LIMIT_MAIL_PER_ADDRESS per RATE_LIMIT_MAIL_WINDOW).
         */
        post: operations["forgotPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Choose a new password (a mailed link)
         * @description Uses the token of a password reset link (single use, valid 30 minutes, and only while the password is still the one it was issued for: any password change makes outstanding reset links invalid). Sets the new password, marks the address verified (the link reached it) and ends every session of the account (reason "password_reset"). 400 INVALID_TOKEN for a bad, used or expired token; 422 for a weak password (the token stays usable). Rate limited per address.
         */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/reauthenticate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prove it is me again
         * @description Renews this session's authTime, the time of its last proof, so that sensitive operations (POST /auth/password, second-factor changes) are allowed for FRESH_AUTH_MAX_AGE seconds. The proof is one of: the password, a TOTP code (not one used before), or a passkey assertion of the caller's (a challenge of POST /auth/passkeys/authentication-options). 401 for a wrong one (audited; changes nothing). Access tokens issued from now on carry the new auth_time. Rate limited per address and per account, like login.
         */
        post: operations["reauthenticate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace my recovery codes
         * @description Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED) and TOTP enabled (else 409). Answers 10 new codes, shown this once; the old ones stop working. No body.
         */
        post: operations["regenerateRecoveryCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the token pair
         * @description Exchanges a refresh token for a new pair. A refresh token works once: presenting it again ends the whole session (reuse detection). An operator may allow a short reuse grace (REFRESH_REUSE_GRACE, off by default) for tabs racing each other: within it, the first repeat of a just-rotated token gets the same new pair again.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description Creates an account with the user role. 422 for an invalid email or a password that is not valid Unicode text or is weak (under 8 characters, easy to guess for a strength estimator, or the email itself; the reason is in details), 409 when the email is taken. Rate limited per address.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a token (RFC 7009)
         * @description Ends the session a refresh token (or access token) belongs to; for clients whose access token has expired. Always 200 for a well-formed request, whether or not the token was valid. The body is JSON or, as RFC 7009 clients send it, a form (application/x-www-form-urlencoded, UTF-8, each field once).
         */
        post: operations["revoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My active sessions
         * @description The sessions of the caller that have not ended or expired, newest first, a page at a time: follow `nextCursor` until it is null. `current` is the caller's own session on every page. End one with POST /auth/logout {"sessionId"}.
         */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable TOTP with its first code
         * @description The code from the app proves the secret was stored: TOTP is enabled and 10 recovery codes are answered, shown this once and stored hashed. 400 INVALID_CODE for a wrong code (nothing is enabled; the enrolment stays pending); 409 when no enrolment is pending or TOTP is already enabled.
         */
        post: operations["confirmTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/totp/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable TOTP
         * @description Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). Removes TOTP, pending or enabled, and every recovery code; 409 when there is none. No body.
         */
        post: operations["disableTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/totp/enroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start enrolling TOTP
         * @description Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). Answers a new secret and its otpauth:// URI; nothing is enabled until POST /auth/totp/confirm. A new enrolment replaces a pending one; 409 when TOTP is already enabled. No body.
         */
        post: operations["enrollTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description The process is up and answering. Says nothing about the database (see /ready).
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oidc/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization endpoint
         * @description OpenID Connect Core §3.1.2, authorization code flow only. An unknown client or a redirect_uri not registered for it (exact match) is answered here, 400, and never redirected. Any other error goes to the registered redirect_uri as error, error_description, state and iss. With a Gatehouse session in the browser (the account page’s cookie) the code is sent at once (single sign-on); otherwise, or for prompt=login or an exceeded max_age, the browser goes to the account page (/account?oidc=…) to sign in and comes back through /oidc/authorize/resume. prompt=none never shows a page: login_required when there is no session.
         */
        get: operations["oidcAuthorize"];
        put?: never;
        /**
         * Authorization endpoint (POST)
         * @description The authorization request of GET /oidc/authorize sent as an application/x-www-form-urlencoded form (OIDC Core §3.1.2.1), answered exactly as the GET is.
         */
        post: operations["oidcAuthorizePost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oidc/authorize/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Continue an authorization request after signing in
         * @description Where the account page sends the browser once the person has signed in (or found to be signed in already): the authorization request, carried signed for ten minutes in `interaction`, is answered as /oidc/authorize would, with a sign-in made after the request counting for prompt=login and max_age. 400 when the interaction is not valid or has expired, or its client or redirect URI is no longer registered.
         */
        get: operations["oidcAuthorizeResume"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oidc/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * RP-Initiated Logout (GET)
         * @description OpenID Connect RP-Initiated Logout 1.0. With an id_token_hint this provider issued (expired is fine; another issuer’s is refused, 400), the Gatehouse session it names (its sid) ends through the one ending path — audit event, webhooks, the revocation barrier, and a back-channel logout_token to every other client that session signed in to — then the browser goes to post_logout_redirect_uri with state, if that URI is registered for the client exactly (else 400, never a redirect). Without an id_token_hint nothing ends here and the browser goes to the account page, where signing out is one button.
         */
        get: operations["oidcLogout"];
        put?: never;
        /**
         * RP-Initiated Logout (POST)
         * @description OpenID Connect RP-Initiated Logout 1.0. With an id_token_hint this provider issued (expired is fine; another issuer’s is refused, 400), the Gatehouse session it names (its sid) ends through the one ending path — audit event, webhooks, the revocation barrier, and a back-channel logout_token to every other client that session signed in to — then the browser goes to post_logout_redirect_uri with state, if that URI is registered for the client exactly (else 400, never a redirect). Without an id_token_hint nothing ends here and the browser goes to the account page, where signing out is one button.
         */
        post: operations["oidcLogoutPost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oidc/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Token endpoint
         * @description RFC 6749 §3.2 with an application/x-www-form-urlencoded body. grant_type=authorization_code exchanges a code once (with the same redirect_uri and, when the request had a code_challenge, the PKCE code_verifier); a code presented a second time revokes every token it issued. grant_type=refresh_token rotates the refresh token; a rotated one presented again revokes the grant. Confidential clients authenticate with HTTP Basic (client_secret_basic) or client_secret_post; public clients send client_id only. Tokens end with the Gatehouse session they came from. Errors are RFC 6749 §5.2 (error, error_description) with the envelope beside them: 400 invalid_request, invalid_grant, unsupported_grant_type, invalid_scope; 401 invalid_client. Rate limited per address.
         */
        post: operations["oidcToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oidc/userinfo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * UserInfo endpoint (GET)
         * @description OIDC Core §5.3: with an access token from the token endpoint (Authorization: Bearer), the user’s claims for the granted scope. 401 invalid_token once the token has expired, its grant was revoked, or its Gatehouse session has ended. Gatehouse’s own API refuses these tokens (their issuer is OIDC_ISSUER), and these endpoints refuse Gatehouse’s.
         */
        get: operations["oidcUserinfo"];
        put?: never;
        /**
         * UserInfo endpoint (POST)
         * @description OIDC Core §5.3: with an access token from the token endpoint (Authorization: Bearer), the user’s claims for the granted scope. 401 invalid_token once the token has expired, its grant was revoked, or its Gatehouse session has ended. Gatehouse’s own API refuses these tokens (their issuer is OIDC_ISSUER), and these endpoints refuse Gatehouse’s.
         */
        post: operations["oidcUserinfoPost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description Ready when the database answers and this instance knows every recent revocation.
         */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One of the caller's sessions that has neither ended nor expired */
        ActiveSession: {
            /**
             * Format: date-time
             * @description Last proof of the password on this session: login or POST /auth/reauthenticate
             */
            authTime: string;
            /**
             * Format: date-time
             * @description When the session was opened (login)
             */
            createdAt: string;
            /** @description True for the session of the token making this request */
            current: boolean;
            device: components["schemas"]["Device"];
            deviceName: string | null;
            /**
             * Format: date-time
             * @description Absolute end of the session
             */
            expiresAt: string;
            /**
             * Format: uuid
             * @description Session id
             */
            id: string;
            ip: string | null;
            /**
             * Format: date-time
             * @description Last use: a refresh or an authenticated request (requests are written in batches, so it may lag by up to SESSION_ACTIVITY_FLUSH_MS)
             */
            lastUsedAt: string;
            userAgent: string | null;
        };
        /** @description Signed in: the tokens are in the Set-Cookie headers, never in the body */
        BrowserSession: {
            /**
             * Format: int32
             * @description Seconds until the access token (and its cookie) expires
             */
            expiresIn: number;
            /**
             * Format: int32
             * @description Seconds until the refresh cookie (and session) expires
             */
            refreshExpiresIn: number;
            session: components["schemas"]["Session"];
            user: components["schemas"]["User"];
        };
        /** @description The device, as its User-Agent describes it */
        Device: {
            browser: string | null;
            os: string | null;
            /** @enum {unknown} */
            type: "desktop" | "mobile" | "tablet" | "tv" | "bot" | "unknown";
        };
        ErrorDetail: {
            message: string;
            /** @description JSON Pointer to the offending field */
            path: string;
        };
        /** @description Every error answer: message and code are fixed per status (400 INVALID_INPUT … 503 SERVICE_UNAVAILABLE), description says what went wrong. */
        ErrorEnvelope: {
            /**
             * @description Error code
             * @enum {string}
             */
            code?: "INVALID_INPUT" | "INVALID_TOKEN" | "INVALID_CODE" | "INVALID_CREDENTIAL" | "UNAUTHORIZED" | "FORBIDDEN" | "REAUTHENTICATION_REQUIRED" | "EMAIL_NOT_VERIFIED" | "NOT_FOUND" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "VALIDATION_ERROR" | "RATE_LIMITED" | "INTERNAL_ERROR" | "SERVICE_UNAVAILABLE";
            /** @description Detailed error description */
            description?: string;
            /** @description Per-field problems (422) */
            details?: components["schemas"]["ErrorDetail"][];
            /**
             * @description Error message
             * @enum {string}
             */
            message: "Invalid input data" | "Invalid token" | "Invalid code" | "Invalid credential" | "Unauthorized" | "Forbidden" | "Reauthentication required" | "Email not verified" | "Resource not found" | "Resource conflict" | "Payload too large" | "Validation error" | "Too many requests" | "Internal server error" | "Service unavailable";
        };
        LoginRequest: {
            /** @description A name for this device, shown in the sessions list (at most 100 characters, no control characters) */
            deviceName?: string;
            email: string;
            /** @description Password */
            password: string;
            /** @description Default true. false: the session lasts SESSION_SHORT_TTL (not SESSION_ABSOLUTE_TTL), and the account page sets cookies that end with the browser session */
            remember?: boolean;
        };
        /** @description Optional. No body, an empty body and {} all end the current session. Name one form: a scope, a sessionId, or (an admin) userId with scope "all". */
        LogoutRequest: {
            /**
             * @description current (default): this session; others: every other session; all: every session
             * @enum {unknown}
             */
            scope?: "current" | "others" | "all";
            /**
             * Format: uuid
             * @description End this one session of yours (not combinable with scope)
             */
            sessionId?: string;
            /**
             * Format: uuid
             * @description Admin only: end every session of this user (with scope "all")
             */
            userId?: string;
        };
        /** @description The second step of a login: the mfaToken and exactly one of code or recoveryCode. */
        MfaLoginRequest: {
            /**
             * @description The 6-digit code the authenticator app shows now
             * @example 123456
             */
            code?: string;
            /** @description As at POST /auth/login; by default the value given at the password step */
            deviceName?: string;
            /** @description From the password step (POST /auth/login) */
            mfaToken: string;
            /** @description One of the recovery codes shown when TOTP was enabled (case, spaces and dashes ignored) */
            recoveryCode?: string;
            /** @description As at POST /auth/login; by default the value given at the password step */
            remember?: boolean;
        };
        /** @description A passkey of the caller */
        Passkey: {
            /**
             * Format: date-time
             * @description When it was registered
             */
            createdAt: string;
            /**
             * Format: uuid
             * @description Passkey id
             */
            id: string;
            lastUsedAt: string | null;
            name: string;
        };
        /** @description A passkey assertion against a challenge of POST /auth/passkeys/authentication-options */
        PasskeyAssertion: {
            /** @description From the options call; single use, 5 minutes */
            challengeId: string;
            /** @description navigator.credentials.get()'s result, as JSON (PublicKeyCredential.toJSON()) */
            response: {
                /** @enum {unknown} */
                authenticatorAttachment?: "platform" | "cross-platform";
                /** @description Extension outputs, passed through */
                clientExtensionResults: {
                    [key: string]: unknown;
                };
                id: string;
                rawId: string;
                response: {
                    authenticatorData: string;
                    clientDataJSON: string;
                    signature: string;
                    userHandle?: string;
                };
                /** @enum {string} */
                type: "public-key";
            };
        };
        PasskeyLoginRequest: {
            /** @description From the options call; single use, 5 minutes */
            challengeId: string;
            /** @description As at POST /auth/login; by default the value given at the password step */
            deviceName?: string;
            /** @description As at POST /auth/login */
            remember?: boolean;
            /** @description navigator.credentials.get()'s result, as JSON (PublicKeyCredential.toJSON()) */
            response: {
                /** @enum {unknown} */
                authenticatorAttachment?: "platform" | "cross-platform";
                /** @description Extension outputs, passed through */
                clientExtensionResults: {
                    [key: string]: unknown;
                };
                id: string;
                rawId: string;
                response: {
                    authenticatorData: string;
                    clientDataJSON: string;
                    signature: string;
                    userHandle?: string;
                };
                /** @enum {string} */
                type: "public-key";
            };
        };
        PasskeyRegistrationRequest: {
            /** @description From the options call; single use, 5 minutes */
            challengeId: string;
            /** @description A name to tell this passkey from others, e.g. "Laptop" */
            name?: string;
            /** @description navigator.credentials.create()'s result, as JSON (PublicKeyCredential.toJSON()) */
            response: {
                /** @enum {unknown} */
                authenticatorAttachment?: "platform" | "cross-platform";
                /** @description Extension outputs, passed through */
                clientExtensionResults: {
                    [key: string]: unknown;
                };
                id: string;
                rawId: string;
                response: {
                    attestationObject: string;
                    authenticatorData?: string;
                    clientDataJSON: string;
                    publicKey?: string;
                    /** Format: int32 */
                    publicKeyAlgorithm?: number;
                    transports?: string[];
                };
                /** @enum {string} */
                type: "public-key";
            };
        };
        PasskeyRenameRequest: {
            /** @description A name to tell this passkey from others, e.g. "Laptop" */
            name: string;
        };
        /** @description The current password proves it is you; every other session of yours ends. */
        PasswordChangeRequest: {
            /** @description Password */
            currentPassword: string;
            /** @description The new password: at least 8 characters, not easy to guess (a strength estimator decides), not the email */
            newPassword: string;
        };
        /** @description One proof that it is still you, renewing the session's authTime: your password, a TOTP code, or a passkey assertion. */
        ReauthenticateRequest: {
            /**
             * @description The 6-digit code the authenticator app shows now
             * @example 123456
             */
            code?: string;
            passkey?: components["schemas"]["PasskeyAssertion"];
            /** @description Password */
            password?: string;
        };
        RefreshRequest: {
            /** @description The refresh token of the pair */
            refreshToken: string;
        };
        RegisterRequest: {
            /**
             * Format: email
             * @description Email address
             */
            email: string;
            name?: string;
            /** @description Password */
            password: string;
        };
        RevokeRequest: {
            /** @description A refresh token or access token */
            token: string;
            /** @enum {unknown} */
            token_type_hint?: "refresh_token" | "access_token";
        };
        /**
         * @description The password was right and the account has a second factor: no session yet
         * @example {
         *       "mfaRequired": true,
         *       "mfaToken": "Vb1oQ8m2Yc7rT4nL0xJ5kS9pZ3wE6aHd2gFi0qBe9Ck",
         *       "methods": [
         *         "totp",
         *         "recovery_code"
         *       ]
         *     }
         */
        SecondFactorRequired: {
            methods: ("totp" | "recovery_code")[];
            /** @enum {boolean} */
            mfaRequired: true;
            /** @description Send to POST /auth/login/mfa with a code, within 5 minutes; single use */
            mfaToken: string;
        };
        /** @description A session: one login, on one device */
        Session: {
            /**
             * Format: date-time
             * @description When the session was opened (login)
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description Absolute end of the session; refresh tokens stop working then
             */
            expiresAt: string;
            /**
             * Format: uuid
             * @description Session id
             */
            id: string;
        };
        /**
         * @description One page of the caller's active sessions
         * @example {
         *       "sessions": [
         *         {
         *           "id": "5b0c2c1e-8f7a-4d3e-9c61-2f4b8a9d0e17",
         *           "createdAt": "2026-11-30T07:35:11.123Z",
         *           "lastUsedAt": "2026-11-30T08:02:40.000Z",
         *           "authTime": "2026-11-30T07:35:11.123Z",
         *           "expiresAt": "2026-12-30T07:35:11.123Z",
         *           "device": {
         *             "browser": "Firefox 133",
         *             "os": "Linux",
         *             "type": "desktop"
         *           },
         *           "deviceName": null,
         *           "ip": "203.0.113.7",
         *           "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
         *           "current": true
         *         }
         *       ],
         *       "nextCursor": "eyJ0IjoiMjAyNi0xMS0zMFQwNzozNToxMS4xMjMwMDBaIiwiaSI6IjViMGMyYzFlLThmN2EtNGQzZS05YzYxLTJmNGI4YTlkMGUxNyJ9",
         *       "current": {
         *         "id": "5b0c2c1e-8f7a-4d3e-9c61-2f4b8a9d0e17",
         *         "createdAt": "2026-11-30T07:35:11.123Z",
         *         "lastUsedAt": "2026-11-30T08:02:40.000Z",
         *         "authTime": "2026-11-30T07:35:11.123Z",
         *         "expiresAt": "2026-12-30T07:35:11.123Z",
         *         "device": {
         *           "browser": "Firefox 133",
         *           "os": "Linux",
         *           "type": "desktop"
         *         },
         *         "deviceName": null,
         *         "ip": "203.0.113.7",
         *         "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
         *         "current": true
         *       }
         *     }
         */
        SessionPage: {
            /** @description The caller's own session, on every page whichever page lists it (null only if it ended during the request) */
            current: components["schemas"]["ActiveSession"] | null;
            /** @description Where the next page starts; null on the last page */
            nextCursor: string | null;
            /** @description Active sessions, newest first (by createdAt, then id); at most `limit` */
            sessions: components["schemas"]["ActiveSession"][];
        };
        /** @description A new token pair */
        TokenResponse: {
            /** @description Short-lived EdDSA JWT; send as Authorization: Bearer */
            accessToken: string;
            /**
             * Format: int32
             * @description Seconds until the access token expires
             */
            expiresIn: number;
            /**
             * Format: int32
             * @description Seconds until the refresh token (and session) expires
             */
            refreshExpiresIn: number;
            /** @description Opaque, single-use; exchange at /auth/refresh */
            refreshToken: string;
            session: components["schemas"]["Session"];
            /** @enum {string} */
            tokenType: "Bearer";
            user: components["schemas"]["User"];
        };
        /** @description The first code from the authenticator app enables TOTP. */
        TotpConfirmRequest: {
            /**
             * @description The 6-digit code the authenticator app shows now
             * @example 123456
             */
            code: string;
        };
        /** @description An account */
        User: {
            /** Format: email */
            email: string;
            /** @description The address has been proved (a verification link or a password reset mailed to it). In GET /auth/me and tokens: as of when the access token was issued */
            emailVerified: boolean;
            /**
             * Format: uuid
             * @description User id
             */
            id: string;
            name: string | null;
            roles: ("user" | "admin")[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JWK set (RFC 7517) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcDiscovery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider metadata (OpenID Connect Discovery 1.0 §3) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "issuer": "https://id.example.com",
                     *       "authorization_endpoint": "https://id.example.com/oidc/authorize",
                     *       "token_endpoint": "https://id.example.com/oidc/token",
                     *       "userinfo_endpoint": "https://id.example.com/oidc/userinfo",
                     *       "jwks_uri": "https://id.example.com/.well-known/jwks.json",
                     *       "end_session_endpoint": "https://id.example.com/oidc/logout",
                     *       "scopes_supported": [
                     *         "openid",
                     *         "profile",
                     *         "email",
                     *         "offline_access"
                     *       ],
                     *       "response_types_supported": [
                     *         "code"
                     *       ],
                     *       "response_modes_supported": [
                     *         "query"
                     *       ],
                     *       "grant_types_supported": [
                     *         "authorization_code",
                     *         "refresh_token"
                     *       ],
                     *       "subject_types_supported": [
                     *         "public"
                     *       ],
                     *       "id_token_signing_alg_values_supported": [
                     *         "RS256",
                     *         "EdDSA"
                     *       ],
                     *       "token_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "code_challenge_methods_supported": [
                     *         "S256"
                     *       ],
                     *       "prompt_values_supported": [
                     *         "none",
                     *         "login",
                     *         "consent",
                     *         "select_account"
                     *       ],
                     *       "claims_supported": [
                     *         "sub",
                     *         "iss",
                     *         "aud",
                     *         "exp",
                     *         "iat",
                     *         "auth_time",
                     *         "nonce",
                     *         "sid",
                     *         "amr",
                     *         "azp",
                     *         "name",
                     *         "email"
                     *       ],
                     *       "claims_parameter_supported": false,
                     *       "request_parameter_supported": false,
                     *       "request_uri_parameter_supported": false,
                     *       "authorization_response_iss_parameter_supported": true,
                     *       "backchannel_logout_supported": true,
                     *       "backchannel_logout_session_supported": true,
                     *       "frontchannel_logout_supported": false
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    accountLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in (the tokens are in the cookies); or, for an account with TOTP enabled, no session yet: continue at POST /account/login/mfa */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrowserSession"] | components["schemas"]["SecondFactorRequired"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    accountLoginMfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaLoginRequest"];
            };
        };
        responses: {
            /** @description Signed in: the tokens are in the Set-Cookie headers, never in the body */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrowserSession"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    accountLoginPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyLoginRequest"];
            };
        };
        responses: {
            /** @description Signed in: the tokens are in the Set-Cookie headers, never in the body */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrowserSession"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    accountRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed in: the tokens are in the Set-Cookie headers, never in the body */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrowserSession"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    changeEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The new address; it becomes the account's once the link mailed to it is followed. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: email
                     * @description Email address
                     */
                    newEmail: string;
                };
            };
        };
        responses: {
            /** @description Accepted; the confirmation link and the notice are queued */
            202: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "A confirmation link is on its way to the new address"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "A confirmation link is on its way to the new address";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    verifyEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The token of a verification link (registration, resend, or an email change). */
        requestBody: {
            content: {
                "application/json": {
                    /** @description The token from the mailed link: what follows #verify= or #reset= in it */
                    token: string;
                };
            };
        };
        responses: {
            /** @description The address is verified (or, for an email change, the account now has the new one) */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Email verified",
                     *       "user": {
                     *         "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                     *         "email": "ada@example.com",
                     *         "name": "Ada",
                     *         "roles": [
                     *           "user"
                     *         ],
                     *         "emailVerified": true
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "Email verified";
                        user: components["schemas"]["User"];
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    resendVerification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The address of the account. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: email
                     * @description Email address
                     */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Accepted; a link is sent if the address needs one */
            202: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "If this address needs verifying, a new link is on its way"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "If this address needs verifying, a new link is on its way";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    sessionEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream (text/event-stream) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    listFactors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's second factors */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        passkeys: components["schemas"]["Passkey"][];
                        recoveryCodes: {
                            /** Format: int32 */
                            remaining: number;
                        };
                        totp: {
                            /** @description False while an enrolment waits for its first code */
                            enabled: boolean;
                        };
                    };
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description A new token pair; or, for an account with TOTP enabled, no session yet: mfaRequired with an mfaToken for POST /auth/login/mfa */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"] | components["schemas"]["SecondFactorRequired"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    loginMfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaLoginRequest"];
            };
        };
        responses: {
            /** @description A new token pair */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    loginPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyLoginRequest"];
            };
        };
        responses: {
            /** @description A new token pair */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["LogoutRequest"];
            };
        };
        responses: {
            /** @description Logout successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Logged out successfully"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "Logged out successfully";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        session: components["schemas"]["Session"];
                        user: components["schemas"]["User"];
                    };
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    listPasskeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The passkeys */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        passkeys: components["schemas"]["Passkey"][];
                    };
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    registerPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyRegistrationRequest"];
            };
        };
        responses: {
            /** @description Registered */
            201: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        passkey: components["schemas"]["Passkey"];
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    deletePasskey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Passkey id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; it no longer signs in */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Passkey deleted"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "Passkey deleted";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    renamePasskey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Passkey id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyRenameRequest"];
            };
        };
        responses: {
            /** @description Renamed */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        passkey: components["schemas"]["Passkey"];
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    passkeyAuthenticationOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Empty: the sign-in names no account */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Options for @simplewebauthn/browser startAuthentication() */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Send back with the response; single use, 5 minutes */
                        challengeId: string;
                        /** @description Options for @simplewebauthn/browser startAuthentication() */
                        options: {
                            challenge: string;
                            /** Format: int32 */
                            timeout?: number;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    passkeyRegistrationOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Options for @simplewebauthn/browser startRegistration() */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Send back with the response; single use, 5 minutes */
                        challengeId: string;
                        /** @description Options for @simplewebauthn/browser startRegistration() */
                        options: {
                            challenge: string;
                            /** Format: int32 */
                            timeout?: number;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChangeRequest"];
            };
        };
        responses: {
            /** @description Password changed; every other session has ended */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Password changed"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "Password changed";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    forgotPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The address of the account. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: email
                     * @description Email address
                     */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Accepted; a link is sent if an account has the address */
            202: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "If an account has this address, a password reset link is on its way"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "If an account has this address, a password reset link is on its way";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The token of a password reset link and the new password. */
        requestBody: {
            content: {
                "application/json": {
                    /** @description The new password: at least 8 characters, not easy to guess, not the email */
                    newPassword: string;
                    /** @description The token from the mailed link: what follows #verify= or #reset= in it */
                    token: string;
                };
            };
        };
        responses: {
            /** @description Password reset; every session of the account has ended */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Password reset"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "Password reset";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    reauthenticate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReauthenticateRequest"];
            };
        };
        responses: {
            /** @description The proof is fresh for FRESH_AUTH_MAX_AGE seconds */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description The new time of the last proof of the password on this session
                         */
                        authTime: string;
                        /** @enum {string} */
                        message: "Reauthenticated";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    regenerateRecoveryCodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Store them somewhere safe: they are not shown again */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Single-use codes for when the authenticator app is not at hand; shown only now */
                        recoveryCodes: string[];
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description A new token pair */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Account created */
            201: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    revoke: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RevokeRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["RevokeRequest"];
            };
        };
        responses: {
            /** @description Token revoked (or was not valid) */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Token revoked"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "Token revoked";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description The previous page's nextCursor; absent for the first page */
                cursor?: string;
                /** @description Sessions per page, 1 to 200 (default 50) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the caller's active sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionPage"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    confirmTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpConfirmRequest"];
            };
        };
        responses: {
            /** @description Store them somewhere safe: they are not shown again */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Single-use codes for when the authenticator app is not at hand; shown only now */
                        recoveryCodes: string[];
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    disableTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TOTP and its recovery codes removed */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "TOTP disabled"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        message: "TOTP disabled";
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    enrollTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pending until POST /auth/totp/confirm */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The otpauth:// URI a QR code carries */
                        otpauthUri: string;
                        /** @description Base32; for apps that cannot scan a QR code */
                        secret: string;
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unauthorized - Invalid or missing authentication token */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Unauthorized",
                     *       "description": "Invalid, expired or missing bearer token",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Forbidden - Insufficient permissions */
            403: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Forbidden",
                     *       "description": "You don't have permission to access this resource",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Conflict - Resource already exists or state conflict */
            409: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource conflict",
                     *       "description": "The resource already exists or is in an invalid state",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcAuthorize: {
        parameters: {
            query?: {
                /** @description The registered client */
                client_id?: string;
                /** @description PKCE: BASE64URL(SHA-256(code_verifier)); required for public clients */
                code_challenge?: string;
                /** @description S256 (plain is refused) */
                code_challenge_method?: string;
                /** @description Seconds since the last sign-in beyond which the user signs in again */
                max_age?: string;
                /** @description Copied into the ID token */
                nonce?: string;
                /** @description none or login (consent and select_account are accepted) */
                prompt?: string;
                /** @description Exactly one of the client’s registered redirect URIs */
                redirect_uri?: string;
                /** @description query (the only one) */
                response_mode?: string;
                /** @description code */
                response_type?: string;
                /** @description Must include openid; also profile, email, offline_access */
                scope?: string;
                /** @description Returned unchanged */
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the client’s registered redirect_uri (code or error), or to the account page to sign in */
            302: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "redirect_uri is not registered for this client",
                     *       "message": "Invalid input data",
                     *       "description": "redirect_uri is not registered for this client",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "INVALID_INPUT";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Invalid input data";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcAuthorizePost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The authorization request, as a form */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @description The registered client */
                    client_id?: string;
                    /** @description PKCE: BASE64URL(SHA-256(code_verifier)); required for public clients */
                    code_challenge?: string;
                    /** @description S256 (plain is refused) */
                    code_challenge_method?: string;
                    /** @description Seconds since the last sign-in beyond which the user signs in again */
                    max_age?: string;
                    /** @description Copied into the ID token */
                    nonce?: string;
                    /** @description none or login (consent and select_account are accepted) */
                    prompt?: string;
                    /** @description Exactly one of the client’s registered redirect URIs */
                    redirect_uri?: string;
                    /** @description query (the only one) */
                    response_mode?: string;
                    /** @description code */
                    response_type?: string;
                    /** @description Must include openid; also profile, email, offline_access */
                    scope?: string;
                    /** @description Returned unchanged */
                    state?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description To the client’s registered redirect_uri (code or error), or to the account page to sign in */
            302: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "redirect_uri is not registered for this client",
                     *       "message": "Invalid input data",
                     *       "description": "redirect_uri is not registered for this client",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "INVALID_INPUT";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Invalid input data";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcAuthorizeResume: {
        parameters: {
            query?: {
                /** @description The signed authorization request from /oidc/authorize */
                interaction?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the client’s registered redirect_uri, or back to the account page */
            302: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "The sign-in link is not valid or has expired",
                     *       "message": "Invalid input data",
                     *       "description": "The sign-in link is not valid or has expired",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "INVALID_INPUT";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Invalid input data";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcLogout: {
        parameters: {
            query?: {
                /** @description The client, when there is no id_token_hint */
                client_id?: string;
                /** @description An ID token this provider issued (expired is fine): its session ends */
                id_token_hint?: string;
                /** @description Exactly one of the client’s registered post-logout redirect URIs */
                post_logout_redirect_uri?: string;
                /** @description Returned on the redirect */
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the registered post-logout URI (with state), or to the account page */
            302: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "post_logout_redirect_uri is not registered for this client",
                     *       "message": "Invalid input data",
                     *       "description": "post_logout_redirect_uri is not registered for this client",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "INVALID_INPUT";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Invalid input data";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcLogoutPost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The logout request, as a form */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @description The client, when there is no id_token_hint */
                    client_id?: string;
                    /** @description An ID token this provider issued (expired is fine): its session ends */
                    id_token_hint?: string;
                    /** @description Exactly one of the client’s registered post-logout redirect URIs */
                    post_logout_redirect_uri?: string;
                    /** @description Returned on the redirect */
                    state?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description To the registered post-logout URI (with state), or to the account page */
            302: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "post_logout_redirect_uri is not registered for this client",
                     *       "message": "Invalid input data",
                     *       "description": "post_logout_redirect_uri is not registered for this client",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "INVALID_INPUT";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Invalid input data";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The token request, as a form */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @description The client (public clients, or client_secret_post) */
                    client_id?: string;
                    /** @description The client secret (client_secret_post; or send it with HTTP Basic) */
                    client_secret?: string;
                    /** @description The authorization code (authorization_code) */
                    code?: string;
                    /** @description The PKCE verifier (authorization_code) */
                    code_verifier?: string;
                    /** @description authorization_code or refresh_token */
                    grant_type?: string;
                    /** @description The redirect_uri of the authorization request (authorization_code) */
                    redirect_uri?: string;
                    /** @description The refresh token (refresh_token); single use, rotated */
                    refresh_token?: string;
                    /** @description A subset of the granted scope (refresh_token) */
                    scope?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Tokens for the client (RFC 6749 §5.1, OIDC Core §3.1.3.3) */
            200: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6IjEiLCJ0eXAiOiJhdCtqd3QifQ.e30.c2ln",
                     *       "token_type": "Bearer",
                     *       "expires_in": 900,
                     *       "id_token": "eyJhbGciOiJFZERTQSIsImtpZCI6IjEiLCJ0eXAiOiJKV1QifQ.e30.c2ln",
                     *       "refresh_token": "Q2hhbmdlIG1lOiBhIDI1Ni1iaXQgcmFuZG9tIHZhbHVlIGhlcmU",
                     *       "scope": "openid profile email"
                     *     }
                     */
                    "application/json": {
                        /** @description EdDSA JWT for the userinfo endpoint */
                        access_token: string;
                        /** Format: int32 */
                        expires_in: number;
                        /** @description The ID token: sub, sid, auth_time, nonce, amr */
                        id_token: string;
                        /** @description Single use: each refresh returns a new one */
                        refresh_token: string;
                        scope: string;
                        /** @enum {string} */
                        token_type: "Bearer";
                    };
                };
            };
            /** @description The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it */
            400: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_grant",
                     *       "error_description": "PKCE verification failed: code_verifier does not match code_challenge",
                     *       "message": "Invalid input data",
                     *       "description": "PKCE verification failed: code_verifier does not match code_challenge",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "INVALID_INPUT";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Invalid input data";
                    };
                };
            };
            /** @description The client or token did not authenticate (RFC 6749 §5.2 / RFC 6750 §3.1) */
            401: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_client",
                     *       "error_description": "Client authentication failed: wrong or missing client secret",
                     *       "message": "Unauthorized",
                     *       "description": "Client authentication failed: wrong or missing client secret",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "UNAUTHORIZED";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Unauthorized";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Unprocessable Entity - Validation error */
            422: {
                headers: {
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Validation error",
                     *       "description": "The request data failed validation rules",
                     *       "code": "VALIDATION_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Too Many Requests - Rate limit exceeded (see Retry-After) */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    /** @description Requests allowed per window (per client address, or per account for logins) */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in this window */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window starts again */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Too many requests",
                     *       "description": "Too many requests; retry later",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcUserinfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Claims about the signed-in user (OIDC Core §5.3) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "sub": "0b5f5c1e-2a64-4c1e-9a53-0b8f0f6e3c1c",
                     *       "name": "Ada",
                     *       "email": "ada@example.com"
                     *     }
                     */
                    "application/json": {
                        /** @description With the email scope */
                        email?: string;
                        /** @description With the profile scope */
                        name?: string;
                        /** @description The user id, as in the ID token */
                        sub: string;
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The client or token did not authenticate (RFC 6749 §5.2 / RFC 6750 §3.1) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_token",
                     *       "error_description": "The Gatehouse session has ended",
                     *       "message": "Unauthorized",
                     *       "description": "The Gatehouse session has ended",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "UNAUTHORIZED";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Unauthorized";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    oidcUserinfoPost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Claims about the signed-in user (OIDC Core §5.3) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "sub": "0b5f5c1e-2a64-4c1e-9a53-0b8f0f6e3c1c",
                     *       "name": "Ada",
                     *       "email": "ada@example.com"
                     *     }
                     */
                    "application/json": {
                        /** @description With the email scope */
                        email?: string;
                        /** @description With the profile scope */
                        name?: string;
                        /** @description The user id, as in the ID token */
                        sub: string;
                    };
                };
            };
            /** @description Bad Request - Invalid input data */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Invalid input data",
                     *       "description": "The request data did not pass validation",
                     *       "code": "INVALID_INPUT"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description The client or token did not authenticate (RFC 6749 §5.2 / RFC 6750 §3.1) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_token",
                     *       "error_description": "The Gatehouse session has ended",
                     *       "message": "Unauthorized",
                     *       "description": "The Gatehouse session has ended",
                     *       "code": "UNAUTHORIZED"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "UNAUTHORIZED";
                        description: string;
                        /**
                         * @description The OAuth 2.0 error code
                         * @enum {string}
                         */
                        error?: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_response_type" | "invalid_scope" | "login_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token";
                        error_description?: string;
                        /** @enum {string} */
                        message: "Unauthorized";
                    };
                };
            };
            /** @description Not Found - Resource not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Resource not found",
                     *       "description": "The requested resource could not be found",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Payload Too Large - Request body exceeds the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Payload too large",
                     *       "description": "The request body is too large",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: int32 */
                        revocationsTracked: number;
                        /** @enum {string} */
                        status: "ready";
                        /** @enum {unknown} */
                        store: "postgres" | "pglite";
                    };
                };
            };
            /** @description Internal Server Error - An unexpected error; the description names the request id to give the operator */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Internal server error",
                     *       "description": "An unexpected error occurred (request id 6f1c2a9e-3b7d-4f0e-9a41-0c5d8e2b7f13)",
                     *       "code": "INTERNAL_ERROR"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description Service Unavailable - Database unreachable, revocations not current, or this instance shutting down */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Service unavailable",
                     *       "description": "The service is temporarily unavailable; retry later",
                     *       "code": "SERVICE_UNAVAILABLE"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
}
