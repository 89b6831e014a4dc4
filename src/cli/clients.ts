import { isSigningAlg, SIGNING_ALGS, type SigningAlg } from '../domain/keys.js';
import { clientUriProblem } from '../oidc/clients.js';
import { command, required, UsageError } from './command.js';

/** `gatehouse clients …`: the OpenID Provider's relying parties (docs/oidc.md). */

export interface ClientsAddArgs {
  name: string;
  id: string | undefined;
  type: 'confidential' | 'public';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | undefined;
  /** Undefined: the default (RS256). */
  idTokenAlg: SigningAlg | undefined;
  json: boolean;
}
export interface ClientsListArgs {
  all: boolean;
  json: boolean;
}
export interface ClientIdArgs {
  id: string;
  json: boolean;
}

const CLIENT_ID = /^[A-Za-z0-9._-]{3,64}$/;

function clientIdArg(raw: string | undefined): string {
  const id = required('id', raw);
  if (!CLIENT_ID.test(id))
    throw new UsageError(`--id must be a client id (3-64 letters, digits, . _ -; got '${id}')`);
  return id;
}

function idTokenAlgArg(raw: string | undefined): SigningAlg | undefined {
  if (raw === undefined) return undefined;
  if (!isSigningAlg(raw))
    throw new UsageError(
      `--id-token-signed-response-alg must be ${SIGNING_ALGS.join(' or ')} (got '${raw}')`,
    );
  return raw;
}

function uris(flag: string, raw: string[] | undefined): string[] {
  for (const uri of raw ?? []) {
    const problem = clientUriProblem(uri);
    if (problem) throw new UsageError(`--${flag} ${problem}`);
  }
  return raw ?? [];
}

export const clientsAdd = command<
  {
    name?: string;
    id?: string;
    public?: boolean;
    'redirect-uri'?: string[];
    'post-logout-redirect-uri'?: string[];
    'backchannel-logout-uri'?: string;
    'id-token-signed-response-alg'?: string;
    json?: boolean;
  },
  ClientsAddArgs
>({
  path: ['clients', 'add'],
  summary: 'Register an application that signs its users in through Gatehouse (OpenID Connect).',
  synopsis:
    '--name <text> --redirect-uri <uri>… [--post-logout-redirect-uri <uri>…] [--backchannel-logout-uri <uri>] [--id-token-signed-response-alg RS256|EdDSA] [--public] [--id <id>] [--json]',
  description:
    'Prints the client id and, for a confidential client, its secret, once (only its SHA-256 is kept).\n' +
    'Every URI is matched exactly as given. A public client (a single-page or native app) has no secret\n' +
    'and must use PKCE. With a back-channel logout URI, the application is told (a signed logout_token)\n' +
    'whenever a Gatehouse session it signed in with ends, however it ends. Its ID tokens and logout\n' +
    'tokens are signed RS256 (what relying parties expect by default) unless EdDSA is asked for.',
  options: {
    name: { type: 'string' },
    id: { type: 'string' },
    public: { type: 'boolean' },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'backchannel-logout-uri': { type: 'string' },
    'id-token-signed-response-alg': { type: 'string' },
  },
  optionHelp: [
    { flag: '--name <text>', description: 'what the application is called (required)' },
    { flag: '--redirect-uri <uri>', description: 'where codes may be sent; repeat for several (required)' },
    {
      flag: '--post-logout-redirect-uri <uri>',
      description: 'where a logout may return; repeat for several',
    },
    { flag: '--backchannel-logout-uri <uri>', description: 'where logout tokens are POSTed' },
    {
      flag: '--id-token-signed-response-alg <alg>',
      description: 'RS256 (default) or EdDSA: how its ID and logout tokens are signed',
    },
    { flag: '--public', description: 'no secret: PKCE only (single-page and native apps)' },
    { flag: '--id <id>', description: 'choose the client id (default: generated)' },
  ],
  examples: [
    'gatehouse clients add --name Grafana --redirect-uri https://grafana.example.com/login/generic_oauth \\\n' +
      '    --post-logout-redirect-uri https://grafana.example.com/login \\\n' +
      '    --backchannel-logout-uri https://grafana.example.com/oidc/backchannel',
  ],
  json: true,
  check(v) {
    const redirectUris = uris('redirect-uri', v['redirect-uri']);
    if (redirectUris.length === 0) throw new UsageError('--redirect-uri is required');
    const backchannel = v['backchannel-logout-uri'];
    if (backchannel !== undefined) uris('backchannel-logout-uri', [backchannel]);
    return {
      name: required('name', v.name),
      id: v.id === undefined ? undefined : clientIdArg(v.id),
      type: v.public === true ? 'public' : 'confidential',
      redirectUris,
      postLogoutRedirectUris: uris('post-logout-redirect-uri', v['post-logout-redirect-uri']),
      backchannelLogoutUri: backchannel,
      idTokenAlg: idTokenAlgArg(v['id-token-signed-response-alg']),
      json: v.json === true,
    };
  },
  load: () => import('./run/clients.js').then((m) => m.addClientCommand),
});

export const clientsList = command<{ all?: boolean; json?: boolean }, ClientsListArgs>({
  path: ['clients', 'list'],
  summary: 'List the registered OpenID Connect clients and their URIs (never their secrets).',
  synopsis: '[--all] [--json]',
  options: { all: { type: 'boolean' } },
  optionHelp: [{ flag: '--all', description: 'include removed clients' }],
  examples: ['gatehouse clients list'],
  json: true,
  check: (v) => ({ all: v.all === true, json: v.json === true }),
  load: () => import('./run/clients.js').then((m) => m.listClientsCommand),
});

export const clientsRemove = command<{ id?: string; json?: boolean }, ClientIdArgs>({
  path: ['clients', 'remove'],
  summary: 'Remove a client: refused from now on, its tokens revoked, its pending logout tokens dropped.',
  synopsis: '--id <client id> [--json]',
  options: { id: { type: 'string' } },
  optionHelp: [{ flag: '--id <id>', description: 'the client (see clients list; required)' }],
  examples: ['gatehouse clients remove --id gh_Qx3…'],
  json: true,
  check: (v) => ({ id: clientIdArg(v.id), json: v.json === true }),
  load: () => import('./run/clients.js').then((m) => m.removeClientCommand),
});

export const clientsRotateSecret = command<{ id?: string; json?: boolean }, ClientIdArgs>({
  path: ['clients', 'rotate-secret'],
  summary: 'Give a confidential client a new secret (shown once); the old one stops working at once.',
  synopsis: '--id <client id> [--json]',
  options: { id: { type: 'string' } },
  optionHelp: [{ flag: '--id <id>', description: 'the client (required)' }],
  examples: ['gatehouse clients rotate-secret --id gh_Qx3…'],
  json: true,
  check: (v) => ({ id: clientIdArg(v.id), json: v.json === true }),
  load: () => import('./run/clients.js').then((m) => m.rotateSecretCommand),
});
