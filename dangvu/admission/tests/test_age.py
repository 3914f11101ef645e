"""The candidate's age is judged once, at the cell's consideration (issue 8, item 3; domain.md §4,
Quy định 294-QĐ/TW): a candidate within the limits at the cell resolution whose birthday (or a rule set
change) falls before the admission decision is admitted, through the services and through the file page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.admission.models import Stage
from dangvu.admission.tests.test_pipeline import step
from dangvu.admission.tests.test_refusals import up_to
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
