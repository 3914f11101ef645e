#!/usr/bin/env bash
# Set up everything and run dangvu on http://127.0.0.1:8000 with the demo data.
# Creates .venv, installs the locked dependencies, migrates the database (SQLite file under ./data by
# default; set DATABASE_URL for PostgreSQL), loads the demo world if the database is empty, prints the
# demo log-ins (one per role) and starts the server with a background worker beside it (imports, e-mail
# notices, the daily digest and other scheduled work run there; it stops with the server). Two-factor authentication is off for the demo
# (DANGVU_TWO_FACTOR=0) so the printed log-ins work as they are; production turns it on.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
export DANGVU_TWO_FACTOR="${DANGVU_TWO_FACTOR:-0}"
export DANGVU_HTTPS="${DANGVU_HTTPS:-0}"   # the development server speaks plain HTTP on localhost
export DANGVU_LOG_FORMAT="${DANGVU_LOG_FORMAT:-text}"   # readable in a terminal (production: JSON lines)
ADDR="${DANGVU_ADDR:-127.0.0.1:8000}"
dangvu migrate --noinput -v0
dangvu collectstatic --noinput -v0
dangvu seed_demo --if-empty
echo
echo "dangvu is starting on http://$ADDR/ with a background worker (Ctrl+C stops both)"
dangvu worker &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
dangvu runserver "$ADDR" --noreload
