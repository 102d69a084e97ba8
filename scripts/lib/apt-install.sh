#!/usr/bin/env bash
# Installs the Debian packages a test suite needs: as root with apt-get (CI), without starting the
# system-wide services they bring; otherwise says what to run and fails.
# Usage: apt-install.sh "<what needs them>" [--apt-option…] package…
set -euo pipefail
purpose="$1"
shift
options=()
while [ "$#" -gt 0 ] && [ "${1#--}" != "$1" ]; do
  options+=("$1")
  shift
done
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing for $purpose: $*. Install Debian's packages as root: apt-get update && apt-get install -y $*" >&2
  exit 1
fi
echo "Installing Debian's $* for $purpose (apt-get update && apt-get install -y $*)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d 101: the packages' maintainer scripts must not start system-wide servers.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  trap 'rm -f "$policy"' EXIT
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
fi
status=0
apt-get install -y -qq "${options[@]}" "$@" >/dev/null || status=$?
[ "$status" -eq 0 ] || { echo "apt-get install $* failed ($status)" >&2; exit "$status"; }
