"""The candidate's age (issue 8, items 3 and 4; domain.md §4, Quy định 294-QĐ/TW "đủ 18 tuổi đến đủ 60 tuổi
(tính theo tháng)"):

- judged once, at the cell's consideration: a candidate within the limits at the cell resolution whose
  birthday (or a rule set change) falls before the admission decision is admitted;
- counted in months: one who turns 18 later in the month is under 18; one aged 60 years and a month is over
  60 and the decision then needs the approval of the committee directly under the Central Committee.

Through the services, the file page and the API; every boundary computed by hand on both sides.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.admission import services
from dangvu.admission.models import CandidateStep, Stage
from dangvu.admission.tests.test_pipeline import step
from dangvu.admission.tests.test_refusals import refused, up_to
from dangvu.members.models import EventKind, Status
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db

# Born 20/03/1963: exactly 60 years old on 20/03/2023 (the cell resolution, within the limit however the
# age is counted), 61 on 20/03/2024, before the decision of 25/03/2024.
BORN_1963 = dt.date(1963, 3, 20)
RESOLVED, DECIDED, CEREMONY = dt.date(2023, 3, 20), dt.date(2024, 3, 25), dt.date(2024, 4, 1)


def resolved(cell, actor, born: dt.date, on: dt.date):
    candidate = up_to(cell, actor, Stage.CELL_RESOLUTION, start=on - dt.timedelta(days=100), birth_date=born)
    step(candidate, Stage.CELL_RESOLUTION, actor, on)
    step(candidate, Stage.COMMITTEE_RESOLUTION, actor, on + dt.timedelta(days=14))
    return candidate


def test_a_birthday_between_the_cell_resolution_and_the_decision_does_not_stick_the_file(tree, cast):
    candidate = resolved(tree.c1, cast.office, BORN_1963, RESOLVED)
    step(candidate, Stage.DECISION, cast.office, DECIDED)
    step(candidate, Stage.CEREMONY, cast.office, CEREMONY)
    candidate.refresh_from_db()
    member = candidate.member
    assert (member.status, member.admission_date) == (Status.PROBATIONARY, DECIDED)
    assert member.age(DECIDED) == 61  # over the maximum on the decision date: not judged again
    admission = member.events.get(kind=EventKind.ADMISSION)
    assert admission.source == "admission"


def test_a_higher_minimum_age_in_force_at_the_decision_does_not_stick_the_file(tree, cast):
    # Exactly 18 on 10/03/2023 (the cell resolution); a rule set in force from 01/04/2023 asks for 20.
    RuleSet.objects.create(effective_from=dt.date(2023, 4, 1), name="Thử", values={"admission.min_age": 20})
    candidate = resolved(tree.c1, cast.office, dt.date(2005, 3, 10), dt.date(2023, 3, 10))
    step(candidate, Stage.DECISION, cast.office, dt.date(2023, 4, 20))
    step(candidate, Stage.CEREMONY, cast.office, dt.date(2023, 4, 25))
    candidate.refresh_from_db()
    assert candidate.member.status == Status.PROBATIONARY


def test_the_office_records_the_decision_and_ceremony_on_the_page(client, tree, cast):
    candidate = resolved(tree.c1, cast.office, BORN_1963, RESOLVED)
    client.force_login(cast.office)
    url = reverse("admission:record", args=[candidate.pk])
    decision = {"stage": Stage.DECISION, "date": "25/03/2024", "document_number": "9-QĐ/ĐU", "issuer": "Đảng ủy"}
    assert client.post(url, decision).status_code == 302
    assert client.post(url, {"stage": Stage.CEREMONY, "date": "01/04/2024"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.member is not None and candidate.member.admission_date == DECIDED
    assert client.get(reverse("members:detail", args=[candidate.member.pk])).status_code == 200


# --- Counted in months ----------------------------------------------------------------------------------


def test_turning_18_later_in_the_same_month_is_under_18(tree, cast):
    # Born 20/06/2006: on 05/06/2024 the birthday is later in the month: 17 years 11 months.
    candidate = up_to(
        tree.c1, cast.office, Stage.CELL_RESOLUTION, start=dt.date(2024, 2, 1), birth_date=dt.date(2006, 6, 20)
    )
    with refused(candidate, "On 05/06/2024 the candidate is 17 years 11 months old", "18 years, counted in months"):
        step(candidate, Stage.CELL_RESOLUTION, cast.office, dt.date(2024, 6, 5))
    with refused(candidate, "17 years 11 months"):
        step(candidate, Stage.CELL_RESOLUTION, cast.office, dt.date(2024, 6, 19))
    step(candidate, Stage.CELL_RESOLUTION, cast.office, dt.date(2024, 6, 20))


# Born 03/10/1962: 60 years 0 months 30 days on 02/11/2022 (within 60 counted in months), 60 years 1 month on
# 03/11/2022 (over).
BORN_1962 = dt.date(1962, 10, 3)
WITHIN, OVER = dt.date(2022, 11, 2), dt.date(2022, 11, 3)


def test_sixty_years_and_a_month_needs_the_higher_approval_at_the_decision(tree, cast):
    within = resolved(tree.c1, cast.office, BORN_1962, WITHIN)
    assert services.over_age(within, services.live_steps(within)) == ""
    step(within, Stage.DECISION, cast.office, dt.date(2022, 12, 1))  # no approval needed
    assert within.steps.get(stage=Stage.DECISION).age_approval == ""

    over = resolved(tree.c1, cast.office, BORN_1962, OVER)  # the cell resolution is recorded
    note = services.over_age(over, services.live_steps(over))
    assert "03/11/2022" in note and "60 tuổi 1 tháng" in note and "cấp ủy trực thuộc Trung ương" in note
    with refused(over, "was 60 years 1 month old", "60 years, counted in months", "Enter the approval"):
        step(over, Stage.DECISION, cast.office, dt.date(2022, 12, 1))
    with refused(over, "Enter the approval"):
        step(over, Stage.DECISION, cast.office, dt.date(2022, 12, 1), age_approval="   ")
    step(over, Stage.DECISION, cast.office, dt.date(2022, 12, 1), age_approval="27-CV/TU ngày 25/11/2022")
    step(over, Stage.CEREMONY, cast.office, dt.date(2022, 12, 15))
    over.refresh_from_db()
    assert over.steps.get(stage=Stage.DECISION).age_approval == "27-CV/TU ngày 25/11/2022"
    assert over.member.status == Status.PROBATIONARY
    history = CandidateStep.history.filter(stage=Stage.DECISION, candidate_id=over.pk).get()
    assert (history.age_approval, history.history_user) == ("27-CV/TU ngày 25/11/2022", cast.office)


def test_a_rule_set_counting_in_whole_years(tree, cast):
    RuleSet.objects.create(
        effective_from=dt.date(2022, 1, 1), name="Thử", values={"admission.max_age": {"years": 60, "unit": "year"}}
    )
    # Counted in whole years, 60 years 11 months is within 60; 61 (03/10/2023) is over.
    late = resolved(tree.c1, cast.office, BORN_1962, dt.date(2023, 10, 2))
    assert services.over_age(late, services.live_steps(late)) == ""
    over = resolved(tree.c1, cast.office, BORN_1962, dt.date(2023, 10, 3))
    assert "61 tuổi, quá tuổi tối đa 60 tuổi, tính theo năm tròn" in services.over_age(over, services.live_steps(over))


def test_the_file_page_asks_for_the_approval_and_records_it(client, tree, cast):
    over = resolved(tree.c1, cast.office, BORN_1962, OVER)
    client.force_login(cast.office)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admission:candidate", args=[over.pk])).content.decode()
    assert 'id="file-age"' in page and "60 years 1 month" in page
    assert 'name="age_approval"' in page  # the decision form asks for it
    url = reverse("admission:record", args=[over.pk])
    decision = {"stage": Stage.DECISION, "date": "01/12/2022", "document_number": "9-QĐ/ĐU", "issuer": "Đảng ủy"}
    response = client.post(url, decision)
    assert response.status_code == 200 and "age_approval" in response.context["form"].errors
    assert not over.steps.filter(stage=Stage.DECISION).exists()
    response = client.post(url, {**decision, "age_approval": "27-CV/TU ngày 25/11/2022"})
    assert response.status_code == 302
    page = client.get(reverse("admission:candidate", args=[over.pk])).content.decode()
    assert "27-CV/TU ngày 25/11/2022" in page
    within = resolved(tree.c1, cast.office, BORN_1962, WITHIN)
    page = client.get(reverse("admission:candidate", args=[within.pk])).content.decode()
    assert 'id="file-age"' not in page and 'name="age_approval"' not in page
