/**
 * Part of `npm run build`: bundles the account page's script, with the typed
 * client, into dist/web/account.js, which the built server serves as
 * /account/account.js (src/http/account-assets.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { bundleAccountScript } from '../../src/http/account-assets.js';

const out = new URL('../../dist/web/account.js', import.meta.url);
await mkdir(new URL('.', out), { recursive: true });
await writeFile(out, await bundleAccountScript());
