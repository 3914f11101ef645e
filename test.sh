#!/usr/bin/env bash
# Run the whole test suite on SQLite and on PostgreSQL; exit non-zero on any failure.
#   ./test.sh              everything (lint, migrations check, tests on both databases)
#   ./test.sh -k merge     extra arguments go to pytest (the multi-process topology test then runs only
#                          when selected, e.g. ./test.sh tests/topology -m topology)
# PostgreSQL: DANGVU_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres; the test
# database is created next to it). When it is unreachable the suite runs on SQLite only and says so,
# unless CI=true or DANGVU_REQUIRE_POSTGRES=1, which make that a failure.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
bash scripts/system-deps.sh
bash scripts/redis-up.sh
export DANGVU_DATA_DIR="${DANGVU_DATA_DIR:-$(mktemp -d)}"
mkdir -p "$DANGVU_DATA_DIR/static"  # whitenoise warns when STATIC_ROOT is missing; tests serve from the apps
export DANGVU_TWO_FACTOR=1 DEBUG=0 DANGVU_HTTPS=0

echo "== lint (ruff) and migrations check"
ruff check .
DATABASE_URL="sqlite:///$DANGVU_DATA_DIR/check.sqlite3" dangvu makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite"
DATABASE_URL="sqlite:///$DANGVU_DATA_DIR/test.sqlite3" pytest -q -m "not topology" "$@"

PG_URL="${DANGVU_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if python -c "import sys, psycopg; psycopg.connect(sys.argv[1].replace('postgres://', 'postgresql://', 1), connect_timeout=5).close()" "$PG_URL" 2>/dev/null; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" pytest -q -m "not topology" "$@"
  if [ $# -eq 0 ]; then
    echo "== multi-process topology test (2 gunicorn processes, 1 worker, PostgreSQL, Redis)"
    DANGVU_TEST_POSTGRES_URL="$PG_URL" DATABASE_URL="$PG_URL" pytest -q -m topology
  fi
else
  echo "!! PostgreSQL is unreachable at $PG_URL: the suite ran on SQLite only."
  if [ "${CI:-}" = "true" ] || [ "${DANGVU_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "!! CI requires PostgreSQL: failing." >&2
    exit 1
  fi
fi
