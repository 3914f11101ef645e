#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the browser tests (Playwright drives it;
# no browser download), gettext for translations, redis-server for the shared-state and multi-process
# tests, pg_dump/pg_restore for the backup round trip. Installs them when missing and we are root.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them (sudo apt-get install -y ${missing[*]}) and run again." >&2
  exit 1
fi
echo "== installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
