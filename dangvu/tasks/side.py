"""Side values: small JSON values written outside the caller's transaction and visible at once to every
process, on every machine that shares the database.

Used for what a running job reports while its own transaction is still open: an import's progress (the
import writes all its rows in ONE transaction, so nothing it writes there is visible before the end) and
the worker heartbeats (a worker busy in a long transaction must still say it is alive).

- PostgreSQL: the table `dangvu_side_value` of the same database, written through a second connection of
  the same process in autocommit mode (one per thread). Ages are computed by the database's clock, so
  machines with skewed clocks still agree.
- SQLite: the same table in a sibling file (`<database>.side`, or a per-process temporary file for an
  in-memory test database): SQLite has one write lock per database file, which a running import holds.
  SQLite deployments are single-machine, so every process of the deployment shares that file.

The values are transient (progress, heartbeats): they are not part of backups.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import threading
from typing import Any

from django.db import connection

TABLE = "dangvu_side_value"
_local = threading.local()

_SQLITE_NOW = "((julianday('now') - 2440587.5) * 86400.0)"
_PG_NOW = "extract(epoch from clock_timestamp())"


def _sqlite_path(name: str) -> str:
    if not name or name == ":memory:" or "mode=memory" in name:
        return os.path.join(tempfile.gettempdir(), f"dangvu-side-{os.getpid()}.sqlite3")
    return f"{name}.side"


def _connect() -> tuple[Any, str, str]:
    """(connection, placeholder, now-expression) for this thread, reopened when the database changed."""
    settings = connection.settings_dict
    target = (connection.vendor, settings["NAME"], settings.get("HOST"), settings.get("PORT"))
    cached = getattr(_local, "conn", None)
    if cached is not None and cached[0] == target:
        return cached[1]
    if cached is not None:
        close()
    if connection.vendor == "postgresql":
        import psycopg

        raw = psycopg.connect(
            dbname=settings["NAME"],
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            autocommit=True,
        )
        handle = (raw, "%s", _PG_NOW)
    else:
        raw = sqlite3.connect(_sqlite_path(str(settings["NAME"])), timeout=10, isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (key varchar(200) PRIMARY KEY, value text NOT NULL, "
            "updated_at real NOT NULL)"
        )
        handle = (raw, "?", _SQLITE_NOW)
    _local.conn = (target, handle)
    return handle


def close() -> None:
    cached = getattr(_local, "conn", None)
    _local.conn = None
    if cached is not None:
        with contextlib.suppress(Exception):  # closing a broken connection
            cached[1][0].close()


def _execute(sql: str, params: tuple = ()) -> list[tuple]:
    for attempt in (1, 2):
        raw, _p, _now = _connect()
        try:
            cursor = raw.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
        except Exception:
            close()  # a dropped connection: reconnect once
            if attempt == 2:
                raise
    return []


def put(key: str, value: Any) -> None:
    _raw, p, now = _connect()
    _execute(
        f"INSERT INTO {TABLE} (key, value, updated_at) VALUES ({p}, {p}, {now}) "  # noqa: S608 - fixed names
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, json.dumps(value)),
    )


def get(key: str, default: Any = None) -> Any:
    _raw, p, _now = _connect()
    rows = _execute(f"SELECT value FROM {TABLE} WHERE key = {p}", (key,))  # noqa: S608
    return json.loads(rows[0][0]) if rows else default


def scan(prefix: str) -> dict[str, tuple[Any, float]]:
    """{key: (value, age in seconds)} of every key starting with `prefix`."""
    _raw, p, now = _connect()
    rows = _execute(
        f"SELECT key, value, {now} - updated_at FROM {TABLE} WHERE key LIKE {p} ESCAPE '!'",  # noqa: S608
        (prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%",),
    )
    return {key: (json.loads(value), float(age)) for key, value, age in rows}


def delete(key: str) -> None:
    _raw, p, _now = _connect()
    _execute(f"DELETE FROM {TABLE} WHERE key = {p}", (key,))  # noqa: S608
