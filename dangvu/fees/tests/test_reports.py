"""Remittance by the rule set's shares and the monthly and yearly reports (XLSX and DOCX opened back): the
totals add up to the đồng."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from dangvu.fees import remittance, services
from dangvu.fees.tests.conftest import M

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_march(fee_data, tree, cast):
    services.run_month(tree.city, M(2026, 3, 1), actor=cast.admin)
    day = dt.date(2026, 3, 10)
    services.record_payment(fee_data["an"], month=M(2026, 3, 1), amount=100_001, paid_on=day)  # 1 đ over: odd sums
    services.record_payment(fee_data["binh"], month=M(2026, 3, 1), amount=5_000, paid_on=day)
    services.record_payment(fee_data["duc"], month=M(2026, 3, 1), amount=35_000, paid_on=day)
    services.record_payment(fee_data["em"], month=M(2026, 3, 1), amount=80_000, paid_on=day)
    return fee_data


def test_flows_add_up_to_the_dong(paid_march, tree):
    flows = remittance.flows(tree.city, M(2026, 3, 1))
    c1, c2, a_base, a = (flows[o.pk] for o in (tree.c1, tree.c2, tree.a_base, tree.a))
    # C1 (cell, keeps 3/10): 105,001 → keeps 31,500 (31,500.3), sends 73,501.
    assert (c1.collected, c1.kept, c1.sent_up) == (105_001, 31_500, 73_501)
    assert (c2.collected, c2.kept, c2.sent_up) == (35_000, 10_500, 24_500)
    # A1 (grassroots committee, keeps 1/2) receives 98,001 → keeps 49,001 (49,000.5 halves up), sends 49,000.
    assert (a_base.received, a_base.kept, a_base.sent_up) == (98_001, 49_001, 49_000)
    assert a.received == 49_000
    for flow in flows.values():
        assert flow.received == flow.kept + flow.sent_up
    top = flows[tree.city.pk]
    assert top.collected_below == 220_001
    assert top.kept_below + top.sent_up == top.collected_below
    assert sum(f.kept for f in flows.values()) + top.sent_up == 220_001


def test_month_report_xlsx_and_docx(client, paid_march, tree, cast):
    client.force_login(cast.office)
    response = client.get(f"/fees/orgs/{tree.a.pk}/month.xlsx?month=03/2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    body, total = rows[:-1], rows[-1]
    assert total[0] == "Cộng"
    for column in range(1, 5):
        assert sum(r[column] for r in body) == total[column]
    assert total[1:4] == [3, 140_000, 140_001]
    assert total[4] + total[5] == total[3]  # kept + sent up = collected
    response = client.get(f"/fees/orgs/{tree.a.pk}/month.docx?month=03/2026")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "tháng 03/2026" in text and "140.001" in text
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Tổ chức đảng")
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[-1][0] == "Cộng" and cells[-1][3] == "140.001"


def test_year_report(client, paid_march, tree, cast):
    client.force_login(cast.office)
    response = client.get(f"/fees/orgs/{tree.a.pk}/year.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(rows) == 13 and rows[-1][0] == "Cả năm"
    for column in range(2, 6):
        assert sum(r[column] for r in rows[:-1]) == rows[-1][column]
    assert rows[2][3] == 140_001  # March
    response = client.get(f"/fees/orgs/{tree.a.pk}/year.docx?year=2026")
    assert response.status_code == 200
    assert "năm 2026" in "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


def test_reports_scope(client, paid_march, tree, cast):
    for url in (
        f"/fees/orgs/{tree.a.pk}/month.xlsx",
        f"/fees/orgs/{tree.a.pk}/year.docx",
        f"/fees/orgs/{tree.a.pk}/remittance/",
    ):
        client.force_login(cast.outsider)
        assert client.get(url).status_code == 404
        client.force_login(cast.secretary)
        assert client.get(url).status_code == 404
        client.force_login(cast.leader)
        assert client.get(url).status_code == 200
    client.force_login(cast.secretary)
    assert client.get(f"/fees/orgs/{tree.c1.pk}/month.xlsx?month=03/2026").status_code == 200
