"""`dangvu backup` / `dangvu restore` round trip on the test's own database (SQLite or PostgreSQL,
whichever the run uses) and the uploaded files."""

from __future__ import annotations

import tarfile

import pytest
from django.core.management import CommandError, call_command

from dangvu import testing
from dangvu.members.models import Member
from dangvu.ops.backup import read_manifest
from dangvu.orgs.models import Organisation


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_puts_database_and_uploads_back(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "meetings").mkdir(parents=True)
    (tmp_path / "media" / "meetings" / "agenda.pdf").write_bytes(b"%PDF-1.7 original")
    tree = testing.make_tree()
    kept = testing.member(tree.c1, "Nguyễn Văn Giữ")
    before = (
        sorted(Member.objects.values_list("id", "full_name")),
        sorted(Organisation.objects.values_list("id", "name")),
        Member.history.count(),
    )

    call_command("backup", str(tmp_path))
    archive = capsys.readouterr().out.strip()
    assert archive.endswith(".tar") and not list(tmp_path.glob("*.partial"))
    manifest = read_manifest(archive)
    assert manifest["format"] == 1 and manifest["media"] and "members" in manifest["migrations"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "media/meetings/agenda.pdf" in names and any(n.startswith("database.") for n in names)

    # Changes after the backup: a new member, a renamed cell, an edited record, a changed upload.
    testing.member(tree.c2, "Trần Văn Mới")
    Organisation.objects.filter(pk=tree.c1.pk).update(name="Tên đã đổi")
    Member.objects.filter(pk=kept.pk).update(full_name="Đã sửa")
    (tmp_path / "media" / "meetings" / "agenda.pdf").write_bytes(b"%PDF-1.7 changed")

    call_command("restore", archive, "--yes")
    after = (
        sorted(Member.objects.values_list("id", "full_name")),
        sorted(Organisation.objects.values_list("id", "name")),
        Member.history.count(),
    )
    assert after == before
    assert (tmp_path / "media" / "meetings" / "agenda.pdf").read_bytes() == b"%PDF-1.7 original"
    aside = list(tmp_path.glob("media.before-restore-*"))
    assert len(aside) == 1 and (aside[0] / "meetings" / "agenda.pdf").read_bytes() == b"%PDF-1.7 changed"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    odd = tmp_path / "odd.tar"
    with tarfile.open(odd, "w") as tar:
        tar.add(__file__, arcname="something.py")
    with pytest.raises(CommandError, match="manifest.json is missing"):
        call_command("restore", str(odd), "--yes")
