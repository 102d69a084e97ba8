#!/usr/bin/env bash
# Chromium for the UI suite: Debian's package (no browser download from anywhere else), installed
# by scripts/lib/apt-install.sh when missing. UI_CHROMIUM overrides the path.
set -euo pipefail
chromium="${UI_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ -n "${UI_CHROMIUM:-}" ]; then
  echo "UI_CHROMIUM=$UI_CHROMIUM is not an executable file" >&2
  exit 1
fi
bash "$(dirname "$0")/../lib/apt-install.sh" "the UI suite (or set UI_CHROMIUM to a Chromium binary)" chromium
[ -x /usr/bin/chromium ] || { echo "apt-get install chromium finished but /usr/bin/chromium is missing" >&2; exit 1; }
echo "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
