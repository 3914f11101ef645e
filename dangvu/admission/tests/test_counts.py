"""Admissions and official recognitions counted for targets, across a merge (issue 3 acceptance, own data).

Two grassroots committees P1 and P2, each with a cell, admit members in 2023–2024; on 01/01/2025 they
merge into a new committee P (their cells move under it); P's cells admit more in 2025. Each event counts
for the organisation its cell was under on the event's date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.admission.counts import Figures, admission_counts, term_range, year_range
from dangvu.members import services as member_services
from dangvu.members.models import EventKind
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind, Term
from dangvu.transfers import services as transfers

pytestmark = pytest.mark.django_db
D = dt.date
MERGE_DAY = D(2025, 1, 1)


@pytest.fixture
def world(tree):
    p1 = testing.org(tree.a, "P1", "Đảng bộ Phường Một", OrgKind.GRASSROOTS_COMMITTEE)
    p2 = testing.org(tree.a, "P2", "Đảng bộ Phường Hai", OrgKind.GRASSROOTS_COMMITTEE)
    k1 = testing.org(p1, "P1-K1", "Chi bộ Khu vực Một", OrgKind.CELL)
    k2 = testing.org(p2, "P2-K2", "Chi bộ Khu vực Hai", OrgKind.CELL)

    # Under P1, before the merger.
    testing.member(k1, "Cao Văn Một", admitted=D(2023, 5, 1))  # admitted 2023, official 01/05/2024
    late = testing.member(k1, "Cao Văn Hai", admitted=D(2024, 3, 1), official=False)
    testing.member(k1, "Cao Văn Ba", admitted=D(2024, 6, 1), official=False)
    mover = testing.member(k1, "Cao Văn Bốn", admitted=D(2024, 9, 1), official=False)
    # Recognised on 01/02/2024 by mistake: the entry is annulled and does not count.
    annulled_official = testing.member(k1, "Cao Văn Năm", admitted=D(2023, 2, 1))
    member_services.annul_event(annulled_official.events.get(kind=EventKind.OFFICIAL), None, "Nhập nhầm")
    # Removed in 2023, re-admitted in 2024 by mistake: the re-admission is annulled and does not count.
    readmitted = testing.member(k1, "Cao Văn Sáu")
    member_services.record_event(readmitted, kind=EventKind.REMOVAL, date=D(2023, 1, 10), organisation=k1)
    wrong = member_services.record_event(readmitted, kind=EventKind.ADMISSION, date=D(2024, 8, 1), organisation=k1)
    member_services.annul_event(wrong, None, "Nhập nhầm")
    # Under P2, before the merger.
    testing.member(k2, "Đinh Thị Một", admitted=D(2024, 4, 1), official=False, sex="F")

    effects = org_services.merge(
        [p1, p2],
        MERGE_DAY,
        org_services.Document("15-QĐ/TU", MERGE_DAY, "Thành ủy"),
        None,
        new=org_services.OrgSpec("P", "Đảng bộ Phường Mới", OrgKind.GRASSROOTS_COMMITTEE),
        parent=tree.a,
    )
    merged = effects.created[0]

    # Under P, after the merger (the cells kept their members and moved under P).
    testing.member(k1, "Cao Văn Bảy", admitted=D(2025, 3, 1))  # admitted 2025, official 01/03/2026
    testing.member(k2, "Đinh Thị Hai", admitted=D(2025, 4, 1), official=False, sex="F")
    member_services.record_event(late, kind=EventKind.OFFICIAL, date=D(2025, 3, 5), organisation=k1)
    # The member admitted under P1 moves to committee B: the admission stays P1's.
    letter = transfers.issue(
        mover, None, kind="official", letter_number="21-GT/ĐU", letter_date=D(2025, 6, 2), to_organisation=tree.c3
    )
    transfers.acknowledge(letter, None, date=D(2025, 6, 10))
    return {"p1": p1, "p2": p2, "merged": merged}


def per_org(counts) -> dict[str, Figures]:
    return {org.code: figures for org, figures in counts.by_organisation}


def test_lineage_reports_each_predecessor_and_the_total(world):
    merged = world["merged"]
    y2024 = admission_counts(merged, *year_range(2024), lineage=True)
    assert per_org(y2024) == {"P": Figures(0, 0), "P1": Figures(3, 1), "P2": Figures(1, 0)}
    assert y2024.total == Figures(4, 1)
    assert y2024.by_organisation[0][0] == merged  # the organisation itself first

    y2025 = admission_counts(merged, *year_range(2025), lineage=True)
    assert per_org(y2025) == {"P": Figures(2, 1), "P1": Figures(0, 0), "P2": Figures(0, 0)}
    assert y2025.total == Figures(2, 1)

    whole = admission_counts(merged, D(2023, 1, 1), D(2026, 12, 31), lineage=True)
    assert per_org(whole) == {"P": Figures(2, 2), "P1": Figures(5, 1), "P2": Figures(1, 0)}
    assert whole.total == Figures(8, 3)


def test_without_lineage_only_what_happened_after_the_merger(world):
    merged = world["merged"]
    assert admission_counts(merged, *year_range(2024), lineage=False).total == Figures(0, 0)
    after = admission_counts(merged, D(2023, 1, 1), D(2026, 12, 31), lineage=False)
    assert after.total == Figures(2, 2)
    assert per_org(after) == {"P": Figures(2, 2)}


def test_counts_by_year_and_term(world):
    merged = world["merged"]
    by_year = {y: admission_counts(merged, *year_range(y)).total for y in (2023, 2024, 2025, 2026)}
    assert by_year == {2023: Figures(2, 0), 2024: Figures(4, 1), 2025: Figures(2, 1), 2026: Figures(0, 1)}
    term, _ = Term.objects.get_or_create(code="2020-2025", defaults={"start": D(2020, 10, 1), "end": D(2025, 9, 30)})
    assert admission_counts(merged, *term_range(term)).total == Figures(8, 2)


def test_attributed_to_the_organisation_on_the_decision_date(tree, world):
    # The predecessor's own figures, asked directly, are its history up to the merger.
    assert admission_counts(world["p1"], *year_range(2024)).total == Figures(3, 1)
    # The member admitted under P1 and now in committee B's cell counts for A's subtree, not for B.
    assert admission_counts(tree.b, *year_range(2024)).total == Figures(0, 0)
    assert admission_counts(tree.a, *year_range(2024), lineage=False).total == Figures(4, 1)
    assert admission_counts(tree.a, *year_range(2025), lineage=False).total == Figures(2, 1)


def test_recognition_recorded_without_a_cell_counts_for_the_members_cell_that_day(tree):
    # The member page's event form leaves the cell empty for a recognition (it names a cell only for
    # admissions and transfers): the recognition counts where the member was on its date.
    m = testing.member(tree.c1, "Kha Văn Trang", admitted=D(2024, 2, 1), official=False)
    member_services.record_event(m, kind=EventKind.OFFICIAL, date=D(2025, 2, 10))
    member_services.record_event(m, kind=EventKind.TRANSFER, date=D(2025, 6, 2), organisation=tree.c3)
    assert admission_counts(tree.a_base, *year_range(2025)).total == Figures(0, 1)
    assert admission_counts(tree.b, *year_range(2025)).total == Figures(0, 0)
    # Admitted outside the system (no cell, no period here then): not this system's admission.
    member_services.create_member(
        {"full_name": "Kha Văn Xa", "sex": "M", "birth_date": D(1990, 1, 1)},
        [
            {"kind": EventKind.ADMISSION, "date": D(2025, 1, 2), "external_organisation": "Tỉnh khác"},
            {"kind": EventKind.TRANSFER_IN, "date": D(2025, 3, 2), "organisation": tree.c1},
        ],
    )
    assert admission_counts(tree.a, *year_range(2025)).total == Figures(0, 1)
