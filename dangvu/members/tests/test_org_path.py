"""Member.org_path (the cell's path on the member row) stays equal to the cell's path through the member
services and every reorganisation, and the member list's scope reads it (issue 10 item 5)."""

import datetime as dt
import importlib

import pytest
from django.db import connection

from dangvu import testing
from dangvu.accounts.scope import members_for
from dangvu.members import paths
from dangvu.members import services as member_services
from dangvu.members.filters import MemberFilter
from dangvu.members.models import EventKind, Member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db
DOC = org_services.Document(number="77-QĐ/TU", date=dt.date(2025, 6, 20), issuer="Ban Thường vụ")
DAY = dt.date(2025, 7, 1)


def path_of(org) -> str:
    return Organisation.objects.get(pk=org.pk).path


def org_path(member) -> str:
    return Member.objects.get(pk=member.pk).org_path


def visible(user) -> set[str]:
    return set(members_for(user).values_list("full_name", flat=True))


def test_new_member_and_transfer_keep_the_cell_path(tree, people):
    assert org_path(people["an"]) == tree.c1.path and org_path(people["em"]) == tree.c3.path
    member_services.record_event(people["duc"], kind=EventKind.TRANSFER, date=dt.date(2024, 1, 1), organisation=tree.c3)
    assert org_path(people["duc"]) == tree.c3.path
    assert not paths.drift().exists()


def test_move_of_a_committee_rewrites_its_members_paths_and_scopes(tree, cast):
    assert visible(cast.outsider) == {"Phạm Thị Em"}
    org_services.move(tree.a_base, tree.b, DAY, DOC, None)
    assert not paths.drift().exists()
    assert org_path(cast.member.member).startswith(path_of(tree.b))
    # the office of B now sees the moved members, the office of A no longer does
    assert visible(cast.outsider) == {"Phạm Thị Em", "Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Đức"}
    assert visible(cast.office) == set()
    # the organisation filter of the list and API reads the same column
    rows = MemberFilter(organisation_id=tree.b.pk).apply(members_for(cast.outsider))
    assert rows.count() == 4


def test_merges_and_splits_keep_paths(tree, people):
    org_services.merge([tree.c2], DAY, DOC, None, into=tree.c1)
    assert org_path(people["duc"]) == path_of(tree.c1)
    new = org_services.OrgSpec("AB", "Đảng bộ khối AB", OrgKind.DIRECT)
    org_services.merge([tree.a, tree.b], DAY, DOC, None, new=new, parent=tree.city)
    assert not paths.drift().exists()
    ab = Organisation.objects.get(code="AB")
    assert all(m.org_path.startswith(ab.path) for m in Member.objects.all())
    assert len(visible(testing.user("ab.office", "office", ab))) == 4


def test_migration_fills_the_column_from_the_tree(tree, people):
    Member.objects.update(org_path="")
    assert paths.drift().count() == 4
    migration = importlib.import_module("dangvu.members.migrations.0006_member_org_path")
    with connection.cursor() as cursor:
        cursor.execute(migration.fill_sql(connection.vendor))
    assert not paths.drift().exists()


def test_resync_all_repairs_drift(tree, people):
    Member.objects.filter(pk=people["an"].pk).update(org_path=tree.c3.path)
    assert list(paths.drift()) == [people["an"]]
    assert paths.resync_all() == 1
    assert not paths.drift().exists()
