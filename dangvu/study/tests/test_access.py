"""Who sees and does what with study campaigns (issue 14 item 3): a member sees the campaigns of their own
organisations only; staff of another committee see nothing of them; the office records attendance in its
subtree only; the member confirms from the campaign page (asked once)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry
from dangvu.study.models import Campaign, Participation
from dangvu.study.tests.conftest import QUIZ, campaign_for
from dangvu.web import confirm as confirmation

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(tree, cast, resolution):
    """Campaigns of committees A and B in progress (conference 5 days ago, deadline in 10 days)."""
    b_resolution = register.register(entry(tree.b, title="Nghị quyết Khối-Bê"), cast.outsider)
    today = timezone.localdate()
    days = {"conference": today - dt.timedelta(days=5), "ends": today + dt.timedelta(days=10)}
    a = campaign_for(
        tree.a, resolution, cast.office, title="Học tập Chiến-Dịch-A", questions=QUIZ[:1], pass_mark=100, **days
    )
    b = campaign_for(tree.b, b_resolution, cast.outsider, title="Học tập Chiến-Dịch-B", **days)
    return a, b


def test_a_member_sees_only_the_campaigns_of_their_organisations(client, cast, campaigns):
    a, b = campaigns
    client.force_login(cast.member)
    index = client.get(reverse("study:index"))
    assert index.status_code == 200
    body = index.content.decode()
    assert "Chiến-Dịch-A" in body and "Chiến-Dịch-B" not in body
    assert client.get(reverse("study:campaign", args=[a.pk])).status_code == 200
    assert client.get(reverse("study:campaign", args=[b.pk])).status_code == 404
    assert client.get(reverse("study:create")).status_code == 403


def test_staff_of_another_committee_see_nothing_of_it(client, cast, campaigns):
    a, b = campaigns
    client.force_login(cast.outsider)
    assert client.get(reverse("study:campaign", args=[a.pk])).status_code == 404
    assert client.get(reverse("study:campaign", args=[b.pk])).status_code == 200
    assert "Chiến-Dịch-A" not in client.get(reverse("study:index")).content.decode()
    client.force_login(cast.nobody)
    assert client.get(reverse("study:index")).status_code == 403


def test_the_cell_secretary_sees_the_committee_campaign_with_the_cell_figures_only(client, cast, tree, campaigns):
    a, _b = campaigns
    client.force_login(cast.secretary)
    page = client.get(reverse("study:campaign", args=[a.pk]))
    assert page.status_code == 200
    assert [r["organisation"].pk for r in page.context["rows"]] == [tree.c1.pk]
    assert page.context["rows"][0]["figures"].expected == 2
    url = reverse("study:attendance", args=[a.pk, tree.c1.pk])
    assert client.get(url).status_code == 404  # recording is the office's


def test_the_office_records_attendance_in_its_subtree_only(client, cast, tree, people, campaigns):
    a, b = campaigns
    client.force_login(cast.office)
    url = reverse("study:attendance", args=[a.pk, tree.c1.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"present": [people["an"].pk, people["binh"].pk]})
    assert response.status_code == 302
    assert set(Participation.objects.filter(attended=True).values_list("member_id", flat=True)) == {
        people["an"].pk,
        people["binh"].pk,
    }
    # Unmarked later: recorded as absent, audited.
    assert client.post(url, {"present": [people["an"].pk]}).status_code == 302
    binh = Participation.objects.get(member=people["binh"])
    assert binh.attended is False and binh.history.count() == 2
    # A member of committee B is refused beside nothing written; another committee's organisation is a 404.
    assert client.post(url, {"present": [people["em"].pk]}).status_code == 422
    assert client.get(reverse("study:attendance", args=[a.pk, tree.c3.pk])).status_code == 404
    assert client.get(reverse("study:attendance", args=[b.pk, tree.c3.pk])).status_code == 404


def test_the_member_confirms_from_the_page_once_asked(client, cast, campaigns, settings):
    a, _b = campaigns
    client.force_login(cast.member)
    url = reverse("study:confirm", args=[a.pk])
    question = a.questions.get()
    data = {f"q_{question.pk}": question.correct, "reflection": "Thu hoạch về nghị quyết."}
    asked = client.post(url, data)
    assert asked.status_code == confirmation.STATUS and not Participation.objects.exists()
    wrong = client.post(url, {**data, f"q_{question.pk}": 1 - question.correct, confirmation.FIELD: "confirm_study"})
    assert wrong.status_code == 422 and not Participation.objects.exists()
    done = client.post(url, {**data, confirmation.FIELD: "confirm_study"})
    assert done.status_code == 302
    row = Participation.objects.get()
    assert row.member == cast.member.member and row.quiz_score == 100


def test_campaign_setup_by_the_office(client, cast, tree, resolution):
    client.force_login(cast.office)
    assert client.get(reverse("study:create")).status_code == 200
    data = {
        "organisation": tree.a.pk,
        "resolution": resolution.pk,
        "title": "Học tập nghị quyết mới",
        "conference_date": "10/03/2026",
        "ends_on": "09/03/2026",
        "pass_mark": 80,
        "questions": "Câu một?\n*Đúng\nSai\n\nCâu hai?\nA\n*B",
    }
    refused = client.post(reverse("study:create"), data)
    assert refused.status_code == 200 and "ends_on" in refused.context["form"].errors
    assert not Campaign.objects.exists()
    data["ends_on"] = "31/03/2026"
    assert client.post(reverse("study:create"), data).status_code == 302
    campaign = Campaign.objects.get()
    assert [(q.text, q.choices, q.correct) for q in campaign.questions.all()] == [
        ("Câu một?", ["Đúng", "Sai"], 0),
        ("Câu hai?", ["A", "B"], 1),
    ]
    assert campaign.conference_date == dt.date(2026, 3, 10)
    client.force_login(cast.secretary)
    assert client.post(reverse("study:create"), data).status_code == 403


def test_the_deadline_in_the_alerts_until_studied(cast, people, campaigns, monkeypatch):
    from dangvu import testing
    from dangvu.alerts.sources import due_items
    from dangvu.study import services
    from dangvu.study.alerts import STUDY_DUE, STUDY_MISSING

    testing.keep_alert_sources(monkeypatch, "dangvu.study.alerts")
    a, _b = campaigns
    today = timezone.localdate()
    mine = due_items(cast.member, today)
    assert [(x.kind, x.object_id, x.due) for x in mine] == [(STUDY_DUE, a.pk, a.ends_on)]
    # Not yet listed 31 days before the deadline (alerts.soon_days = 30), listed 30 days before.
    assert due_items(cast.member, a.ends_on - dt.timedelta(days=31)) == []
    assert len(due_items(cast.member, a.ends_on - dt.timedelta(days=30))) == 1
    office = due_items(cast.office, today)
    assert [(x.kind, x.detail) for x in office] == [(STUDY_MISSING, "3/3 đảng viên chưa học tập")]
    assert due_items(cast.outsider, today)[0].object_id != a.pk
    question = a.questions.get()
    services.confirm(a, people["an"], cast.member, answers={question.pk: question.correct}, reflection="Đã học")
    assert due_items(cast.member, today) == []
    assert due_items(cast.office, today)[0].detail == "2/3 đảng viên chưa học tập"
