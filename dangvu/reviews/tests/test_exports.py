"""The classification report (DOCX, opened back and read cell by cell) and the results (XLSX), each limited
to the user's scope (issue 11 item 7)."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from dangvu.reviews.models import Campaign, Grade
from dangvu.reviews.tests.test_stats import run_2025

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(tree, cast, people):
    grades = {people["an"].pk: Grade.GOOD, people["binh"].pk: Grade.COMPLETED, people["duc"].pk: Grade.GOOD}
    run_2025(tree, cast.office, grades)
    return Campaign.objects.get(year=2025)


def test_report_docx_table_cell_by_cell(client, tree, cast, decided):
    client.force_login(cast.office)
    r = client.get(reverse("reviews:report", args=[tree.a_base.pk, 2025]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(r.content))
    assert any("Kết quả đánh giá, xếp loại đảng viên năm 2025" in p.text for p in document.paragraphs)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][3:7] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert cells[1] == ["1", "Đảng bộ Sở Một", "3", "0", "2", "1", "0", "0", "0", "0"]
    assert cells[-1][1:] == ["Cộng", "3", "0", "2", "1", "0", "0", "0", "0"]


def test_report_denied_outside_scope(client, tree, cast, decided):
    client.force_login(cast.outsider)
    assert client.get(reverse("reviews:report", args=[tree.a_base.pk, 2025])).status_code == 404
    client.force_login(cast.member)
    assert client.get(reverse("reviews:report", args=[tree.c1.pk, 2025])).status_code == 404


def test_results_xlsx_holds_the_users_reviews(client, cast, people, decided):
    client.force_login(cast.secretary)
    r = client.get(reverse("reviews:export", args=[decided.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Họ và tên", "Chi bộ")
    assert {row[1] for row in rows[1:]} == {"Nguyễn Văn An", "Trần Thị Bình"}  # C1 only
    assert len(rows) == 3 and len({row[7] for row in rows[1:]}) == 2 and all(row[7] for row in rows[1:])
    assert rows[1][8] == "30-QĐ/ĐU"
    client.force_login(cast.outsider)
    assert client.get(reverse("reviews:export", args=[decided.pk])).status_code == 404
