"""The demo's letters (issue 12 items 3 and 4): the 2020–2025 term as seed 003's footnote 3 tells it per
predecessor (Cần Thơ 8, Sóc Trăng 4, Hậu Giang 3), adding up to the combined figures; the discipline
letter linked to a decided case; this year's open letters, one in the inspection committee's alerts; the
senders encrypted like any other."""

import datetime as dt

import pytest

from dangvu.accounts.models import User
from dangvu.alerts.sources import due_items
from dangvu.demo.tests.test_demo_world import demo, seeded  # noqa: F401  (the module-scoped world)
from dangvu.letters import stats
from dangvu.letters.alerts import LETTER_DUE
from dangvu.letters.models import InspectionHead, Letter, Signatory, State
from dangvu.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_term_per_predecessor_as_seed_003(demo):  # noqa: F811
    merged = Organisation.objects.get(code="CT-CQD")
    report = stats.letters(merged, dt.date(2020, 10, 1), dt.date(2025, 6, 30))
    assert report.combined.total == 15 == sum(p.total for p in report.parts)
    totals = sorted(p.total for p in report.parts if p.total)
    assert totals == [3, 4, 8]
    routes = report.combined.routes
    assert (routes["forward"], routes["transfer"], routes["handle"], routes["not_handled"]) == (5, 3, 4, 3)
    assert report.combined.outcomes["discipline"] == 1 and report.combined.outcomes["lessons"] == 3
    letter = Letter.objects.get(outcome="discipline")
    assert letter.case.state == "decided" and letter.case.member_id == letter.about_member_id


def test_open_letters_this_year_and_their_secrecy(demo):  # noqa: F811
    assert Letter.objects.filter(state=State.HANDLING).count() == 2
    assert Letter.objects.filter(state__in=[State.RECEIVED, State.ACCEPTED]).count() == 2
    assert Letter.objects.filter(extension_days__isnull=False).count() == 1
    user = User.objects.get(username="kiemtra")
    assert LETTER_DUE in {a.kind for a in due_items(user)}
    assert InspectionHead.objects.filter(user=user).exists()
    assert all(s.startswith("f1:") for s in Signatory.objects.values_list("secret", flat=True))
