"""Backup and restore of the database and the uploaded files (issue 10 item 4).

A backup is one tar file:
- `manifest.json`: format, database vendor, time, dangvu version, the latest migration of each app;
- `database.dump` (PostgreSQL: `pg_dump --format=custom`, consistent as of its start while the site runs)
  or `database.sqlite3` (SQLite: the online backup API, consistent while the site runs);
- `media/…`: the uploaded files (MEDIA_ROOT; meeting documents and the like).

Restore puts the database back as it was (PostgreSQL: `pg_restore --clean --if-exists` in one transaction;
SQLite: the backup API in reverse) and the uploaded files (the current folder is kept aside as
`media.before-restore-<time>`, never deleted). Restore into the same dangvu version, with the web processes
and workers stopped. Side values (progress, heartbeats) are transient and not part of a backup.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def _pg_env_and_args() -> tuple[dict, list[str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    return env, [*args, "--dbname", s["NAME"]]


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - fixed programs
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def backup(target: Path) -> Path:
    """Write a backup to `target` (a file, or a folder where a dated file is created); returns the file."""
    target = Path(target)
    if target.is_dir():
        target = target / f"dangvu-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="dangvu-backup-") as work:
        work_dir = Path(work)
        if connection.vendor == "postgresql":
            dump = work_dir / "database.dump"
            env, args = _pg_env_and_args()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *args], env)
        elif connection.vendor == "sqlite":
            dump = work_dir / "database.sqlite3"
            connection.ensure_connection()
            destination = sqlite3.connect(dump)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        else:
            raise BackupError(f"unsupported database: {connection.vendor}")
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "created": timezone.now().isoformat(),
            "migrations": _migrations(),
            "media": media.is_dir(),
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            if media.is_dir():
                tar.add(media, arcname="media")
        partial.replace(target)  # a backup file exists only when complete
    return target


def read_manifest(source: Path) -> dict:
    try:
        with tarfile.open(source, "r") as tar:
            return json.load(tar.extractfile("manifest.json"))
    except (KeyError, tarfile.ReadError, ValueError) as exc:
        raise BackupError("not a dangvu backup: manifest.json is missing or unreadable") from exc


def restore(source: Path) -> dict:
    """Restore the database and the uploaded files from a backup made by `backup()`; returns its manifest."""
    source = Path(source)
    manifest = read_manifest(source)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"the backup is of {manifest['vendor']}, this database is {connection.vendor}")
    with tempfile.TemporaryDirectory(prefix="dangvu-restore-") as work:
        work_dir = Path(work)
        with tarfile.open(source, "r") as tar:
            tar.extractall(work_dir, filter="data")
        if connection.vendor == "postgresql":
            connections.close_all()
            env, args = _pg_env_and_args()
            command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
            _run([*command, *args, str(work_dir / "database.dump")], env)
        else:
            connection.ensure_connection()
            origin = sqlite3.connect(work_dir / "database.sqlite3")
            try:
                origin.backup(connection.connection)
            finally:
                origin.close()
        media = Path(settings.MEDIA_ROOT)
        if manifest.get("media"):
            if media.exists():
                aside = media.with_name(f"{media.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}")  # noqa: DTZ005
                media.rename(aside)
            media.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work_dir / "media", media)
    return manifest
