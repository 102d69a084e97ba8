#!/usr/bin/env bash
# Chromium for the UI suite: Debian's package (no browser download from anywhere else). Installs it
# when missing and we are root (CI); otherwise says what to run. UI_CHROMIUM overrides the path.
set -euo pipefail
chromium="${UI_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ -n "${UI_CHROMIUM:-}" ]; then
  echo "UI_CHROMIUM=$UI_CHROMIUM is not an executable file" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium is missing at /usr/bin/chromium. Install Debian's package as root: apt-get update && apt-get install -y chromium (or set UI_CHROMIUM to a Chromium binary)" >&2
  exit 1
fi
echo "Chromium is missing: installing Debian's package (apt-get update && apt-get install -y chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "apt-get install chromium finished but /usr/bin/chromium is missing" >&2; exit 1; }
echo "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
