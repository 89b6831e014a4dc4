import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The account page's files. The HTML and stylesheet are served as written in
 * web/account/ (two levels up from both src/http and dist/http). Its script
 * is the page code and the typed client (client/) bundled into one ES module:
 * `npm run build` writes it to dist/web/account.js; running from source
 * (tests, `npm run dev`) it is bundled on first use instead, so the page
 * always runs the client as it is now — there is no second HTTP layer.
 */
const PAGE_DIR = new URL('../../web/account/', import.meta.url);
const BUILT_SCRIPT = new URL('../web/account.js', import.meta.url);

export interface AccountAssets {
  html: string;
  css: string;
  script: string;
}

let loading: Promise<AccountAssets> | undefined;

/** The page's files, read (and if need be bundled) once per process. */
export function accountAssets(): Promise<AccountAssets> {
  loading ??= load().catch((err) => {
    loading = undefined; // a failure is retried on the next request, not remembered
    throw err;
  });
  return loading;
}

async function load(): Promise<AccountAssets> {
  const [html, css, script] = await Promise.all([
    readFile(new URL('index.html', PAGE_DIR), 'utf8'),
    readFile(new URL('account.css', PAGE_DIR), 'utf8'),
    builtScript(),
  ]);
  return { html, css, script };
}

async function builtScript(): Promise<string> {
  try {
    return await readFile(BUILT_SCRIPT, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return bundleAccountScript();
  }
}

/** Bundles web/account/account.ts with the typed client for browsers (esbuild, a build-time tool). */
export async function bundleAccountScript(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('account.ts', PAGE_DIR))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no account page script');
  return file.text;
}
