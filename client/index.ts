/**
 * The typed Gatehouse client, for Node and browsers. Its types come from
 * Gatehouse's own OpenAPI document (client/schema.ts, `npm run
 * client:generate`); its requests go through openapi-fetch. The account page
 * (web/account/) is built on it.
 *
 * - Bearer mode (default): holds the token pair in a TokenStore and sends
 *   `Authorization: Bearer`. Cookie mode: a page served by Gatehouse itself,
 *   whose tokens live in HttpOnly cookies it never sees.
 * - A 401 with a refresh possible is answered by refreshing once and retrying
 *   once. Parallel calls share one refresh: presenting a refresh token twice
 *   would end the session (reuse detection).
 * - Every error answer becomes a GatehouseError {status, code, message, description, details}.
 * - Logout never leaves a client stuck signed in: 401 and 409 mean the session
 *   is already over, so they count as success and local state is cleared (docs/api.md §2).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths } from './schema.js';

// ---- types: the document's named schemas (components/schemas) ----------------

type Schemas = components['schemas'];
/** The answer of POST /auth/login and /auth/refresh. */
export type TokenResponse = Schemas['TokenResponse'];
/** The answer of POST /account/login and /account/refresh: the tokens went into cookies. */
export type BrowserSession = Schemas['BrowserSession'];
export type User = Schemas['User'];
export type Session = Schemas['Session'];
/** GET /auth/me: the caller. */
export type Me = paths['/auth/me']['get']['responses'][200]['content']['application/json'];
/** One of GET /auth/sessions. */
export type SessionInfo = Schemas['ActiveSession'];
/** GET /auth/sessions: one page, the cursor to the next, and the caller's own session. */
export type SessionPage = Schemas['SessionPage'];
/** GET /auth/sessions's query: `limit` (1–200, default 50) and the previous page's `nextCursor`. */
export type SessionPageQuery = NonNullable<paths['/auth/sessions']['get']['parameters']['query']>;
export type Credentials = Schemas['LoginRequest'];
/** POST /auth/login's answer for an account with TOTP: no session yet; continue with `loginMfa`. */
export type SecondFactorRequired = Schemas['SecondFactorRequired'];
/** The second step: the mfaToken and a TOTP code or a recovery code. */
export type SecondFactor = Schemas['MfaLoginRequest'];
/** A passkey sign-in: the challenge of POST /auth/passkeys/authentication-options and the browser's assertion. */
export type PasskeySignIn = Schemas['PasskeyLoginRequest'];
/** POST /auth/reauthenticate: the password, a TOTP code, or a passkey assertion. */
export type Proof = paths['/auth/reauthenticate']['post']['requestBody']['content']['application/json'];
export type PasswordChange = paths['/auth/password']['post']['requestBody']['content']['application/json'];
export type Registration = Schemas['RegisterRequest'];
export type LogoutRequest = Schemas['LogoutRequest'];
/** Every error answer's body. */
export type ErrorEnvelope = Schemas['ErrorEnvelope'];

/** docs/api.md §1's codes, and two of the client's own for answers that never reached or came from Gatehouse. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_CODE'
  | 'INVALID_CREDENTIAL'
  | 'INVALID_TOKEN'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'REAUTHENTICATION_REQUIRED'
  | 'EMAIL_NOT_VERIFIED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'VALIDATION_ERROR'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE'
  /** The request did not get an answer (no connection, DNS, aborted). status 0. */
  | 'NETWORK_ERROR'
  /** An answer that is not Gatehouse's error envelope (e.g. a proxy's error page). */
  | 'UNEXPECTED_RESPONSE';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** Every failed call: Gatehouse's error envelope, typed. */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly description: string;
  readonly details: ErrorDetail[];

  constructor(
    status: number,
    envelope: { code: ErrorCode; message: string; description?: string; details?: ErrorDetail[] },
    options?: { cause?: unknown },
  ) {
    super(envelope.message, options);
    this.status = status;
    this.code = envelope.code;
    this.description = envelope.description ?? envelope.message;
    this.details = envelope.details ?? [];
  }
}

// ---- tokens ------------------------------------------------------------------

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Where a bearer-mode client keeps its token pair (memory by default; bring your own to persist it). */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}

// ---- the client --------------------------------------------------------------

export interface GatehouseClientOptions {
  /** Where Gatehouse is, e.g. "http://127.0.0.1:3000"; in a page it serves, `location.origin`. */
  baseUrl: string;
  /** "bearer" (default): tokens in a TokenStore. "cookie": a page on Gatehouse's origin, tokens in HttpOnly cookies. */
  mode?: 'bearer' | 'cookie';
  /** Bearer mode: where the token pair is kept. */
  tokens?: TokenStore;
  fetch?: (request: Request) => Promise<Response>;
  /** Called when the client learns its session is over (logout, or a refresh that got 401). */
  onSignedOut?: () => void;
}

export interface LogoutResult {
  /** True when Gatehouse said the session was already over (401 or 409): still a success. */
  alreadyEnded: boolean;
}

const REFRESH_LOCK = 'gatehouse-refresh';

export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
  return new GatehouseClient(options);
}

export class GatehouseClient {
  /**
   * Every operation of the API document, typed, with authentication and
   * refresh-and-retry applied: `client.api.GET('/auth/sessions')`.
   */
  readonly api: Client<paths>;
  readonly mode: 'bearer' | 'cookie';
  readonly #plain: Client<paths>;
  /** Authenticated like `api`, but a 401 is returned as it is: for calls whose 401 means a wrong password or code. */
  readonly #checked: Client<paths>;
  readonly #tokens: TokenStore;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #onSignedOut: (() => void) | undefined;
  #refreshing: Promise<boolean> | null = null;
  /** Cookie mode: bumped by every sign-in and refresh, so a late 401 can tell it is already stale. */
  #generation = 0;
  #session: { id: string; userId: string } | null = null;

  constructor(options: GatehouseClientOptions) {
    this.mode = options.mode ?? 'bearer';
    this.#tokens = options.tokens ?? memoryTokenStore();
    this.#onSignedOut = options.onSignedOut;
    const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.#fetch = baseFetch;
    const common = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      credentials: this.mode === 'cookie' ? ('same-origin' as const) : ('omit' as const),
    };
    this.#plain = createClient<paths>({ ...common, fetch: baseFetch });
    this.#checked = createClient<paths>({
      ...common,
      fetch: (request) => {
        this.#authorize(request);
        return baseFetch(request);
      },
    });
    this.api = createClient<paths>({ ...common, fetch: (request) => this.#send(request) });
  }

  /** Bearer mode: the current token pair, if signed in. */
  get tokens(): Tokens | null {
    return this.#tokens.get();
  }

  async register(body: Registration): Promise<User> {
    return (await unwrap(this.#plain.POST('/auth/register', { body }))).user;
  }

  /**
   * Opens a session: bearer mode keeps the tokens; cookie mode gets them set as cookies.
   * For an account with TOTP the answer is `{mfaRequired, mfaToken}` and no session: call `loginMfa`.
   */
  async login(credentials: Credentials): Promise<TokenResponse | BrowserSession | SecondFactorRequired> {
    const answer =
      this.mode === 'cookie'
        ? await unwrap(this.#plain.POST('/account/login', { body: credentials }))
        : await unwrap(this.#plain.POST('/auth/login', { body: credentials }));
    if ('mfaRequired' in answer) return answer;
    return this.#signedIn(answer);
  }

  /** The second step of a login that answered mfaRequired. */
  async loginMfa(body: SecondFactor): Promise<TokenResponse | BrowserSession> {
    return this.#signedIn(
      this.mode === 'cookie'
        ? await unwrap(this.#plain.POST('/account/login/mfa', { body }))
        : await unwrap(this.#plain.POST('/auth/login/mfa', { body })),
    );
  }

  /** Signs in with a passkey (no password): the answer of `startAuthentication()` for a challenge of POST /auth/passkeys/authentication-options. */
  async loginPasskey(body: PasskeySignIn): Promise<TokenResponse | BrowserSession> {
    return this.#signedIn(
      this.mode === 'cookie'
        ? await unwrap(this.#plain.POST('/account/login/passkey', { body }))
        : await unwrap(this.#plain.POST('/auth/login/passkey', { body })),
    );
  }

  /**
   * POST /auth/reauthenticate: proves it is still the user (password, TOTP code or passkey),
   * so that sensitive changes are allowed for a while. A 401 here means a wrong proof, and is
   * not refreshed and retried: a retry would count one wrong guess twice.
   */
  async reauthenticate(proof: Proof): Promise<void> {
    await unwrap(this.#checked.POST('/auth/reauthenticate', { body: proof }));
  }

  /** POST /auth/password: every other session ends. A 401 means a wrong current password (not retried, as above). */
  async changePassword(body: PasswordChange): Promise<void> {
    await unwrap(this.#checked.POST('/auth/password', { body }));
  }

  #signedIn<T extends TokenResponse | BrowserSession>(answer: T): T {
    if ('accessToken' in answer)
      this.#tokens.set({ accessToken: answer.accessToken, refreshToken: answer.refreshToken });
    else this.#generation++;
    this.#remember(answer);
    return answer;
  }

  /**
   * Rotates the token pair now. Parallel callers share one refresh. False
   * (and local state cleared) when the session is over; throws when Gatehouse
   * could not answer (5xx, 429, network), keeping the tokens for a retry.
   */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async me(): Promise<Me> {
    const me = await unwrap(this.api.GET('/auth/me'));
    this.#session = { id: me.session.id, userId: me.user.id };
    return me;
  }

  /** One page of this account's sessions, newest first; pass `nextCursor` back as `cursor` for the next. */
  async sessions(query: SessionPageQuery = {}): Promise<SessionPage> {
    return unwrap(this.api.GET('/auth/sessions', { params: { query } }));
  }

  /**
   * Every session of this account, newest first, following the cursor page by page (200 a
   * page) up to `max` sessions. A session opened meanwhile is not listed and one ended
   * meanwhile may be; neither is listed twice.
   */
  async allSessions(max = 10_000): Promise<SessionInfo[]> {
    const all: SessionInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.sessions({ limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.sessions);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && all.length < max);
    return all.slice(0, max);
  }

  /**
   * POST /auth/logout. No argument: this session. A 401 or 409 means the
   * session is already over and resolves `{alreadyEnded: true}`. When the
   * request ends this client's own session, local state is cleared whatever
   * the outcome (a failure is still thrown, after clearing).
   */
  async logout(body: LogoutRequest = {}): Promise<LogoutResult> {
    const own = this.#endsOwnSession(body);
    try {
      const { error, response } = await this.api.POST('/auth/logout', { body });
      if (response.ok) {
        if (own) this.#signedOut();
        return { alreadyEnded: false };
      }
      // 401: our own session is over, whatever the body named.
      if (response.status === 401) {
        this.#signedOut();
        return { alreadyEnded: true };
      }
      // 409: the session named had already ended.
      if (response.status === 409) {
        if (own) this.#signedOut();
        return { alreadyEnded: true };
      }
      throw toError(error, response);
    } catch (err) {
      if (own) this.#signedOut();
      throw asGatehouseError(err);
    }
  }

  /** Signs out one device (one of `sessions()`); 409 (already signed out) counts as done. */
  endSession(sessionId: string): Promise<LogoutResult> {
    return this.logout({ sessionId });
  }

  /** Signs out every other device; this one stays signed in. */
  endOtherSessions(): Promise<LogoutResult> {
    return this.logout({ scope: 'others' });
  }

  /** Signs out every device, this one included. */
  endAllSessions(): Promise<LogoutResult> {
    return this.logout({ scope: 'all' });
  }

  /** POST /auth/revoke (RFC 7009): ends the session of a token; always succeeds for a well-formed request. */
  async revoke(token: string): Promise<void> {
    await unwrap(this.#plain.POST('/auth/revoke', { body: { token } }));
  }

  // ---- authentication, refresh and retry ---------------------------------

  /** The fetch behind `api`: authenticate, and on a 401 refresh once (shared) and retry once. */
  async #send(request: Request): Promise<Response> {
    const retry = request.clone(); // the body can be read only once
    const used = this.#authorize(request);
    const response = await this.#fetch(request);
    if (response.status !== 401 || !this.#canRefresh()) return response;
    if (!(await this.#renewedSince(used))) return response;
    this.#authorize(retry);
    return this.#fetch(retry);
  }

  /** Adds the credentials; returns a mark telling which credentials were used. */
  #authorize(request: Request): string | number | null {
    if (this.mode === 'cookie') return this.#generation; // the browser adds the cookie
    const tokens = this.#tokens.get();
    if (tokens) request.headers.set('authorization', `Bearer ${tokens.accessToken}`);
    return tokens?.accessToken ?? null;
  }

  #mark(): string | number | null {
    return this.mode === 'cookie' ? this.#generation : (this.#tokens.get()?.accessToken ?? null);
  }

  #canRefresh(): boolean {
    return this.mode === 'cookie' || this.#tokens.get() !== null;
  }

  /** True when there are newer credentials to retry with: refreshed by this call, or by another meanwhile. */
  async #renewedSince(used: string | number | null): Promise<boolean> {
    const now = this.#mark();
    if (now !== used) return now !== null;
    return this.refresh();
  }

  async #refreshOnce(): Promise<boolean> {
    if (this.mode === 'cookie') {
      // Tabs share the cookies: one refreshes at a time, and a tab that finds the
      // cookies renewed by another while it waited does not present the spent refresh token.
      const locks = (globalThis as { navigator?: Navigator }).navigator?.locks;
      return locks
        ? locks.request(REFRESH_LOCK, () => this.#refreshCookies(true))
        : this.#refreshCookies(false);
    }
    const tokens = this.#tokens.get();
    if (!tokens) return false;
    const result = await capture(
      this.#plain.POST('/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
    );
    if (result.response.ok && result.data) {
      // Only if no one signed out or in meanwhile.
      if (this.#tokens.get() === tokens)
        this.#tokens.set({ accessToken: result.data.accessToken, refreshToken: result.data.refreshToken });
      this.#remember(result.data);
      return true;
    }
    return this.#refreshFailed(result.error, result.response);
  }

  async #refreshCookies(probeFirst: boolean): Promise<boolean> {
    if (probeFirst && (await capture(this.#plain.GET('/auth/me'))).response.ok) {
      this.#generation++;
      return true;
    }
    const result = await capture(this.#plain.POST('/account/refresh'));
    if (result.response.ok && result.data) {
      this.#generation++;
      this.#remember(result.data);
      return true;
    }
    return this.#refreshFailed(result.error, result.response);
  }

  #refreshFailed(error: unknown, response: Response): false {
    if (response.status !== 401) throw toError(error, response);
    this.#signedOut();
    return false;
  }

  #remember(grant: { session: { id: string }; user: { id: string } }): void {
    this.#session = { id: grant.session.id, userId: grant.user.id };
  }

  #endsOwnSession(body: LogoutRequest): boolean {
    if (body.sessionId !== undefined) return body.sessionId === this.#session?.id;
    if (body.userId !== undefined) return body.userId === this.#session?.userId;
    return body.scope !== 'others';
  }

  #signedOut(): void {
    const had = this.#session !== null || this.#tokens.get() !== null;
    if (this.mode === 'bearer') this.#tokens.set(null);
    this.#session = null;
    if (had) this.#onSignedOut?.();
  }
}

// ---- answers → data or GatehouseError ---------------------------------------

export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

async function capture<T>(call: Promise<Answer<T>>): Promise<Answer<T>> {
  try {
    return await call;
  } catch (err) {
    throw asGatehouseError(err);
  }
}

/** The data of a call of `client.api`, or its error answer as a GatehouseError. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await capture(call);
  if (!response.ok || data === undefined) throw toError(error, response);
  return data;
}

function isEnvelope(body: unknown): body is { code: ErrorCode; message: string; description?: string } {
  const b = body as Record<string, unknown> | null;
  return typeof b === 'object' && b !== null && typeof b.code === 'string' && typeof b.message === 'string';
}

function toError(body: unknown, response: Response): GatehouseError {
  if (isEnvelope(body)) return new GatehouseError(response.status, body);
  return new GatehouseError(response.status, {
    code: 'UNEXPECTED_RESPONSE',
    message: response.statusText || 'Unexpected response',
    description: `Gatehouse answered ${response.status} without its error envelope`,
  });
}

function asGatehouseError(err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  return new GatehouseError(
    0,
    {
      code: 'NETWORK_ERROR',
      message: 'Network error',
      description: `Gatehouse could not be reached: ${err instanceof Error ? err.message : String(err)}`,
    },
    { cause: err },
  );
}
