#!/usr/bin/env bash
# The production install, from a clean copy of the committed tree: install, build, drop the
# development dependencies, start `node dist/main.js` on a fresh embedded store, and wait for
# GET /ready to answer 200. Proves the server runs with no compiler and no dev dependency.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$src" archive --format=tar HEAD | tar -x -C "$work"
cd "$work"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
npm prune --omit=dev --no-audit --no-fund --loglevel=error
for tool in tsc tsx esbuild vitest; do
  if [ -e "node_modules/.bin/$tool" ]; then echo "production install still has $tool" >&2; exit 1; fi
done

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT="$port" HOST=127.0.0.1 DATA_DIR="$work/data" DATABASE_URL= node dist/main.js >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$port/ready" >/dev/null; then
    echo "production install: node dist/main.js answered /ready 200 with $(ls node_modules | wc -l) packages installed (no dev dependencies)"
    exit 0
  fi
  if ! kill -0 "$server" 2>/dev/null; then break; fi
  sleep 0.5
done
echo "production install: the server never answered /ready 200" >&2
cat "$work/server.log" >&2
exit 1
