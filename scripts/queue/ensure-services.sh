#!/usr/bin/env bash
# Redis and PostgreSQL servers for the queue-mode suite: Debian's packages (redis-server,
# postgresql), installed by scripts/lib/apt-install.sh when missing. Only installs: the suite
# starts its own servers in temporary folders on free ports.
set -euo pipefail
has_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
has_postgres || missing+=(postgresql)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
bash "$(dirname "$0")/../lib/apt-install.sh" "the queue-mode test" --no-install-recommends "${missing[@]}"
command -v redis-server >/dev/null || { echo "redis-server is missing after apt-get install" >&2; exit 1; }
has_postgres || { echo "postgres is missing after apt-get install" >&2; exit 1; }
echo "installed $(redis-server --version | cut -d' ' -f1-3) and $(ls -d /usr/lib/postgresql/*/bin/postgres | head -1)"
