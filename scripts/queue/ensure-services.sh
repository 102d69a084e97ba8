#!/usr/bin/env bash
# Redis and PostgreSQL servers for the queue-mode suite: Debian's packages (redis-server,
# postgresql). Installs them when missing and we are root (CI); otherwise says what to run.
# Only installs: the suite starts its own servers in temporary folders on free ports.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing for the queue-mode test: ${missing[*]}. Install Debian's packages as root: apt-get update && apt-get install -y redis-server postgresql" >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]} (apt-get update && apt-get install -y ${missing[*]})"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d 101: the packages' maintainer scripts must not start system-wide servers.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  trap 'rm -f "$policy"' EXIT
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
fi
status=0
apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null || status=$?
[ "$status" -eq 0 ] || { echo "apt-get install failed ($status)" >&2; exit "$status"; }
command -v redis-server >/dev/null || { echo "redis-server is missing after apt-get install" >&2; exit 1; }
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || { echo "postgres is missing after apt-get install" >&2; exit 1; }
echo "installed $(redis-server --version | cut -d' ' -f1-3) and $(ls -d /usr/lib/postgresql/*/bin/postgres | head -1)"
