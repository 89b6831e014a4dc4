/**
 * What a build is made from, as one hash: the content of every file under src/, web/ and
 * client/, and package.json. `npm run build` writes it to dist/.build-stamp; `npm start`
 * rebuilds only when the sources no longer match it (content, not times: a fresh checkout or a
 * touched file with the same bytes needs no build).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const INPUTS = ['src', 'web', 'client'];

export function sourceStamp(root) {
  const hash = createHash('sha256');
  const files = INPUTS.filter((dir) => existsSync(`${root}${dir}`)).flatMap((dir) =>
    readdirSync(`${root}${dir}`, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => `${e.parentPath}/${e.name}`.slice(root.length)),
  );
  for (const file of [...files.sort(), 'package.json']) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(`${root}${file}`));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ was built from the sources as they are now (`npm start` and the test setup ask). */
export function buildIsCurrent(root) {
  let built;
  try {
    built = readFileSync(`${root}dist/.build-stamp`, 'utf8');
  } catch {
    return false; // no build yet
  }
  return built === sourceStamp(root);
}
