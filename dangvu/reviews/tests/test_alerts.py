"""The review timetable in the alerts (issue 11 item 1): the steps of the party organisations' reviews
(their own assessment by the cells' meetings, the decision by the committees' date) beside the members',
in the one query of the reviews' source; a campaign named by its period (the year or the term)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu import testing
from dangvu.alerts.sources import due_items
from dangvu.reviews import orgreviews, services
from dangvu.reviews.models import Grade, Period

pytestmark = pytest.mark.django_db
D = dt.date
ASSESS = "Tự đánh giá của tổ chức đảng chưa nộp: %s"
DECIDE = "Xếp loại tổ chức đảng chưa quyết định: %s"


@pytest.fixture(autouse=True)
def only_reviews(monkeypatch):
    testing.keep_alert_sources(monkeypatch, "dangvu.reviews.alerts")


def test_organisations_steps_beside_the_members(tree, cast, people, campaign):
    today = D(2026, 12, 28)  # the cells' meetings overdue, the decisions due
    with CaptureQueriesContext(connection) as queries:
        alerts = due_items(cast.office, today)
    reading = [q["sql"] for q in queries.captured_queries if '"reviews_orgreview"' in q["sql"]]
    assert len(reading) == 1 and '"reviews_review"' in reading[0]  # one query for both kinds of review
    by_detail = {a.detail: a for a in alerts}
    assert (by_detail[ASSESS % 4].due, by_detail[ASSESS % 4].overdue) == (D(2026, 12, 20), True)
    assert (by_detail[DECIDE % 4].due, by_detail[DECIDE % 4].overdue) == (D(2026, 12, 31), False)
    assert {a.subject for a in alerts} == {"Kiểm điểm, xếp loại năm 2026"}
    c1 = campaign.org_reviews.get(organisation=tree.c1)
    scores = {"leadership": "30", "building": "20", "inspection": "10", "unity": "10"}
    orgreviews.save_assessment(c1, orgreviews.OrgAssessment(scores), cast.secretary, submit=True)
    by_detail = {a.detail: a for a in due_items(cast.office, today)}
    assert ASSESS % 3 in by_detail
    orgreviews.decide(c1, Grade.GOOD, "50-QĐ/ĐU", D(2026, 12, 1), cast.office)
    assert DECIDE % 3 in {a.detail for a in due_items(cast.office, today)}
    secretary = {a.detail for a in due_items(cast.secretary, today)}  # C1's own review is decided
    assert not any("tổ chức đảng" in d for d in secretary)
    assert due_items(cast.outsider, today) == []


def test_a_term_campaign_is_named_by_its_term(tree, cast, people):
    plan = services.Timetable(D(2025, 12, 10), D(2025, 12, 20), D(2025, 12, 31))
    services.open_campaign(tree.a_base, 2025, D(2025, 12, 1), plan, cast.office, period=Period.TERM, first_year=2021)
    staff = due_items(cast.office, D(2025, 12, 5))
    assert staff and {a.subject for a in staff} == {"Kiểm điểm, xếp loại nhiệm kỳ 2021–2025"}
    own = due_items(cast.member, D(2025, 12, 5))
    assert [a.detail for a in own] == ["Bản tự kiểm điểm nhiệm kỳ 2021–2025"]
