/**
 * When the OpenID Provider sends a person here to sign in (docs/oidc.md), the address is
 * /account?oidc=<signed authorization request>, with `login=1` when a new sign-in is required
 * (prompt=login, max_age) and `silent=1` for prompt=none. Once signed in, or found to be
 * signed in already, the page goes on to /oidc/authorize/resume, which answers the
 * application. The destination is fixed: only the opaque request travels, so this page can
 * never be made to send anyone elsewhere.
 */
const params = new URLSearchParams(location.search);
const interaction = params.get('oidc');

export const oidcReturn =
  interaction !== null && /^[A-Za-z0-9._-]{1,8000}$/.test(interaction)
    ? {
        /** A sign-in is needed even if this browser is signed in. */
        signInAgain: params.get('login') === '1',
        /** prompt=none: no form is shown; the provider answers login_required if not signed in. */
        silent: params.get('silent') === '1',
        continue(): void {
          location.replace(`/oidc/authorize/resume?interaction=${encodeURIComponent(interaction)}`);
        },
      }
    : null;
