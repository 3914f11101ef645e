"""Deadlines listed by dangvu.alerts.sources.due_items (issue 3 acceptance): probation ending within
30 days, official recognition overdue, ceremony overdue, transfers not acknowledged; each user sees the
items of their scope only (a plain member their own, the office of committee B none of A's).

Dates are relative to today (the services refuse future dates), with margins far wider than any run of
holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.admission.models import Stage
from dangvu.admission.tests.test_pipeline import open_candidate, spaced, step, walk
from dangvu.alerts.sources import Kind, due_items
from dangvu.lib.dates import add_months
from dangvu.lib.workdays import calendar_on
from dangvu.transfers import services as transfers

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def probationer(cell, name: str, probation_ends: dt.date):
    return testing.member(cell, name, admitted=add_months(probation_ends, -12), official=False)


def seen(user) -> list[tuple[str, str, bool]]:
    return [(a.subject, a.kind, a.overdue) for a in due_items(user)]


@pytest.fixture
def items(tree, people, cast):
    soon = probationer(tree.c1, "Mai Văn Sắp", days(10))
    overdue = probationer(tree.c1, "Mai Văn Trễ", days(-90))
    ended = probationer(tree.c1, "Mai Văn Vừa", days(-5))
    probationer(tree.c1, "Mai Văn Xa", days(60))  # beyond the 30 days: not listed yet
    elsewhere = probationer(tree.c3, "Mai Thị Khác", days(12))  # committee B
    start = days(-200)
    candidate = walk(open_candidate(tree.c2, cast.office, date=start), cast.office, spaced(start, Stage.DECISION))
    assert candidate.steps.get(stage=Stage.DECISION).date == days(-130)
    letter = transfers.issue(
        people["an"],
        cast.office,
        kind="official",
        letter_number="3-GT/ĐU",
        letter_date=days(-70),
        to_organisation=tree.c2,
    )
    return {
        "soon": soon,
        "overdue": overdue,
        "ended": ended,
        "elsewhere": elsewhere,
        "candidate": candidate,
        "letter": letter,
    }


def test_office_sees_every_deadline_of_its_subtree_overdue_first(tree, cast, items):
    assert seen(cast.office) == [
        ("Võ Thị Ứng Viên", Kind.ADMISSION_STEP, True),  # ceremony 30 working days after the decision
        ("Mai Văn Trễ", Kind.OFFICIAL_DUE, True),  # ended ~90 days ago, due 30 working days later
        ("Nguyễn Văn An", Kind.TRANSFER_UNACKNOWLEDGED, True),  # letter ~70 days ago
        ("Mai Văn Sắp", Kind.PROBATION_ENDING, False),
        ("Mai Văn Vừa", Kind.OFFICIAL_DUE, False),
    ]
    by_subject = {a.subject: a for a in due_items(cast.office)}
    soon = by_subject["Mai Văn Sắp"]
    assert (soon.due, soon.organisation_id, soon.url) == (
        items["soon"].probation_end,
        tree.c1.pk,
        f"/members/{items['soon'].pk}/",
    )
    late = items["overdue"].probation_end
    assert by_subject["Mai Văn Trễ"].due == calendar_on(late).add_working_days(late, 30) < timezone.localdate()
    ceremony = by_subject["Võ Thị Ứng Viên"]
    assert (ceremony.due, ceremony.object_id, ceremony.organisation_id) == (
        items["candidate"].due_on,
        items["candidate"].pk,
        tree.c2.pk,
    )
    assert items["candidate"].due_stage == Stage.CEREMONY
    assert ceremony.url == f"/admission/{items['candidate'].pk}/"
    assert set(seen(cast.admin)) == {*seen(cast.office), ("Mai Thị Khác", Kind.PROBATION_ENDING, False)}


def test_each_user_sees_only_their_scope(tree, people, cast, items):
    # The secretary of C1 does not see C2's candidate.
    assert {s for s, _k, _o in seen(cast.secretary)} == {"Mai Văn Trễ", "Mai Văn Sắp", "Mai Văn Vừa", "Nguyễn Văn An"}
    # A plain member sees their own items only: An, the cast's member, has a letter nobody acknowledged.
    assert seen(cast.member) == [("Nguyễn Văn An", Kind.TRANSFER_UNACKNOWLEDGED, True)]
    own = testing.user("sap", Role.MEMBER, tree.c1, member_record=items["soon"])
    assert seen(own) == [("Mai Văn Sắp", Kind.PROBATION_ENDING, False)]
    # The office of committee B sees its own probationer and nothing of A's.
    assert seen(cast.outsider) == [("Mai Thị Khác", Kind.PROBATION_ENDING, False)]
    assert seen(cast.nobody) == []


def test_acknowledged_letter_and_recorded_ceremony_leave_the_list(tree, cast, items):
    transfers.acknowledge(items["letter"], cast.office, date=days(-60))
    step(items["candidate"], Stage.CEREMONY, cast.office, days(-60), note="Tổ chức muộn do đợt công tác dài")
    subjects = {s for s, _k, _o in seen(cast.office)}
    assert "Nguyễn Văn An" not in subjects
    # The new member's probation ends in about ten months: nothing due for the file meanwhile.
    assert "Võ Thị Ứng Viên" not in subjects
    assert seen(cast.member) == []


def test_a_file_in_its_official_steps_is_listed_once(tree, cast):
    # Ceremony ~13 months ago: probation ended last month; listed once, from the member record.
    start = days(-560)
    dates = spaced(start, Stage.TRAINING, gap_days=20)
    assert dates[Stage.CEREMONY] == days(-400)
    c = walk(open_candidate(tree.c1, cast.office, date=start), cast.office, dates)
    assert c.due_stage == Stage.OFFICIAL_RESOLUTION
    assert [k for s, k, _o in seen(cast.office) if s == c.full_name] == [Kind.OFFICIAL_DUE]
    # After the cell's resolution, the committee's decision is due: listed once, from the file.
    step(c, Stage.OFFICIAL_RESOLUTION, cast.office, days(-25))
    c.refresh_from_db()
    assert c.due_stage == Stage.OFFICIAL_DECISION
    assert [(k, o) for s, k, o in seen(cast.office) if s == c.full_name] == [(Kind.ADMISSION_STEP, False)]
    step(c, Stage.OFFICIAL_DECISION, cast.office, days(-1))
    assert [s for s, _k, _o in seen(cast.office) if s == c.full_name] == []


def test_queries_do_not_grow_with_probations_to_consider(tree, people, cast, django_assert_max_num_queries):
    probationer(tree.c1, "Mai Văn Một", days(-40))
    with django_assert_max_num_queries(12) as first:
        assert len(due_items(cast.office)) == 1
    for n in range(6):  # each with its own end date, hence its own rules to read
        probationer(tree.c2, f"Mai Văn Thêm {n}", days(-41 - 7 * n))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(due_items(cast.office)) == 7
