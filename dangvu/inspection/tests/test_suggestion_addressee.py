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
from dangvu.inspection import suggestions
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
