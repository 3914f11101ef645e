#!/usr/bin/env bash
# Create .venv and install the locked dependencies (idempotent: skipped when the lock is unchanged).
# Sourced by run.sh and test.sh; afterwards `dangvu` and `pytest` are on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi
STAMP="$VENV/.dangvu-lock"
WANT="$(sha256sum "$ROOT/requirements.lock" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "== installing locked dependencies (requirements.lock)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q --require-hashes -r "$ROOT/requirements.lock"
  "$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e "$ROOT" 2>/dev/null \
    || "$VENV/bin/python" -m pip install -q --no-deps -e "$ROOT"
  echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
# Translations are compiled from the committed .po files (the .mo files are build output).
( cd "$ROOT" && dangvu compilemessages -v0 --ignore=.venv 2>/dev/null ) || echo "warning: compilemessages failed (is gettext installed?)" >&2
