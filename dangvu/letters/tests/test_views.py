"""The letters pages: access per role (allowed and denied), intake, screening, routing and the outcome through
the pages with errors beside their fields and nothing written, the senders shown only to the handling
committee's inspection role (logged), the log for the head of inspection, the designation of heads, the
notices to the sender as DOCX opened back, the statistics and the deadline alerts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from dangvu.alerts.sources import due_items
from dangvu.discipline.models import Case
from dangvu.letters import services
from dangvu.letters.alerts import LETTER_DUE
from dangvu.letters.models import InspectionHead, Letter, SenderView, Signatory, State
from dangvu.letters.tests.conftest import ADDRESS, CONTACT, NAME, RECEIVED, handled, receive
from dangvu.testing import keep_alert_sources

pytestmark = pytest.mark.django_db


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def test_pages_per_role(client, tree, people, cast, inspectors):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    for url, allowed, denied in (
        (reverse("letters:index"), ("inspector", "leader", "admin"), ("office", "secretary", "member", "outsider")),
        (
            reverse("letters:detail", args=[letter.pk]),
            ("inspector", "leader", "admin"),
            ("office", "secretary", "member", "outsider"),
        ),
        (reverse("letters:receive"), ("inspector",), ("office", "leader", "admin", "secretary", "member")),
        (reverse("letters:stats"), ("inspector", "leader", "admin"), ("office", "secretary", "member")),
        (reverse("letters:heads"), ("admin",), ("inspector", "leader", "office")),
    ):
        for name in allowed:
            assert get(client, getattr(cast, name), url).status_code == 200, (url, name)
        for name in denied:
            assert get(client, getattr(cast, name), url).status_code in (403, 404), (url, name)
    # The inspection committee of another committee does not see the letter; one below sees nothing above it.
    for who in inspectors.values():
        assert get(client, who, reverse("letters:detail", args=[letter.pk])).status_code == 404
    menu = get(client, cast.leader, reverse("letters:index")).content.decode()
    assert 'href="/letters/"' in menu and "05/ĐT" in menu


def test_intake_through_the_page_with_errors_beside_fields(client, tree, people, cast):
    url = reverse("letters:receive")
    client.force_login(cast.inspector)
    form = client.get(url).content.decode()
    once = form.split('name="once_token" value="')[1].split('"')[0]
    data = {
        "once_token": once,
        "committee": tree.a.pk,
        "number": "12/ĐT",
        "received_on": "02/03/2026",
        "channel": "post",
        "kind": "denunciation",
        "signed": "named",
        "about_kind": "member",
        "about_member": people["duc"].pk,
        "content": "Tố cáo sử dụng tài sản công.",
        "sender_1_name": "",
        "sender_1_address": ADDRESS,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập họ tên người ký đơn." in page and 'id="id_sender_1_name_error"' in page
    assert not Letter.objects.exists() and not Signatory.objects.exists()
    once = page.split('name="once_token" value="')[1].split('"')[0]
    response = client.post(url, {**data, "once_token": once, "sender_1_name": NAME, "sender_1_contact": CONTACT})
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("letters:detail", args=[letter.pk])
    assert letter.signatory_count == 1 and NAME not in Signatory.objects.get().secret


def test_screen_route_and_conclude_through_the_pages(client, tree, people, cast):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    client.force_login(cast.inspector)
    assert client.post(reverse("letters:screen", args=[letter.pk]), {"screened_on": "02/03/2026"}).status_code == 302
    # The person denounced among the handlers: refused beside the field, nothing written.
    response = client.post(
        reverse("letters:route", args=[letter.pk]),
        {"route": "handle", "routed_on": "02/03/2026", "handlers": [people["duc"].pk]},
    )
    assert response.status_code == 422
    letter.refresh_from_db()
    assert letter.state == State.ACCEPTED
    response = client.post(
        reverse("letters:route", args=[letter.pk]),
        {"route": "handle", "routed_on": "02/03/2026", "handlers": [people["binh"].pk]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("letters:conclude", args=[letter.pk]),
        {"outcome": "discipline", "concluded_on": "05/03/2026", "conclusion": "Có vi phạm"},
    )
    assert response.status_code == 422 and "Nhập vi phạm" not in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(
        reverse("letters:conclude", args=[letter.pk]),
        {
            "outcome": "discipline",
            "concluded_on": "05/03/2026",
            "conclusion": "Có vi phạm",
            "category": "economy_finance",
            "facts": "Dùng xe công vào việc riêng.",
            "violation_date": "10/01/2026",
            "proposed_form": "reprimand",
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.state == State.CONCLUDED and letter.case.member == people["duc"]
    page = get(client, cast.inspector, reverse("letters:detail", args=[letter.pk])).content.decode()
    assert reverse("discipline:case", args=[letter.case_id]) in page


def test_senders_shown_on_request_to_the_handling_inspection_role_only(client, tree, people, cast, inspectors):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    url = reverse("letters:detail", args=[letter.pk]) + "?show=sender"
    for name in ("leader", "admin"):
        response = get(client, getattr(cast, name), url)
        assert response.status_code == 403 and NAME not in response.content.decode()
    plain = get(client, cast.leader, reverse("letters:detail", args=[letter.pk])).content.decode()
    assert NAME not in plain and "?show=sender" not in plain
    assert not SenderView.objects.exists()
    response = get(client, cast.inspector, url)
    page = response.content.decode()
    assert response.status_code == 200 and NAME in page and ADDRESS in page and CONTACT in page
    assert response["Cache-Control"] == "no-store"
    assert SenderView.objects.filter(viewer=cast.inspector, surface="page").count() == 1
    # The log: the head of inspection of the committee only.
    log_url = reverse("letters:sender_views", args=[letter.pk])
    assert get(client, cast.inspector, log_url).status_code == 404
    assert get(client, cast.admin, log_url).status_code == 404
    response = post(
        client,
        cast.admin,
        reverse("letters:heads"),
        {"committee": tree.a.pk, "user": cast.leader.pk, "valid_from": "01/01/2026"},
    )
    assert response.status_code == 302 and InspectionHead.objects.get().user == cast.leader
    log = get(client, cast.leader, log_url).content.decode()
    assert "inspector" in log and NAME not in log


def test_notices_to_the_sender_as_docx(client, tree, people, cast):
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]])
    services.extend(letter, days=5, reason="Cần xác minh thêm", notice_on=RECEIVED, actor=cast.inspector)
    client.force_login(cast.inspector)
    assert client.get(reverse("letters:result_docx", args=[letter.pk])).status_code == 404  # not concluded
    for name, words in (
        ("receipt_docx", ["THÔNG BÁO", "tiếp nhận đơn tố cáo", NAME, ADDRESS]),
        ("extension_docx", ["gia hạn", "5 ngày làm việc", NAME]),
    ):
        response = client.get(reverse(f"letters:{name}", args=[letter.pk]))
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        for word in words:
            assert word in text, (name, word)
    assert SenderView.objects.filter(surface="docx").count() == 2
    assert get(client, cast.leader, reverse("letters:receipt_docx", args=[letter.pk])).status_code == 403


def test_result_notice_as_docx(client, tree, people, cast):
    """The result notice (issue 12 item 7) once the letter is concluded: the outcome and the dates in the Party
    format, to the sender by name; logged as a showing of the sender; not for a leader."""
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]])
    services.conclude(
        letter,
        outcome="unfounded",
        concluded_on=RECEIVED + dt.timedelta(days=20),
        conclusion="Không có cơ sở",
        result_notice_on=RECEIVED + dt.timedelta(days=21),
        actor=cast.inspector,
    )
    client.force_login(cast.inspector)
    response = client.get(reverse("letters:result_docx", args=[letter.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    for word in ("THÔNG BÁO", "kết quả giải quyết", "Kết quả: nội dung đơn không có cơ sở.", NAME, letter.number):
        assert word in text, word
    assert SenderView.objects.filter(letter=letter, surface="docx").count() == 1
    assert get(client, cast.leader, reverse("letters:result_docx", args=[letter.pk])).status_code == 403


def test_statistics_page_counts_only(client, tree, people, cast):
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]])
    services.conclude(
        letter, outcome="lessons", concluded_on=RECEIVED, conclusion="Rút kinh nghiệm", actor=cast.inspector
    )
    response = get(client, cast.leader, reverse("letters:stats") + f"?organisation={tree.a.pk}&year=2026")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="total">1<' in page and NAME not in page


def test_deadline_alerts(client, tree, people, cast, monkeypatch):
    keep_alert_sources(monkeypatch, "dangvu.letters.alerts")
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]], day=dt.date(2025, 6, 2))
    items = due_items(cast.inspector)
    assert [(a.kind, a.object_id, a.overdue) for a in items] == [(LETTER_DUE, letter.pk, True)]
    assert NAME not in items[0].subject + items[0].detail
    assert due_items(cast.office) == [] and due_items(cast.outsider) == []
