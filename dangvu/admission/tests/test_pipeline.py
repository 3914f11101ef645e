"""A candidate walked through every step of the admission file (domain.md §4, issue 3 acceptance).

The helpers at the top (`open_candidate`, `step`, `walk`) are shared by the other admission tests and by
the alerts tests: they record each step through `dangvu.admission.services` with the documents and votes a
real file would carry. Every date is in the past (services refuse future dates); expected deadlines are
computed by hand from the Vietnamese calendar and written out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu import testing
from dangvu.admission import services
from dangvu.admission.access import can_record
from dangvu.admission.counts import admission_counts, year_range
from dangvu.admission.models import Candidate, CandidateStep, MassOrg, Outcome, Stage
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind, Member, Status
from dangvu.orgs.queries import cell_on

pytestmark = pytest.mark.django_db


def candidate_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "full_name": "Võ Thị Ứng Viên",
        "sex": "F",
        "birth_date": dt.date(1998, 4, 12),
        "birth_place": "Ninh Kiều, Cần Thơ",
        "occupation": "Chuyên viên",
    }
    fields.update(overrides)
    if "citizen_id" not in overrides:
        fields["citizen_id"] = testing.new_citizen_id(fields["sex"], fields["birth_date"])
    return fields


def open_candidate(cell, actor=None, date: dt.date = dt.date(2023, 2, 1), **fields: Any) -> Candidate:
    return services.create_candidate(candidate_fields(**fields), cell, actor, date=date, document_number="01-DS/CB")


def official_in(cell, day: dt.date) -> int:
    return services.official_members_on(cell, day)


def step_data(candidate: Candidate, stage: str, date: dt.date) -> dict[str, Any]:
    """What a complete, valid entry of `stage` carries (votes: everyone entitled agrees)."""
    if stage == Stage.COURSE:
        return {"document_number": "125-GCN/TTCT", "issuer": "Trung tâm Chính trị"}
    if stage == Stage.VERIFICATION:
        return {"document_number": "17-BC/ĐU", "issuer": "Đảng ủy"}
    if stage == Stage.INTRODUCTION:
        officials = Member.objects.filter(
            organisation=candidate.organisation, status=Status.OFFICIAL, official_date__lte=date
        ).order_by("pk")[:2]
        data: dict[str, Any] = {"introducers": [(m, dt.date(date.year - 2, 1, 1)) for m in officials]}
        if len(data["introducers"]) < 2:
            data["mass_org"] = MassOrg.YOUTH_UNION  # introduces in place of a second member
        return data
    if stage in {Stage.CELL_RESOLUTION, Stage.OFFICIAL_RESOLUTION}:
        return {
            "votes_for": official_in(candidate.organisation, date),
            "votes_against": 0,
            "document_number": "5-NQ/CB",
        }
    if stage == Stage.COMMITTEE_RESOLUTION:
        return {"votes_for": 7, "votes_against": 0, "votes_eligible": 7, "document_number": "12-NQ/ĐU"}
    if stage == Stage.DECISION:
        return {"document_number": "301-QĐ/ĐU", "document_date": date, "issuer": "Đảng ủy Khối"}
    if stage == Stage.TRAINING:
        return {"document_number": "88-GCN/TTCT"}
    if stage == Stage.OFFICIAL_DECISION:
        return {"document_number": "402-QĐ/ĐU", "issuer": "Đảng ủy Khối"}
    return {}


def step(candidate: Candidate, stage: str, actor, date: dt.date, **overrides: Any) -> CandidateStep:
    data = step_data(candidate, stage, date)
    data.update(overrides)
    return services.record_step(candidate, stage, actor, date=date, **data)


def walk(candidate: Candidate, actor, dates: dict[str, dt.date]) -> Candidate:
    """Record the given steps in legal order (the dates say which ones)."""
    for stage in Stage.order():
        if stage in dates and stage != Stage.SOURCE:
            step(candidate, stage, actor, dates[stage])
    candidate.refresh_from_db()
    return candidate


def spaced(start: dt.date, until: str, gap_days: int = 10) -> dict[str, dt.date]:
    """Dates for the steps from the course to `until`, `gap_days` apart from `start`."""
    stages = Stage.order()
    chosen = stages[1 : stages.index(until) + 1]
    return {s: start + dt.timedelta(days=gap_days * (i + 1)) for i, s in enumerate(chosen)}


def state(candidate: Candidate) -> tuple[str, str, dt.date | None, str]:
    candidate.refresh_from_db()
    return candidate.stage, candidate.due_stage, candidate.due_on, candidate.outcome


# --- The walk to official membership ---------------------------------------------------------------


def test_walk_to_official_membership(tree, cast):
    office, secretary = cast.office, cast.secretary
    c = open_candidate(tree.c1, secretary, date=dt.date(2023, 2, 1))
    assert state(c) == (Stage.SOURCE, "", None, Outcome.OPEN)
    source = c.steps.get()
    assert (source.stage, source.waived, source.document_number) == (Stage.SOURCE, False, "01-DS/CB")

    step(c, Stage.COURSE, secretary, dt.date(2023, 3, 15))
    # From the course on, the cell must vote while the certificate is valid (5 years).
    assert state(c) == (Stage.COURSE, Stage.CELL_RESOLUTION, dt.date(2028, 3, 15), Outcome.OPEN)
    step(c, Stage.APPLICATION, secretary, dt.date(2023, 6, 1))
    assert state(c) == (Stage.APPLICATION, Stage.CELL_RESOLUTION, dt.date(2028, 3, 15), Outcome.OPEN)
    assert not can_record(secretary, c, Stage.VERIFICATION) and can_record(office, c, Stage.VERIFICATION)
    step(c, Stage.VERIFICATION, office, dt.date(2023, 8, 1))
    assert state(c) == (Stage.VERIFICATION, Stage.CELL_RESOLUTION, dt.date(2028, 3, 15), Outcome.OPEN)
    intro = step(c, Stage.INTRODUCTION, secretary, dt.date(2023, 9, 5), mass_org=MassOrg.YOUTH_UNION)
    assert {i.member.full_name for i in intro.introducers.all()} == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert state(c)[:2] == (Stage.INTRODUCTION, Stage.CELL_RESOLUTION)

    vote = step(c, Stage.CELL_RESOLUTION, secretary, dt.date(2023, 10, 3))
    assert (vote.votes_for, vote.votes_eligible) == (2, 2)  # An and Bình are C1's official members
    # 30 working days from Tue 3/10/2023 (no holiday in October–November): Tue 14/11/2023.
    assert state(c) == (Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION, dt.date(2023, 11, 14), Outcome.OPEN)
    step(c, Stage.COMMITTEE_RESOLUTION, office, dt.date(2023, 10, 20))
    # From Fri 20/10/2023: six full weeks, Fri 1/12/2023.
    assert state(c) == (Stage.COMMITTEE_RESOLUTION, Stage.DECISION, dt.date(2023, 12, 1), Outcome.OPEN)
    assert not can_record(secretary, c, Stage.DECISION)
    decision = step(c, Stage.DECISION, office, dt.date(2023, 11, 10))
    # Ceremony within 30 working days of Fri 10/11/2023: Fri 22/12/2023.
    assert state(c) == (Stage.DECISION, Stage.CEREMONY, dt.date(2023, 12, 22), Outcome.OPEN)
    assert c.member is None

    step(c, Stage.CEREMONY, secretary, dt.date(2023, 12, 1))
    c.refresh_from_db()
    member = c.member
    assert member is not None
    assert (member.full_name, member.birth_date, member.citizen_id, member.sex) == (
        c.full_name,
        c.birth_date,
        c.citizen_id,
        "F",
    )
    assert member.organisation == tree.c1 and member.status == Status.PROBATIONARY
    events = list(member.events.values_list("kind", "date", "organisation_id", "document_number"))
    assert events == [
        (EventKind.ADMISSION, dt.date(2023, 11, 10), tree.c1.pk, decision.document_number),
        (EventKind.CEREMONY, dt.date(2023, 12, 1), tree.c1.pk, ""),
    ]
    assert member.admission_date == dt.date(2023, 11, 10)  # party age runs from the decision
    assert member.party_age(dt.date(2024, 11, 9)) == 0 and member.party_age(dt.date(2024, 11, 10)) == 1
    assert member.probation_end == dt.date(2024, 12, 1)  # 12 months from the ceremony
    assert cell_on(member, dt.date(2023, 11, 10)) == tree.c1
    # Next: the cell's resolution within 30 working days after probation (Sun 1/12/2024), skipping
    # New Year's Day 1/1/2025: Mon 13/1/2025.
    assert state(c) == (Stage.CEREMONY, Stage.OFFICIAL_RESOLUTION, dt.date(2025, 1, 13), Outcome.OPEN)

    step(c, Stage.TRAINING, secretary, dt.date(2024, 3, 20))
    assert state(c) == (Stage.TRAINING, Stage.OFFICIAL_RESOLUTION, dt.date(2025, 1, 13), Outcome.OPEN)
    with pytest.raises(DomainError):  # the probation has not ended on that date
        step(c, Stage.OFFICIAL_RESOLUTION, secretary, dt.date(2024, 11, 29))
    resolution = step(c, Stage.OFFICIAL_RESOLUTION, secretary, dt.date(2024, 12, 10))
    assert resolution.recognised is True and (resolution.votes_for, resolution.votes_eligible) == (2, 2)
    # The committee decides within 30 working days of Tue 10/12/2024 (1/1/2025 off): Wed 22/1/2025.
    assert state(c) == (Stage.OFFICIAL_RESOLUTION, Stage.OFFICIAL_DECISION, dt.date(2025, 1, 22), Outcome.OPEN)

    final = step(c, Stage.OFFICIAL_DECISION, office, dt.date(2025, 2, 14))  # late, after Tết 2025
    assert final.recognised is True
    assert state(c) == (Stage.OFFICIAL_DECISION, "", None, Outcome.OFFICIAL)
    member.refresh_from_db()
    assert member.status == Status.OFFICIAL
    assert member.official_date == dt.date(2024, 12, 1)  # from the end of probation, not the late decision
    assert member.probation_end is None
    assert member.events.filter(kind=EventKind.OFFICIAL, date=dt.date(2025, 2, 14)).exists()

    # Every step is recorded once, with its date and the user who recorded it (audited).
    assert list(c.steps.values_list("stage", flat=True)) == Stage.order()
    assert c.steps.get(stage=Stage.DECISION).recorded_by == office
    assert c.steps.get(stage=Stage.DECISION).history.get().history_user == office
    assert c.history.first().history_user == office

    # The admission and the recognition count for the committee, by the decision's year.
    assert admission_counts(tree.a_base, *year_range(2023)).total.admissions == 1
    assert admission_counts(tree.a_base, *year_range(2025)).total.officials == 1
    # A closed file accepts nothing more.
    with pytest.raises(DomainError):
        services.withdraw(c, office, "late")


def test_walk_to_removal_when_the_cell_does_not_recognise(tree, cast):
    dates = spaced(dt.date(2023, 2, 1), Stage.TRAINING, gap_days=20)
    c = walk(open_candidate(tree.c1, cast.office), cast.office, dates)
    member = c.member
    assert member.probation_end == dates[Stage.CEREMONY].replace(year=dates[Stage.CEREMONY].year + 1)
    after = member.probation_end + dt.timedelta(days=5)
    # One of the two official members agrees: below 2/3, a valid resolution proposing removal.
    resolution = step(c, Stage.OFFICIAL_RESOLUTION, cast.secretary, after, votes_for=1, votes_against=1)
    assert resolution.recognised is False
    assert state(c)[:2] == (Stage.OFFICIAL_RESOLUTION, Stage.OFFICIAL_DECISION)
    decision = step(c, Stage.OFFICIAL_DECISION, cast.office, after + dt.timedelta(days=10))
    assert decision.recognised is False
    assert state(c) == (Stage.OFFICIAL_DECISION, "", None, Outcome.REMOVED)
    member.refresh_from_db()
    assert member.status == Status.REMOVED
    assert member.official_date is None
    assert member.events.filter(kind=EventKind.REMOVAL, date=after + dt.timedelta(days=10)).exists()
    assert not member.events.filter(kind=EventKind.OFFICIAL).exists()
    assert cell_on(member, after + dt.timedelta(days=10)) is None


def test_walk_in_a_grassroots_cell_skips_the_committee_resolution(tree, cast):
    cell = tree.a_cell_base
    assert cell.kind == "grassroots_cell"
    for name in ("Đặng Văn Một", "Đặng Văn Hai", "Đặng Văn Ba"):
        testing.member(cell, name)
    c = open_candidate(cell, cast.office)
    assert services.applicable_stages(c) == [s for s in Stage.order() if s != Stage.COMMITTEE_RESOLUTION]
    walk(
        c,
        cast.office,
        {
            Stage.COURSE: dt.date(2023, 3, 1),
            Stage.APPLICATION: dt.date(2023, 4, 1),
            Stage.VERIFICATION: dt.date(2023, 5, 1),
            Stage.INTRODUCTION: dt.date(2023, 6, 1),
        },
    )
    vote = step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2023, 10, 3))
    assert (vote.votes_for, vote.votes_eligible) == (3, 3)
    # The decision, not a committee resolution, is next: 30 working days from 3/10/2023.
    assert state(c) == (Stage.CELL_RESOLUTION, Stage.DECISION, dt.date(2023, 11, 14), Outcome.OPEN)
    with pytest.raises(DomainError):
        step(c, Stage.COMMITTEE_RESOLUTION, cast.office, dt.date(2023, 10, 10))
    assert not c.steps.filter(stage=Stage.COMMITTEE_RESOLUTION).exists()
    step(c, Stage.DECISION, cast.office, dt.date(2023, 10, 20))
    step(c, Stage.CEREMONY, cast.office, dt.date(2023, 11, 2))
    step(c, Stage.TRAINING, cast.office, dt.date(2024, 2, 1))
    step(c, Stage.OFFICIAL_RESOLUTION, cast.office, dt.date(2024, 11, 4))
    step(c, Stage.OFFICIAL_DECISION, cast.office, dt.date(2024, 11, 20))
    assert state(c) == (Stage.OFFICIAL_DECISION, "", None, Outcome.OFFICIAL)
    member = Member.objects.get(candidacy=c)
    assert (member.organisation, member.status, member.official_date) == (cell, Status.OFFICIAL, dt.date(2024, 11, 2))
    assert CandidateStep.objects.filter(candidate=c).count() == len(services.applicable_stages(c))


def test_probationary_member_who_moved_is_considered_by_the_new_cell(tree, people, cast):
    from dangvu.transfers import services as transfers

    dates = spaced(dt.date(2023, 2, 1), Stage.TRAINING, gap_days=20)
    c = walk(open_candidate(tree.c1, cast.office), cast.office, dates)
    letter = transfers.issue(
        c.member,
        cast.office,
        kind="official",
        letter_number="9-GT/ĐU",
        letter_date=dt.date(2024, 1, 8),
        to_organisation=tree.c3,
    )
    transfers.acknowledge(letter, cast.outsider, date=dt.date(2024, 1, 15))
    # C3 has one official member (Em); C1 has two. The cell where the member now works votes.
    resolution = step(c, Stage.OFFICIAL_RESOLUTION, cast.outsider, dt.date(2024, 7, 22), votes_for=1)
    assert (resolution.recognised, resolution.votes_eligible) == (True, 1)
    step(c, Stage.OFFICIAL_DECISION, cast.outsider, dt.date(2024, 8, 1))
    member = Member.objects.get(pk=c.member_id)
    assert (member.status, member.organisation) == (Status.OFFICIAL, tree.c3)
    assert member.events.get(kind=EventKind.OFFICIAL).organisation == tree.c3
