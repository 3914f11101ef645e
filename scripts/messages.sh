#!/usr/bin/env bash
# Refresh the Vietnamese catalogue from the sources (developer tool), then translate the new entries with
# scripts/po_set.py. Locations are left out and the creation date is fixed, so that the catalogue changes
# only where a message changes and parallel branches merge cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/dangvu makemessages -l vi --ignore=.venv --ignore=bench --no-location "$@"
sed -i 's/^"POT-Creation-Date: .*\\n"$/"POT-Creation-Date: 2026-01-01 00:00+0700\\n"/' dangvu/locale/vi/LC_MESSAGES/django.po
