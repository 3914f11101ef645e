"""The inspection decision and the notice of its conclusion as DOCX in the Party format, opened back: header,
kind, subject, articles, the remediation table cell by cell; who may download them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from dangvu.inspection import services
from dangvu.inspection.tests.conftest import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def concluded(tree, people, cast):
    programme = services.create_programme(
        organisation=tree.a,
        organ="inspection",
        year=2024,
        title="Chương trình kiểm tra, giám sát năm 2024",
        approved_on=dt.date(2024, 1, 10),
        document_number="05-CTr/UBKT",
        actor=cast.inspector,
    )
    activity = services.create_activity(
        plan(
            tree.a,
            organisations=[tree.a_base],
            members=[people["duc"]],
            programme=programme,
            mode="thematic",
            title="Việc thực hiện nguyên tắc tập trung dân chủ",
            team="Trưởng đoàn: Nguyễn Văn Kiểm\nThành viên: Lê Thị Soát",
            decision_number="21-QĐ/UBKT",
            decided_on=dt.date(2024, 2, 20),
        ),
        cast.inspector,
    )
    services.conclude(
        activity,
        concluded_on=dt.date(2024, 3, 30),
        conclusion="Đảng ủy Sở Một thực hiện tốt nguyên tắc.\nCòn chậm ban hành quy chế làm việc.",
        number="12-TB/UBKT",
        actor=cast.inspector,
    )
    services.add_remediation(
        activity,
        description="Ban hành quy chế làm việc",
        owner="Đảng ủy Sở Một",
        deadline=dt.date(2024, 6, 30),
        actor=cast.inspector,
    )
    return activity


def _open(content: bytes):
    doc = Document(io.BytesIO(content))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    return doc, paragraphs


def test_decision(client, cast, concluded):
    client.force_login(cast.inspector)
    response = client.get(reverse("inspection:decision_docx", args=[concluded.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    doc, text = _open(response.content)
    header = [c.text for c in doc.tables[0]._cells]
    assert "Số 21-QĐ/UBKT" in "\n".join(header) and "ỦY BAN KIỂM TRA ĐẢNG ỦY CÁC CƠ QUAN A" in "\n".join(header)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in "\n".join(header) and "ngày 20 tháng 02 năm 2024" in "\n".join(header)
    assert "QUYẾT ĐỊNH" in text and "về việc kiểm tra chuyên đề đối với Đảng bộ Sở Một" in text
    assert "Quy định số 296-QĐ/TW" in text and "05-CTr/UBKT" in text
    assert "Điều 1." in text and "từ ngày 01/03/2024" in text and "Lê Minh Đức" in text
    assert "Trưởng đoàn: Nguyễn Văn Kiểm; Thành viên: Lê Thị Soát" in text
    assert "CHỦ NHIỆM" in "\n".join(c.text for t in doc.tables for c in t._cells)


def test_conclusion_with_the_remediation_table(client, cast, concluded):
    client.force_login(cast.leader)
    response = client.get(reverse("inspection:conclusion_docx", args=[concluded.pk]))
    assert response.status_code == 200
    doc, text = _open(response.content)
    assert "Số 12-TB/UBKT" in "\n".join(c.text for c in doc.tables[0]._cells)
    assert "THÔNG BÁO" in text and "kết luận kiểm tra chuyên đề" in text
    assert "Quyết định số 21-QĐ/UBKT ngày 20/02/2024" in text
    assert "Còn chậm ban hành quy chế làm việc." in text and "Yêu cầu khắc phục:" in text
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["STT", "Nội dung khắc phục", "Chịu trách nhiệm", "Thời hạn"],
        ["1", "Ban hành quy chế làm việc", "Đảng ủy Sở Một", "30/06/2024"],
    ]


def test_who_may_download(client, tree, cast, concluded):
    urls = [
        reverse("inspection:decision_docx", args=[concluded.pk]),
        reverse("inspection:conclusion_docx", args=[concluded.pk]),
    ]
    for name, user in cast.all().items():
        client.force_login(user)
        for url in urls:
            expected = 200 if name in {"admin", "office", "inspector", "leader"} else 404 if name == "outsider" else 403
            assert client.get(url).status_code == expected, (name, url)
    unconcluded = services.create_activity(plan(tree.a, organisations=[tree.a_base]), cast.inspector)
    client.force_login(cast.inspector)
    assert client.get(reverse("inspection:conclusion_docx", args=[unconcluded.pk])).status_code == 404
