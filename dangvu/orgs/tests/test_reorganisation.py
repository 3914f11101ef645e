"""Reorganisations keep history and lineage: merge, split, move, rename, dissolve."""

import datetime as dt

import pytest

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind, Member
from dangvu.orgs import queries
from dangvu.orgs import services as s
from dangvu.orgs.models import Organisation, OrgKind, ReorgKind

pytestmark = pytest.mark.django_db
DOC = s.Document(number="123-QĐ/TU", date=dt.date(2025, 6, 20), issuer="Ban Thường vụ Thành ủy")
MERGE_DAY = dt.date(2025, 7, 1)


def test_merge_of_committees_keeps_lineage_and_past_counts(tree, people):
    new = s.merge(
        [tree.a, tree.b],
        MERGE_DAY,
        DOC,
        None,
        new=s.OrgSpec("AB", "Đảng bộ các cơ quan Đảng", OrgKind.DIRECT),
        parent=tree.city,
    )
    ab = new.created[0]
    a, b = Organisation.objects.get(pk=tree.a.pk), Organisation.objects.get(pk=tree.b.pk)
    assert a.valid_to == MERGE_DAY and b.valid_to == MERGE_DAY
    assert {o.code for o in queries.predecessors(ab)} == {"A", "B"}
    assert [o.code for o in queries.successors(a)] == ["AB"]
    # Grassroots organisations now sit under the merged committee, and the dissolved ones are kept there.
    assert set(queries.subtree(ab).values_list("code", flat=True)) >= {"A1", "A1-C1", "A2", "B1", "B1-C3", "A", "B"}
    # Counts: before the merger the new committee had nothing of its own; with lineage it has both.
    before = dt.date(2025, 1, 1)
    assert queries.member_count_on(ab, before) == 0
    assert queries.member_count_on(ab, before, lineage=True) == 4
    assert queries.member_count_on(a, before) == 3 and queries.member_count_on(b, before) == 1
    assert queries.member_count_on(ab, dt.date(2025, 8, 1)) == 4
    assert queries.member_count_on(a, dt.date(2025, 8, 1)) == 0
    assert new.reorganisation.kind == ReorgKind.MERGE and new.reorganisation.document_number == "123-QĐ/TU"


def test_merge_of_cells_moves_members_with_an_event(tree, people):
    effects = s.merge([tree.c2], MERGE_DAY, DOC, None, into=tree.c1)
    assert effects.members_moved == 1
    duc = Member.objects.get(pk=people["duc"].pk)
    assert duc.organisation_id == tree.c1.pk
    assert duc.events.filter(kind=EventKind.REORGANISATION, reorganisation=effects.reorganisation).count() == 1
    assert queries.cell_on(duc, dt.date(2025, 6, 30)) == tree.c2
    assert queries.cell_on(duc, MERGE_DAY) == tree.c1


def test_split_distributes_children_and_members(tree, people):
    effects = s.split(
        tree.a_base,
        [
            s.OrgSpec("A1x", "Đảng bộ Sở Một (x)", OrgKind.GRASSROOTS_COMMITTEE),
            s.OrgSpec("A1y", "Đảng bộ Sở Một (y)", OrgKind.GRASSROOTS_COMMITTEE),
        ],
        MERGE_DAY,
        DOC,
        None,
        children={tree.c2.pk: 1},
    )
    x, y = effects.created
    assert queries.parent_on(Organisation.objects.get(pk=tree.c2.pk), MERGE_DAY) == y
    assert queries.parent_on(Organisation.objects.get(pk=tree.c2.pk), dt.date(2025, 6, 30)).pk == tree.a_base.pk
    assert [o.pk for o in queries.predecessors(y)] == [tree.a_base.pk]
    assert queries.member_count_on(x, dt.date(2025, 8, 1)) == 2
    assert queries.member_count_on(y, dt.date(2025, 8, 1)) == 1
    # Lineage roll-up of a successor includes the whole predecessor before the split.
    assert queries.member_count_on(y, dt.date(2025, 1, 1), lineage=True) == 3


def test_split_of_a_cell_assigns_members(tree, people):
    effects = s.split(
        tree.c1,
        [s.OrgSpec("C1a", "Chi bộ 1a", OrgKind.CELL), s.OrgSpec("C1b", "Chi bộ 1b", OrgKind.CELL)],
        MERGE_DAY,
        DOC,
        None,
        members={people["binh"].pk: 1},
    )
    assert Member.objects.get(pk=people["binh"].pk).organisation == effects.created[1]
    assert Member.objects.get(pk=people["an"].pk).organisation == effects.created[0]


def test_move_changes_ancestry_from_its_date(tree, people):
    s.move(tree.a_base, tree.b, MERGE_DAY, DOC, None)
    assert queries.member_count_on(tree.b, dt.date(2025, 6, 1)) == 1
    assert queries.member_count_on(tree.b, dt.date(2025, 8, 1)) == 4
    assert queries.member_count_on(tree.a, dt.date(2025, 6, 1)) == 3
    assert queries.member_count_on(tree.a, dt.date(2025, 8, 1)) == 0
    assert Organisation.objects.get(pk=tree.c1.pk).path.startswith(Organisation.objects.get(pk=tree.b.pk).path)


def test_rename_keeps_identity(tree):
    s.rename(tree.a, "Đảng bộ Khối mới", MERGE_DAY, DOC, None)
    a = Organisation.objects.get(pk=tree.a.pk)
    assert a.name == "Đảng bộ Khối mới" and a.history.first().history_type == "~"


def test_refusals(tree, people):
    with pytest.raises(DomainError):
        s.dissolve(tree.c1, MERGE_DAY, DOC, None)  # members still there
    with pytest.raises(DomainError):
        s.move(tree.a, tree.c1, MERGE_DAY, DOC, None)  # a committee cannot go under a cell
    with pytest.raises(DomainError):
        s.move(tree.a, tree.a_base, MERGE_DAY, DOC, None)  # under its own subtree
    with pytest.raises(DomainError):
        s.merge([tree.c1], dt.date.today() + dt.timedelta(days=5), DOC, None, into=tree.c2)
    with pytest.raises(DomainError):
        s.merge([tree.c1], MERGE_DAY, DOC, None, into=tree.a_base)  # a cell into a committee
    s.move(tree.a_base, tree.b, MERGE_DAY, DOC, None)
    with pytest.raises(DomainError):
        s.move(tree.a_base, tree.a, dt.date(2025, 1, 1), DOC, None)  # dated before the last change


def test_dissolve_an_empty_cell(tree):
    effects = s.dissolve(tree.c2, MERGE_DAY, DOC, None)
    assert Organisation.objects.get(pk=tree.c2.pk).valid_to == MERGE_DAY
    assert effects.reorganisation.links.get().successor is None


def test_preview_changes_nothing(tree, people):
    effects = s.preview(s.merge, [tree.c2], MERGE_DAY, DOC, None, into=tree.c1)
    assert effects.members_moved == 1
    assert Member.objects.get(pk=people["duc"].pk).organisation_id == tree.c2.pk
    assert Organisation.objects.get(pk=tree.c2.pk).valid_to is None


def test_counts_by_child_in_one_query(tree, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        counts = queries.member_counts_by_child(tree.city)
    assert counts == {tree.a.pk: 3, tree.b.pk: 1}
    testing.member(tree.c3)
    assert queries.member_counts_by_child(tree.city)[tree.b.pk] == 2
