"""Each rule of the admission file refuses a wrong entry and changes nothing (issue 3 acceptance).

`frozen(candidate)` captures everything a refused entry could have touched: the candidate's derived
fields, its steps (live and annulled), introducers and member records; each refusal asserts it is equal
before and after.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.utils import timezone, translation

from dangvu import testing
from dangvu.admission import services
from dangvu.admission.models import Candidate, CandidateStep, Introducer, MassOrg, Outcome, Stage
from dangvu.admission.tests.test_pipeline import candidate_fields, open_candidate, spaced, step, walk
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, MemberEvent
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def frozen(candidate: Candidate) -> tuple:
    row = Candidate.objects.values_list(
        "stage", "due_stage", "due_on", "outcome", "member_id", "full_name", "citizen_id", "closed_reason"
    ).get(pk=candidate.pk)
    steps = list(CandidateStep.objects.filter(candidate=candidate).values_list("stage", "date", "annulled_at"))
    return (
        row,
        steps,
        Introducer.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        CandidateStep.history.count(),
    )


@contextmanager
def refused(candidate: Candidate | None, *fragments: str):
    """The block raises DomainError whose (English) message contains every fragment; nothing changed."""
    before = frozen(candidate) if candidate else None
    with translation.override("en"), pytest.raises(DomainError) as caught:
        yield
    text = " ".join(caught.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    if candidate is not None:
        assert frozen(candidate) == before


def up_to(cell, actor, stage: str, start: dt.date = dt.date(2023, 2, 1), **fields) -> Candidate:
    """A candidate with every step before `stage` recorded, 10 days apart from `start`."""
    dates = spaced(start, stage)
    dates.pop(stage)
    return walk(open_candidate(cell, actor, date=start, **fields), actor, dates)


# --- Age and certificate at the cell resolution ------------------------------------------------------


def test_under_age_at_the_cell_resolution(tree, cast):
    c = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION, birth_date=dt.date(2006, 6, 1))
    with refused(c, "is 17 years 11 months old", "of 18 years, counted in months"):
        step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2024, 5, 31))  # the day before the 18th birthday
    step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2024, 6, 1))
    assert c.steps.filter(stage=Stage.CELL_RESOLUTION).count() == 1


def test_expired_awareness_course_certificate(tree, cast):
    c = open_candidate(tree.c1, cast.office, date=dt.date(2018, 1, 10))
    walk(
        c,
        cast.office,
        {
            Stage.COURSE: dt.date(2018, 3, 1),
            Stage.APPLICATION: dt.date(2018, 4, 1),
            Stage.VERIFICATION: dt.date(2018, 5, 1),
            Stage.INTRODUCTION: dt.date(2018, 6, 1),
        },
    )
    # The certificate is valid 5 years: the cell's last day to vote is the deadline shown on the file.
    assert (c.due_stage, c.due_on) == (Stage.CELL_RESOLUTION, dt.date(2023, 3, 1))
    with refused(c, "02/03/2023"):  # more than 5 years after the course
        step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2023, 3, 2))
    step(c, Stage.CELL_RESOLUTION, cast.office, c.due_on)  # exactly 5 years: still valid
    assert c.steps.filter(stage=Stage.CELL_RESOLUTION).exists()


# --- Votes ------------------------------------------------------------------------------------------


def test_vote_needs_two_thirds_of_the_official_members(tree, cast):
    testing.member(tree.c1, "Hồ Văn Ba")  # C1 now has three official members
    testing.member(tree.c1, "Hồ Văn Dự Bị", admitted=dt.date(2023, 1, 5), official=False)  # does not vote
    c = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION)
    day = dt.date(2023, 10, 3)
    assert services.official_members_on(tree.c1, day) == 3
    with refused(c, "1 of 3", "needs 2"):
        step(c, Stage.CELL_RESOLUTION, cast.office, day, votes_for=1, votes_against=2)
    with refused(c, "4 votes cast", "only 3"):  # more votes than members entitled to vote
        step(c, Stage.CELL_RESOLUTION, cast.office, day, votes_for=3, votes_against=1)
    with refused(c):
        step(c, Stage.CELL_RESOLUTION, cast.office, day, votes_for=None)
    vote = step(c, Stage.CELL_RESOLUTION, cast.office, day, votes_for=2, votes_against=1)  # exactly 2/3
    assert (vote.votes_for, vote.votes_against, vote.votes_eligible) == (2, 1, 3)


def test_committee_vote_below_its_threshold_and_without_its_size(tree, cast):
    c = up_to(tree.c1, cast.office, Stage.COMMITTEE_RESOLUTION)
    day = c.steps.get(stage=Stage.CELL_RESOLUTION).date + dt.timedelta(days=7)
    with refused(c, "4 of 7", "5 are needed"):
        step(c, Stage.COMMITTEE_RESOLUTION, cast.office, day, votes_for=4, votes_eligible=7)
    with refused(c):
        step(c, Stage.COMMITTEE_RESOLUTION, cast.office, day, votes_for=4, votes_eligible=None)
    step(c, Stage.COMMITTEE_RESOLUTION, cast.office, day, votes_for=5, votes_eligible=7)


# --- Order, dates and waivers ---------------------------------------------------------------------------


def test_steps_follow_their_order(tree, cast):
    c = open_candidate(tree.c1, cast.office)
    with refused(c, "Record the earlier steps first"):
        step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2023, 6, 1))
    step(c, Stage.COURSE, cast.office, dt.date(2023, 3, 1))
    step(c, Stage.APPLICATION, cast.office, dt.date(2023, 4, 1))
    with refused(c, "already recorded"):  # an earlier step again, after a later one
        step(c, Stage.COURSE, cast.office, dt.date(2023, 4, 5))
    with refused(c, "01/04/2023"):  # dated before the previous step
        step(c, Stage.VERIFICATION, cast.office, dt.date(2023, 3, 31))
    with refused(c, "future"):
        step(c, Stage.VERIFICATION, cast.office, timezone.localdate() + dt.timedelta(days=2))
    with refused(c):
        services.record_step(c, "nonsense", cast.office, date=dt.date(2023, 5, 1))
    step(c, Stage.VERIFICATION, cast.office, dt.date(2023, 5, 1))
    step(c, Stage.INTRODUCTION, cast.office, dt.date(2023, 6, 1))
    step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2023, 7, 1))
    step(c, Stage.COMMITTEE_RESOLUTION, cast.office, dt.date(2023, 7, 5))
    with refused(c, "document number"):  # a decision carries its number and its issuer
        step(c, Stage.DECISION, cast.office, dt.date(2023, 7, 10), document_number=" ")
    with refused(c, "committee"):
        step(c, Stage.DECISION, cast.office, dt.date(2023, 7, 10), issuer="")
    assert c.steps.filter(annulled_at__isnull=True).count() == 7


def test_waiver_refused_for_a_step_the_rule_set_does_not_allow(tree, cast):
    c = open_candidate(tree.c1, cast.office)
    with refused(c, "Party awareness course"):
        step(c, Stage.APPLICATION, cast.office, dt.date(2023, 4, 1), waive_reason="Học lớp sau")
    with refused(c, "Record the earlier steps first"):  # a waiver needs its reason
        step(c, Stage.APPLICATION, cast.office, dt.date(2023, 4, 1), waive_reason="  ")


def test_waiver_of_the_source_list_is_recorded_and_audited(tree, cast):
    reason = "Chi bộ mới thành lập, chưa có danh sách nguồn"
    c = services.create_candidate(
        candidate_fields(), tree.c1, cast.secretary, date=dt.date(2023, 2, 1), waive_reason=reason
    )
    source = c.steps.get()
    assert (source.stage, source.waived, source.note, source.recorded_by) == (
        Stage.SOURCE,
        True,
        reason,
        cast.secretary,
    )
    assert source.history.get().history_user == cast.secretary
    assert c.stage == Stage.SOURCE

    # Through record_step: the source entry was a mistake and is annulled; the course is then recorded
    # with the source waived in the same action.
    other = open_candidate(tree.c1, cast.office)
    services.annul_step(other.steps.get(), cast.office, "Nhập nhầm")
    step(other, Stage.COURSE, cast.secretary, dt.date(2023, 3, 1), waive_reason=reason)
    live = {s.stage: s for s in other.steps.filter(annulled_at__isnull=True)}
    assert set(live) == {Stage.SOURCE, Stage.COURSE}
    assert live[Stage.SOURCE].waived and live[Stage.SOURCE].note == reason
    assert live[Stage.SOURCE].history.get().history_user == cast.secretary
    assert not live[Stage.COURSE].waived


def test_waiver_of_the_source_refused_when_the_rule_set_allows_none(tree, cast):
    RuleSet.objects.create(effective_from=dt.date(2023, 1, 1), name="strict", values={"admission.exception_steps": []})
    with refused(None, "Outstanding masses list"):
        services.create_candidate(candidate_fields(), tree.c1, cast.office, date=dt.date(2023, 2, 1), waive_reason="x")
    assert not Candidate.objects.exists() and not CandidateStep.objects.exists()


def test_waived_course_skips_the_certificate_check(tree, cast):
    RuleSet.objects.create(
        effective_from=dt.date(2019, 1, 1), name="course", values={"admission.exception_steps": ["source", "course"]}
    )
    c = open_candidate(tree.c1, cast.office, date=dt.date(2019, 2, 1))
    step(c, Stage.APPLICATION, cast.office, dt.date(2019, 3, 1), waive_reason="Đã học lớp ở đơn vị cũ")
    c.refresh_from_db()
    assert c.steps.get(stage=Stage.COURSE).waived
    assert (c.stage, c.due_on) == (Stage.APPLICATION, None)  # no certificate, no expiry deadline
    walk(c, cast.office, {Stage.VERIFICATION: dt.date(2019, 4, 1), Stage.INTRODUCTION: dt.date(2019, 5, 1)})
    step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2025, 6, 2))  # six years later: no certificate to expire
    assert c.steps.filter(stage=Stage.CELL_RESOLUTION).exists()


# --- Introducers -------------------------------------------------------------------------------------


def test_introducers_must_be_official_known_a_year_and_enough(tree, people, cast):
    an, binh = people["an"], people["binh"]
    newcomer = testing.member(tree.c1, "Lý Thị Dự Bị", admitted=dt.date(2023, 1, 5), official=False)
    c = up_to(tree.c1, cast.office, Stage.INTRODUCTION)
    day = dt.date(2023, 9, 5)
    long_ago = dt.date(2020, 1, 1)
    with refused(c, "Lý Thị Dự Bị", "official"):
        step(c, Stage.INTRODUCTION, cast.office, day, introducers=[(an, long_ago), (newcomer, long_ago)])
    with refused(c, "Trần Thị Bình", "12"):  # worked together for eleven months only
        step(c, Stage.INTRODUCTION, cast.office, day, introducers=[(an, long_ago), (binh, dt.date(2022, 10, 6))])
    with refused(c, "2 introducing"):
        step(c, Stage.INTRODUCTION, cast.office, day, introducers=[(an, long_ago)])
    with refused(c, "twice"):
        step(c, Stage.INTRODUCTION, cast.office, day, introducers=[(an, long_ago), (an, long_ago)])
    # With the Youth Union's recommendation one member suffices (Điều lệ Đảng, Điều 4).
    intro = step(
        c, Stage.INTRODUCTION, cast.office, day, introducers=[(binh, dt.date(2022, 9, 5))], mass_org=MassOrg.YOUTH_UNION
    )
    assert [(i.member, i.known_since) for i in intro.introducers.all()] == [(binh, dt.date(2022, 9, 5))]
    assert intro.mass_org == MassOrg.YOUTH_UNION


# --- Ceremony ---------------------------------------------------------------------------------------


def test_late_ceremony_needs_a_note(tree, cast):
    c = up_to(tree.c1, cast.office, Stage.DECISION)
    step(c, Stage.DECISION, cast.office, dt.date(2023, 11, 10))
    c.refresh_from_db()
    assert c.due_on == dt.date(2023, 12, 22)
    with refused(c, "22/12/2023"):
        step(c, Stage.CEREMONY, cast.office, dt.date(2023, 12, 25))
    ceremony = step(c, Stage.CEREMONY, cast.office, dt.date(2023, 12, 25), note="Chờ đồng chí Bí thư đi công tác về")
    assert ceremony.note and Candidate.objects.get(pk=c.pk).member is not None


def test_ceremony_on_its_last_day_needs_no_note(tree, cast):
    c = up_to(tree.c1, cast.office, Stage.DECISION)
    step(c, Stage.DECISION, cast.office, dt.date(2023, 11, 10))
    step(c, Stage.CEREMONY, cast.office, dt.date(2023, 12, 22))
    assert Candidate.objects.get(pk=c.pk).member is not None


# --- Identity ---------------------------------------------------------------------------------------


def test_one_open_candidacy_per_citizen_id(tree, people, cast):
    first = open_candidate(tree.c1, cast.office, citizen_id="092198001234")
    with refused(first, "092198001234"):
        open_candidate(tree.c2, cast.office, citizen_id="092198001234")
    assert Candidate.objects.count() == 1
    with refused(None, people["an"].citizen_id):  # already a party member
        open_candidate(tree.c2, cast.office, citizen_id=people["an"].citizen_id)
    other = open_candidate(tree.c2, cast.office, citizen_id="092198005678")
    with refused(other, "092198001234"):
        services.update_candidate(other, {"citizen_id": "092198001234"}, cast.office)
    with refused(other):
        services.update_candidate(other, {"full_name": "Một"}, cast.office)  # a family and a given name
    services.withdraw(first, cast.office, "Chuyển công tác")
    again = open_candidate(tree.c2, cast.office, citizen_id="092198001234")  # the first file is closed
    assert again.is_open and Candidate.objects.filter(citizen_id="092198001234").count() == 2


def test_candidate_outside_a_cell_or_dated_in_the_future_is_refused(tree, cast):
    with refused(None):
        open_candidate(tree.a_base, cast.office)
    with refused(None, "future"):
        open_candidate(tree.c1, cast.office, date=timezone.localdate() + dt.timedelta(days=1))
    assert not Candidate.objects.exists()


# --- Corrections ------------------------------------------------------------------------------------


def test_annul_only_the_latest_step(tree, cast):
    c = open_candidate(tree.c1, cast.office)
    course = step(c, Stage.COURSE, cast.office, dt.date(2023, 3, 1))
    application = step(c, Stage.APPLICATION, cast.office, dt.date(2023, 4, 1))
    with refused(c, "latest"):
        services.annul_step(course, cast.office, "Sai ngày")
    with refused(c, "reason"):
        services.annul_step(application, cast.office, " ")
    services.annul_step(application, cast.secretary, "Sai ngày")
    application.refresh_from_db()
    assert (application.annulled_by, application.annul_reason) == (cast.secretary, "Sai ngày")
    assert application.annulled_at is not None
    assert application.history.first().history_user == cast.secretary
    c.refresh_from_db()
    assert (c.stage, c.due_stage, c.due_on) == (Stage.COURSE, Stage.CELL_RESOLUTION, dt.date(2028, 3, 1))
    again = step(c, Stage.APPLICATION, cast.office, dt.date(2023, 4, 3))  # re-recorded with the right date
    assert c.steps.filter(stage=Stage.APPLICATION).count() == 2 and again.live


def test_steps_that_wrote_the_member_record_are_not_annulled_here(tree, cast):
    c = walk(open_candidate(tree.c1, cast.office), cast.office, spaced(dt.date(2023, 2, 1), Stage.CEREMONY))
    with refused(c, "member"):
        services.annul_step(c.steps.get(stage=Stage.CEREMONY), cast.office, "Nhầm")


def test_withdraw(tree, cast):
    c = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION)
    assert c.due_on is not None
    with refused(c, "reason"):
        services.withdraw(c, cast.office, "")
    services.withdraw(c, cast.office, "Quần chúng xin rút")
    c.refresh_from_db()
    assert (c.outcome, c.closed_reason, c.due_stage, c.due_on) == (Outcome.WITHDRAWN, "Quần chúng xin rút", "", None)
    assert c.history.first().history_user == cast.office
    with refused(c, "closed"):
        step(c, Stage.CELL_RESOLUTION, cast.office, dt.date(2023, 10, 3))
    with refused(c):
        services.withdraw(c, cast.office, "again")
    with refused(c):
        services.update_candidate(c, {"occupation": "Kỹ sư"}, cast.office)

    member_file = walk(open_candidate(tree.c1, cast.office), cast.office, spaced(dt.date(2023, 2, 1), Stage.CEREMONY))
    with refused(member_file, "ceremony"):  # after the ceremony the person is a member: removal, not withdrawal
        services.withdraw(member_file, cast.office, "Xin rút")
