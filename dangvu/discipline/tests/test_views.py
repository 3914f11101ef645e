"""The discipline pages: access per role (allowed and denied), opening and deciding through the pages with
errors beside their fields and nothing written, the member page showing the discipline, the decision as a
DOCX opened back, the statistics page and the alerts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from dangvu.alerts.sources import due_items
from dangvu.discipline import services
from dangvu.discipline.alerts import APPEAL_DUE, LIMITATION_ENDING
from dangvu.discipline.models import Case, Form, Organ
from dangvu.discipline.tests.conftest import decision, open_member_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(tree, people, cast):
    case = open_member_case(people["an"], cast.inspector, Form.WARNING)
    return services.decide(
        case, decision(Form.WARNING, tree.a_base, Organ.COMMITTEE, number="33-QĐ/ĐU"), cast.inspector
    )


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_case_page_per_role(client, cast, decided):
    url = reverse("discipline:case", args=[decided.pk])
    for name in ("inspector", "leader", "admin"):
        assert get(client, getattr(cast, name), url).status_code == 200, name
    for name in ("office", "secretary", "member", "outsider", "nobody"):
        assert get(client, getattr(cast, name), url).status_code == 404, name


def test_index_per_role(client, cast, decided):
    url = reverse("discipline:index")
    page = get(client, cast.inspector, url).content.decode()
    assert "33-QĐ/ĐU" in page and reverse("discipline:open") in page
    office = get(client, cast.office, url).content.decode()  # decided discipline only, no case files
    assert "33-QĐ/ĐU" in office and reverse("discipline:case", args=[decided.pk]) not in office
    assert reverse("discipline:open") not in office
    assert get(client, cast.outsider, url).status_code == 200
    assert "33-QĐ/ĐU" not in get(client, cast.outsider, url).content.decode()
    assert get(client, cast.member, url).status_code == 403
    assert get(client, cast.nobody, url).status_code == 403


def test_open_through_the_page(client, tree, people, cast):
    url = reverse("discipline:open")
    assert get(client, cast.office, url).status_code == 403
    assert get(client, cast.leader, url).status_code == 403
    client.force_login(cast.inspector)
    data = {
        "subject_kind": "member",
        "member": people["binh"].pk,
        "category": "ethics_lifestyle",
        "facts": "Vi phạm quy định về những điều đảng viên không được làm.",
        "violation_date": "10/03/2016",
        "proposed_form": Form.REPRIMAND,
        "opened_on": "01/06/2026",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Case.objects.exists()
    page = response.content.decode()
    assert "thời hiệu" in page.lower() or "limitation" in page.lower()
    data["violation_date"] = "10/03/2024"
    response = client.post(url, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("discipline:case", args=[case.pk])
    # a member outside the inspector's scope is not offered
    data["member"] = people["em"].pk
    assert client.post(url, data).status_code == 200 and Case.objects.count() == 1


def test_decide_through_the_page(client, tree, people, cast):
    case = open_member_case(people["binh"], cast.inspector, Form.EXPULSION)
    url = reverse("discipline:decide", args=[case.pk])
    data = {
        "form": Form.EXPULSION,
        "decided_by": tree.c1.pk,
        "organ": Organ.COMMITTEE,
        "document_number": "5-QĐ/CB",
        "document_date": "01/07/2026",
        "effective_date": "01/07/2026",
    }
    client.force_login(cast.leader)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.inspector)
    response = client.post(url, data)
    assert response.status_code == 422
    assert "decided_by" in response.content.decode() and Case.objects.get().state == "open"
    data["decided_by"] = tree.a_base.pk
    assert client.post(url, data).status_code == 302
    assert Case.objects.get().state == "decided"
    member_page = get(client, cast.office, reverse("members:detail", args=[people["binh"].pk])).content.decode()
    assert 'id="member-discipline"' in member_page and "5-QĐ/CB" in member_page


def test_member_sees_own_discipline(client, cast, people, decided):
    page = get(client, cast.member, reverse("members:detail", args=[people["an"].pk])).content.decode()
    assert 'id="member-discipline"' in page and "33-QĐ/ĐU" in page


def test_decision_docx(client, cast, decided):
    url = reverse("discipline:decision_docx", args=[decided.pk])
    assert get(client, cast.office, url).status_code == 404
    response = get(client, cast.inspector, url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "QUYẾT ĐỊNH" in text and "cảnh cáo" in text and "Nguyễn Văn An" in text
    assert "Số 33-QĐ/ĐU" in "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for c in t._cells)


def test_statistics_page(client, tree, cast, decided):
    url = reverse("discipline:stats") + f"?organisation={tree.a.pk}&year=2026"
    page = get(client, cast.office, url).content.decode()
    assert 'id="stats"' in page and "Đạo đức" not in page
    assert get(client, cast.member, url).status_code == 403
    outsider = get(client, cast.outsider, url).content.decode()  # A is not theirs: their own committee is shown
    assert tree.a.name not in outsider and tree.b.name in outsider


def test_alerts(cast, tree, people, decided, monkeypatch):
    from dangvu import testing

    testing.keep_alert_sources(monkeypatch, "dangvu.discipline.alerts")
    services.lodge_appeal(decided, dt.date(2026, 7, 20), "UBKT Đảng ủy A", cast.inspector)
    open_member_case(
        people["binh"], cast.inspector, Form.REPRIMAND, violation=dt.date(2021, 12, 20), opened=dt.date(2026, 6, 1)
    )
    kinds = {a.kind for a in due_items(cast.inspector, dt.date(2026, 12, 6))}
    assert kinds == {APPEAL_DUE, LIMITATION_ENDING}
    assert due_items(cast.outsider, dt.date(2026, 12, 6)) == []
    assert due_items(cast.office, dt.date(2026, 12, 6)) == []
