"""The addressee of a review suggestion (docs/decisions.md, "Issue 12 item 5: the addressee"): the cell
secretary or a leader of the collective addressed and the member addressed read it and report what was done on
each issue (pages; the API: dangvu/api/tests/test_inspection_suggestions_api.py); nobody else reports, other
addressees do not see it, and only the sender closes the issue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.alerts.sources import due_items
from dangvu.inspection import suggestions
from dangvu.inspection.alerts import SUGGESTION_DUE
from dangvu.inspection.models import SuggestionIssue
from dangvu.inspection.tests.test_views_write import field_error

pytestmark = pytest.mark.django_db
SENT_ON, DEADLINE = dt.date(2025, 11, 20), dt.date(2026, 1, 31)


def send(tree, cast, number, **addressee):
    return suggestions.send(
        sender=tree.a_base,
        year=2025,
        sent_on=SENT_ON,
        issues=[("Sinh hoạt chi bộ chưa đều", DEADLINE)],
        document_number=number,
        actor=cast.inspector,
        **addressee,
    )


@pytest.fixture
def sent(tree, people, cast):
    """To the secretary's cell C1, to the cast's member (An, C1), to cell C2 and to Đức (C2)."""
    return {
        "cell": send(tree, cast, "1-CV", organisation=tree.c1),
        "member": send(tree, cast, "2-CV", member=people["an"]),
        "other_cell": send(tree, cast, "3-CV", organisation=tree.c2),
        "other_member": send(tree, cast, "4-CV", member=people["duc"]),
    }


def numbers(response) -> set[str]:
    page = response.content.decode()
    return {n for n in ("1-CV", "2-CV", "3-CV", "4-CV") if n in page}


def test_each_addressee_sees_its_own(client, cast, sent):
    expected = {"secretary": {"1-CV"}, "member": {"2-CV"}, "inspector": {"1-CV", "2-CV", "3-CV", "4-CV"}}
    for name, mine in expected.items():
        client.force_login(getattr(cast, name))
        listing = client.get(reverse("inspection:suggestions"))
        assert listing.status_code == 200 and numbers(listing) == mine, name
        for key, item in sent.items():
            detail = client.get(reverse("inspection:suggestion", args=[item.pk]))
            assert detail.status_code == (200 if item.document_number in mine else 404), (name, key)
    client.force_login(cast.nobody)  # no role, no member record
    assert client.get(reverse("inspection:suggestions")).status_code == 403
    assert client.get(reverse("inspection:suggestion", args=[sent["cell"].pk])).status_code == 403


def test_the_menu_leads_the_addressee_to_them(client, cast):
    for name, shown in {"secretary": True, "member": True, "inspector": False, "nobody": False}.items():
        client.force_login(getattr(cast, name))
        page = client.get(reverse("alerts:list")).content.decode()
        link = f'href="{reverse("inspection:suggestions")}"'
        assert (link in page) == shown, name  # the inspector reaches them from the inspection pages


def test_a_leader_of_the_collective_addressed(client, tree, cast):
    to_a1 = suggestions.send(
        sender=tree.a,
        organisation=tree.a_base,
        year=2025,
        sent_on=SENT_ON,
        issues=[("Chậm ban hành nghị quyết", DEADLINE)],
        actor=cast.inspector,
    )
    client.force_login(testing.user("leader_a1", Role.LEADER, tree.a_base))
    detail = client.get(reverse("inspection:suggestion", args=[to_a1.pk]))
    assert detail.status_code == 200 and 'id="report-issue-' in detail.content.decode()
    client.force_login(testing.user("office_a1", Role.OFFICE, tree.a_base))  # an office is not the addressee
    assert client.get(reverse("inspection:suggestion", args=[to_a1.pk])).status_code == 404


def report_url(item):
    return reverse("inspection:report_issue", args=[item.pk, item.issues.get().pk])


def test_the_addressee_reports_and_the_sender_closes(client, cast, sent):
    cell = sent["cell"]
    issue = cell.issues.get()
    p = f"report{issue.pk}"
    client.force_login(cast.secretary)
    detail = client.get(reverse("inspection:suggestion", args=[cell.pk])).content.decode()
    assert f'id="report-issue-{issue.pk}"' in detail and 'id="close-issue-' not in detail
    missing = client.post(report_url(cell), {f"{p}-reported_on": "10/01/2026", f"{p}-report": " "})
    assert missing.status_code == 422 and field_error(missing.content.decode(), f"{p}-report")
    early = client.post(report_url(cell), {f"{p}-reported_on": "19/11/2025", f"{p}-report": "Đã họp"})
    assert early.status_code == 422 and field_error(early.content.decode(), f"{p}-reported_on")
    assert SuggestionIssue.objects.get(pk=issue.pk).report == ""
    done = client.post(report_url(cell), {f"{p}-reported_on": "20/11/2025", f"{p}-report": "Đã kiểm điểm, có biên bản"})
    assert done.status_code == 302
    issue.refresh_from_db()
    assert (issue.reported_on, issue.report, issue.reported_by, issue.closed_on) == (
        dt.date(2025, 11, 20),
        "Đã kiểm điểm, có biên bản",
        cast.secretary,
        None,
    )
    assert issue.history.first().history_change_reason == "reported"
    close = reverse("inspection:close_issue", args=[cell.pk, issue.pk])
    assert client.post(close, {"confirmed": "close_suggestion_issue"}).status_code == 403  # the addressee
    client.force_login(cast.member)  # another addressee of the same sender
    assert client.post(report_url(cell), {f"{p}-reported_on": "21/11/2025", f"{p}-report": "x"}).status_code == 404
    client.force_login(cast.inspector)  # the sender reads it, reports nothing, closes with the report as evidence
    assert client.post(report_url(cell), {f"{p}-reported_on": "21/11/2025", f"{p}-report": "x"}).status_code == 403
    page = client.get(reverse("inspection:suggestion", args=[cell.pk])).content.decode()
    assert f'id="report-{issue.pk}"' in page and "Đã kiểm điểm, có biên bản</textarea>" in page
    c = f"close{issue.pk}"
    closing = {f"{c}-closed_on": "25/11/2025", f"{c}-evidence": "Biên bản kiểm điểm"}
    closing["confirmed"] = "close_suggestion_issue"
    assert client.post(close, closing).status_code == 302
    client.force_login(cast.secretary)
    page = client.get(reverse("inspection:suggestion", args=[cell.pk])).content.decode()
    assert 'id="report-issue-' not in page and "Biên bản kiểm điểm" in page
    late = client.post(report_url(cell), {f"{p}-reported_on": "26/11/2025", f"{p}-report": "Bổ sung"})
    assert late.status_code == 422 and SuggestionIssue.objects.get(pk=issue.pk).report == "Đã kiểm điểm, có biên bản"


def test_the_member_reports_on_their_own(client, cast, sent):
    mine, other = sent["member"], sent["other_member"]
    p = f"report{mine.issues.get().pk}"
    client.force_login(cast.member)
    body = {f"{p}-reported_on": "05/12/2025", f"{p}-report": "Đã sửa chữa khuyết điểm"}
    assert client.post(report_url(mine), body).status_code == 302
    assert mine.issues.get().report == "Đã sửa chữa khuyết điểm"
    q = f"report{other.issues.get().pk}"
    assert client.post(report_url(other), {f"{q}-reported_on": "05/12/2025", f"{q}-report": "x"}).status_code == 404
    client.force_login(cast.secretary)  # the member's cell secretary: a personal suggestion is not the cell's
    assert client.post(report_url(mine), body).status_code == 404


def test_the_addressee_gets_the_alert_and_no_one_outside(tree, people, cast, sent, monkeypatch):
    """The open issue is in the alerts of its addressee (the cell's secretary; the member addressed, through
    their own user) and of nobody outside: another cell's secretary, another member, a user without a role."""
    testing.keep_alert_sources(monkeypatch, "dangvu.inspection.alerts")
    today = dt.date(2026, 1, 25)

    def seen(user):
        return [(a.kind, a.subject, a.due, a.overdue, a.url) for a in due_items(user, today=today)]

    def alert(item, subject):
        return (SUGGESTION_DUE, subject, DEADLINE, False, reverse("inspection:suggestion", args=[item.pk]))

    assert seen(cast.secretary) == [alert(sent["cell"], tree.c1.name)]
    assert seen(cast.member) == [alert(sent["member"], people["an"].full_name)]
    outside = [
        testing.user("secretary_c3", Role.CELL_SECRETARY, tree.c3),
        testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"]),
        cast.nobody,
    ]
    for user in outside:
        assert seen(user) == [], user.username
    # Overdue after the deadline; gone once the sender closes it.
    assert [a.overdue for a in due_items(cast.secretary, today=dt.date(2026, 2, 5))] == [True]
    issue = sent["cell"].issues.get()
    suggestions.close_issue(issue, closed_on=dt.date(2026, 1, 20), evidence="Biên bản kiểm điểm", actor=cast.inspector)
    assert seen(cast.secretary) == []


def test_the_addressee_dashboard_lists_the_open_issues(client, tree, people, cast, sent, django_assert_max_num_queries):
    """The secretary's dashboard and the member's home list the open issues addressed to them (linked to the
    suggestion), in one query whatever their number; nobody else's dashboard shows them."""
    home = reverse("web:home")

    def listed(user):
        client.force_login(user)
        page = client.get(home)
        assert page.status_code == 200, user.username
        return {i.suggestion_id for i in page.context.get("addressed_issues") or []}, page.content.decode()

    mine, html = listed(cast.secretary)
    assert mine == {sent["cell"].pk} and 'id="suggestions-received"' in html
    assert f'href="{reverse("inspection:suggestion", args=[sent["cell"].pk])}"' in html
    mine, html = listed(cast.member)
    assert mine == {sent["member"].pk} and "Sinh hoạt chi bộ chưa đều" in html
    for user in (testing.user("secretary_c3", Role.CELL_SECRETARY, tree.c3), cast.leader, cast.inspector):
        mine, html = listed(user)
        assert mine == set() and 'id="suggestions-received"' not in html, user.username
    # One query whatever the number of issues.
    client.force_login(cast.member)
    client.get(home)
    with django_assert_max_num_queries(30) as first:
        client.get(home)
    suggestions.send(
        sender=tree.a_base,
        member=people["an"],
        year=2025,
        sent_on=SENT_ON,
        issues=[("Chưa gương mẫu", DEADLINE), ("Chậm đóng đảng phí", DEADLINE + dt.timedelta(days=30))],
        actor=cast.inspector,
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(home)
    assert len(page.context["addressed_issues"]) == 3
    # Closed issues leave the dashboard.
    issue = sent["cell"].issues.get()
    suggestions.close_issue(issue, closed_on=dt.date(2026, 1, 20), evidence="Biên bản kiểm điểm", actor=cast.inspector)
    assert listed(cast.secretary)[0] == set()
