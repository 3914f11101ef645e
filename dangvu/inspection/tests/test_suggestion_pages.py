"""Review suggestions through the pages and the alerts (the API: dangvu/api/tests/): allowed and denied per
role, errors beside their fields writing nothing, confirmation before closing an issue, the deadlines of open
issues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.alerts.sources import due_items
from dangvu.inspection import suggestions
from dangvu.inspection.alerts import SUGGESTION_DUE
from dangvu.inspection.models import Suggestion, SuggestionIssue
from dangvu.inspection.tests.test_views_write import field_error

pytestmark = pytest.mark.django_db
SEE = {"admin", "office", "inspector", "leader"}


def send_one(tree, cast):
    return suggestions.send(
        sender=tree.a,
        organisation=tree.a_base,
        year=2025,
        sent_on=dt.date(2025, 11, 20),
        issues=[("Chậm khắc phục hạn chế năm trước", dt.date(2026, 1, 31))],
        document_number="15-CV/ĐU",
        actor=cast.inspector,
    )


@pytest.fixture
def sent(tree, cast):
    return send_one(tree, cast)


def test_pages_per_role(client, cast, sent):
    for name, user in cast.all().items():
        client.force_login(user)
        listing = client.get(reverse("inspection:suggestions"))
        detail = client.get(reverse("inspection:suggestion", args=[sent.pk]))
        new = client.get(reverse("inspection:new_suggestion"))
        if name in SEE:
            assert (listing.status_code, detail.status_code) == (200, 200), name
            assert "15-CV/ĐU" in listing.content.decode()
            assert ('id="close-issue-' in detail.content.decode()) == (name in {"inspector", "admin"}), name
        elif name == "nobody":
            assert (listing.status_code, detail.status_code) == (403, 403), name
        else:  # the outsider; the cell secretary and the member read only those addressed to them
            assert listing.status_code == 200 and "15-CV/ĐU" not in listing.content.decode(), name
            assert detail.status_code == 404, name
        assert new.status_code == (200 if name in {"inspector", "admin"} else 403), name


def test_send_through_the_page(client, tree, people, cast):
    client.force_login(cast.inspector)
    url = reverse("inspection:new_suggestion")
    data = {
        "sender": tree.a.pk,
        "addressee_kind": "member",
        "member": "",
        "year": "2025",
        "sent_on": "20/11/2025",
        "issue_1": "Tác phong, lề lối làm việc",
        "deadline_1": "",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 422 and field_error(page, "member") and field_error(page, "deadline_1")
    data.update(member=people["duc"].pk, deadline_1="01/11/2025")  # before the sending
    response = client.post(url, data)
    assert response.status_code == 422 and field_error(response.content.decode(), "issue_1")
    assert not Suggestion.objects.exists()
    data.update(deadline_1="31/01/2026", issue_2="Sinh hoạt chưa đều", deadline_2="01/03/2026")
    response = client.post(url, data)
    item = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection:suggestion", args=[item.pk])
    assert (item.member, item.organisation) == (people["duc"], tree.c2)
    assert [i.text for i in item.issues.all()] == ["Tác phong, lề lối làm việc", "Sinh hoạt chưa đều"]


def test_close_an_issue_with_confirmation(client, cast, sent):
    issue = sent.issues.get()
    url = reverse("inspection:close_issue", args=[sent.pk, issue.pk])
    client.force_login(cast.leader)
    assert client.post(url, {"confirmed": "close_suggestion_issue"}).status_code == 403
    client.force_login(cast.inspector)
    p = f"close{issue.pk}"
    asked = client.post(url, {f"{p}-closed_on": "20/01/2026", f"{p}-evidence": "Biên bản kiểm điểm"})
    assert asked.status_code == 409 and SuggestionIssue.objects.get().closed_on is None
    missing = client.post(url, {f"{p}-closed_on": "20/01/2026", "confirmed": "close_suggestion_issue"})
    assert missing.status_code == 422 and field_error(missing.content.decode(), f"{p}-evidence")
    done = client.post(
        url,
        {f"{p}-closed_on": "20/01/2026", f"{p}-evidence": "Biên bản kiểm điểm", "confirmed": "close_suggestion_issue"},
    )
    assert done.status_code == 302 and SuggestionIssue.objects.get().evidence == "Biên bản kiểm điểm"


def test_open_issues_are_in_the_alerts(cast, sent, monkeypatch):
    testing.keep_alert_sources(monkeypatch, "dangvu.inspection.alerts")
    items = due_items(cast.inspector, today=dt.date(2026, 1, 25))
    assert [(a.kind, a.subject, a.due, a.overdue) for a in items] == [
        (SUGGESTION_DUE, "Đảng bộ Sở Một", dt.date(2026, 1, 31), False)
    ]
    assert items[0].url == reverse("inspection:suggestion", args=[sent.pk])
    assert [a.overdue for a in due_items(cast.leader, today=dt.date(2026, 2, 5))] == [True]
    assert due_items(cast.outsider, today=dt.date(2026, 1, 25)) == []
    assert due_items(cast.secretary, today=dt.date(2026, 1, 25)) == []
    issue = sent.issues.get()
    suggestions.close_issue(issue, closed_on=dt.date(2026, 1, 20), evidence="Đã khắc phục", actor=cast.inspector)
    assert due_items(cast.inspector, today=dt.date(2026, 1, 25)) == []
