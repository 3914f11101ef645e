"""The discipline statistics as XLSX, opened back and checked cell by cell; allowed and denied."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from dangvu.discipline import services
from dangvu.discipline.models import Form, Organ
from dangvu.discipline.tests.conftest import decision, open_member_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(tree, people, cast):
    case = open_member_case(people["an"], cast.inspector, Form.WARNING)
    services.decide(case, decision(Form.WARNING, tree.a_base, Organ.COMMITTEE, number="33-QĐ/ĐU"), cast.inspector)
    other = open_member_case(people["duc"], cast.inspector, Form.REPRIMAND, category="ethics_lifestyle")
    services.decide(other, decision(Form.REPRIMAND, tree.c2, Organ.COMMITTEE, number="02-QĐ/CB"), cast.inspector)


def test_statistics_xlsx_cell_by_cell(client, tree, cast, decided):
    url = reverse("discipline:stats_xlsx") + f"?organisation={tree.a.pk}&year=2026"
    client.force_login(cast.office)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Thống kê kỷ luật"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == f"Thống kê thi hành kỷ luật — {tree.a.name}"
    assert rows[1][0] == "Từ ngày 01/01/2026 đến ngày 31/12/2026"
    assert rows[2] == [
        "STT",
        "Tổ chức đảng",
        "Khiển trách",
        "Cảnh cáo",
        "Cách chức",
        "Khai trừ",
        "Giải tán",
        "Đảng viên",
        "Trong đó cấp ủy viên",
        "Tổ chức đảng bị kỷ luật",
    ]
    assert rows[3] == [1, tree.a.name, 1, 1, 0, 0, 0, 2, 0, 0]
    assert rows[-1] == [None, "Cộng", 1, 1, 0, 0, 0, 2, 0, 0]
    categories = [list(r) for r in book["Theo loại vi phạm"].iter_rows(values_only=True)]
    assert categories[0] == ["Loại vi phạm", tree.a.name, "Cộng"]
    assert sorted(row[1:] for row in categories[1:]) == [[1, 1], [1, 1]] and len(categories) == 3
    # The page links to it with the same query.
    page = client.get(reverse("discipline:stats") + f"?organisation={tree.a.pk}&year=2026").content.decode()
    assert f'href="{reverse("discipline:stats_xlsx")}?organisation={tree.a.pk}&amp;year=2026"' in page


def test_statistics_xlsx_access(client, tree, cast, decided):
    url = reverse("discipline:stats_xlsx") + f"?organisation={tree.a.pk}&year=2026"
    for name in ("member", "nobody"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 403, name
    client.force_login(cast.outsider)  # A is not in B's scope: the form refuses it, B's own figures instead
    response = client.get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert tree.b.name in sheet["A1"].value and [c.value for c in sheet[4]][2:8] == [0, 0, 0, 0, 0, 0]
