"""The demo's discipline (issue 12 item 2): the 2020–2025 term in seed 003's proportions (19 members: 10
reprimands, 6 warnings, 3 expulsions) across the three predecessors, adding up to the combined figures;
expulsions through the member records; this year's open items in the inspection committee's alerts."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dangvu.accounts.models import User
from dangvu.alerts.sources import due_items
from dangvu.demo.tests.test_demo_world import demo, seeded  # noqa: F401  (the module-scoped world)
from dangvu.discipline import stats
from dangvu.discipline.alerts import APPEAL_DUE, LIMITATION_ENDING
from dangvu.discipline.models import Case, CaseState
from dangvu.members.models import EventKind, MemberEvent
from dangvu.orgs.models import Organisation, Term

pytestmark = pytest.mark.django_db


def test_the_term_in_seed_003_proportions_per_predecessor(demo):  # noqa: F811
    merged = Organisation.objects.get(code="CT-CQD")
    term = Term.objects.get(code="2020-2025")
    report = stats.discipline(merged, dt.date(2020, 10, 1), dt.date(2025, 6, 30))
    members = report.combined.by_subject[stats.MEMBERS]
    assert (members["reprimand"], members["warning"], members["expulsion"]) == (10, 6, 3), dict(members)
    assert report.combined.members == 19 == sum(p.members for p in report.parts)
    assert sum(1 for p in report.parts if p.members) == 3 and report.parts[0].members == 0
    assert stats.discipline(merged, *stats.period(term=term)).combined.members >= 19


def test_expulsions_are_member_events_of_their_cases(demo):  # noqa: F811
    cases = Case.objects.filter(form="expulsion", state=CaseState.DECIDED)
    assert cases.count() == 3
    for case in cases:
        event = MemberEvent.objects.get(pk=case.member_event_id)
        assert event.kind == EventKind.EXPULSION and event.date == case.effective_date
        assert case.member.status == "expelled"


def test_this_years_items_for_the_inspection_committee(demo):  # noqa: F811
    user = User.objects.get(username="kiemtra")
    assert Case.objects.filter(state=CaseState.OPEN).count() >= 4
    kinds = {a.kind for a in due_items(user)}
    assert {APPEAL_DUE, LIMITATION_ENDING} <= kinds
    client = Client()
    client.force_login(user)
    page = client.get(reverse("discipline:index"))
    assert page.status_code == 200 and "Đang xem xét" in page.content.decode()
    assert client.get(reverse("discipline:stats")).status_code == 200
