"""Maintained member counts behind the organisation tree (dangvu.members.counts) equal a fresh count after
every kind of write: member services, annulments, reorganisations, imports; and the tree reads them."""

import datetime as dt
import importlib

import pytest
from django.db import connection

from dangvu import testing
from dangvu.members import counts
from dangvu.members import services as member_services
from dangvu.members.models import CellCount, EventKind, Member
from dangvu.orgs import queries
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind

pytestmark = pytest.mark.django_db
DOC = org_services.Document(number="9-QĐ/TU", date=dt.date(2025, 6, 20), issuer="Ban Thường vụ")
DAY = dt.date(2025, 7, 1)


def kept(org) -> int:
    return CellCount.objects.filter(organisation=org).values_list("in_party", flat=True).first() or 0


def test_member_services_keep_counts(tree, people):
    assert (kept(tree.c1), kept(tree.c2), kept(tree.c3)) == (2, 1, 1)
    probationary = testing.member(tree.c1, "Võ Thị Mới", official=False, admitted=dt.date(2025, 1, 10))
    assert kept(tree.c1) == 3  # probationary members count
    transfer = member_services.record_event(
        people["duc"], kind=EventKind.TRANSFER, date=dt.date(2024, 1, 1), organisation=tree.c3
    )
    assert (kept(tree.c2), kept(tree.c3)) == (0, 2)
    member_services.record_event(people["em"], kind=EventKind.DEATH, date=dt.date(2024, 2, 1))
    assert kept(tree.c3) == 1  # the deceased leave the count
    member_services.annul_event(transfer, None, "Nhập nhầm")  # back to C2
    assert (kept(tree.c2), kept(tree.c3)) == (1, 0)
    member_services.record_event(
        probationary, kind=EventKind.TRANSFER_OUT, date=dt.date(2025, 3, 1), external_organisation="Tỉnh khác"
    )
    assert kept(tree.c1) == 2
    member_services.update_member(people["an"], {"full_name": "Nguyễn Văn Ân"}, None)  # no change of count
    assert counts.drift() == {}


def test_reorganisations_keep_counts(tree, people):
    org_services.merge([tree.c2], DAY, DOC, None, into=tree.c1)
    assert (kept(tree.c1), kept(tree.c2)) == (3, 0)
    effects = org_services.split(
        tree.c1,
        [
            org_services.OrgSpec("C1a", "Chi bộ 1a", OrgKind.CELL),
            org_services.OrgSpec("C1b", "Chi bộ 1b", OrgKind.CELL),
        ],
        DAY,
        DOC,
        None,
        members={people["binh"].pk: 1},
    )
    assert [kept(o) for o in effects.created] == [2, 1] and kept(tree.c1) == 0
    org_services.move(tree.a_base, tree.b, DAY, DOC, None)
    assert counts.drift() == {}
    assert queries.member_counts_by_child(tree.city) == {tree.a.pk: 0, tree.b.pk: 4}


def test_a_save_without_a_change_of_cell_or_status_changes_nothing(tree, people):
    member = Member.objects.get(pk=people["an"].pk)
    member.save()
    Member(**{f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields}).save()  # not from the db
    member.save(update_fields=["full_name"])
    assert kept(tree.c1) == 2 and counts.drift() == {}


def test_tree_counts_read_the_maintained_table(tree, people, django_assert_max_num_queries):
    CellCount.objects.filter(organisation=tree.c3).update(in_party=7)  # proves where the number comes from
    with django_assert_max_num_queries(1):
        assert queries.member_counts([tree.a, tree.b]) == {tree.a.pk: 3, tree.b.pk: 7}
    assert counts.drift() == {tree.c3.pk: (7, 1)}
    counts.recount()
    assert counts.drift() == {} and kept(tree.c3) == 1


def test_migration_counts_from_the_member_rows(tree, people):
    CellCount.objects.all().delete()
    migration = importlib.import_module("dangvu.members.migrations.0007_cell_member_counts")
    with connection.cursor() as cursor:
        cursor.execute(migration.COUNT)
    assert counts.drift() == {} and kept(tree.c1) == 2
