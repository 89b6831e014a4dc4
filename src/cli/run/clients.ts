import {
  addClient,
  listClients,
  type OidcClient,
  removeClient,
  rotateClientSecret,
} from '../../oidc/clients.js';
import type { ClientIdArgs, ClientsAddArgs, ClientsListArgs } from '../clients.js';
import { cliActor, withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable, truncate } from '../output.js';

export async function addClientCommand(args: ClientsAddArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const { client, secret } = await addClient(
      ctx,
      {
        name: args.name,
        id: args.id,
        type: args.type,
        redirectUris: args.redirectUris,
        postLogoutRedirectUris: args.postLogoutRedirectUris,
        backchannelLogoutUri: args.backchannelLogoutUri ?? null,
        idTokenSignedResponseAlg: args.idTokenAlg,
      },
      cliActor(),
    );
    if (args.json) printJson(io, { client, secret });
    else {
      printLine(
        io,
        `Added ${client.type} client ${client.id} (${client.name}); ID tokens signed ${client.idTokenSignedResponseAlg}.`,
      );
      if (secret) printLine(io, `Client secret (shown once): ${secret}`);
      else printLine(io, 'Public client: no secret; it must use PKCE (S256).');
    }
    return 0;
  });
}

export async function listClientsCommand(args: ClientsListArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const clients = await listClients(ctx, { includeRemoved: args.all });
    if (args.json) printJson(io, { clients });
    else
      printTable<OidcClient>(
        io,
        clients,
        [
          ['ID', (c) => c.id],
          ['NAME', (c) => truncate(c.name, 30)],
          ['TYPE', (c) => c.type],
          ['ID TOKENS', (c) => c.idTokenSignedResponseAlg],
          ['REDIRECT URIS', (c) => truncate(c.redirectUris.join(' '), 60)],
          ['POST-LOGOUT URIS', (c) => truncate(c.postLogoutRedirectUris.join(' '), 40) || null],
          ['BACK-CHANNEL', (c) => truncate(c.backchannelLogoutUri, 40)],
          ['STATE', (c) => (c.removedAt ? `removed ${formatTime(c.removedAt)}` : 'active')],
        ],
        'No clients. Add one with: gatehouse clients add --name <text> --redirect-uri <uri>',
      );
    return 0;
  });
}

export async function removeClientCommand(args: ClientIdArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    await removeClient(ctx, args.id, cliActor());
    if (args.json) printJson(io, { removed: args.id });
    else printLine(io, `Removed client ${args.id}.`);
    return 0;
  });
}

export async function rotateSecretCommand(args: ClientIdArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const secret = await rotateClientSecret(ctx, args.id, cliActor());
    if (args.json) printJson(io, { id: args.id, secret });
    else {
      printLine(io, `New secret for client ${args.id} (shown once; the old one no longer works):`);
      printLine(io, secret);
    }
    return 0;
  });
}
