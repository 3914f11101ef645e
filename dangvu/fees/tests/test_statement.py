"""Import of a payment-portal statement: matched to members, all or nothing, row errors in Vietnamese."""

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from dangvu.fees import statement
from dangvu.fees.models import Payment, Statement
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db


def csv_file(rows, header="Mã đảng viên,Tháng,Số tiền,Mã giao dịch"):
    return ("\n".join([header, *rows]) + "\n").encode()


def codes(people):
    return {k: statement.fee_code(m) for k, m in people.items()}


def test_import_records_every_row(fee_data, tree, cast):
    c = codes(fee_data)
    data = csv_file(
        [f"{c['an']},03/2026,100.000,DVC-001", f"{c['binh']},03/2026,5000,DVC-002", f"{c['duc']},3/2026,35000,DVC-003"]
    )
    done = statement.import_statement(cast.office, tree.a, data, "sao-ke.csv", paid_on=dt.date(2026, 4, 2))
    assert (done.rows, done.total) == (3, 140_000)
    assert Payment.objects.filter(statement=done, method="portal").count() == 3
    assert sorted(Payment.objects.values_list("due__member__full_name", "amount")) == [
        ("Lê Minh Đức", 35_000),
        ("Nguyễn Văn An", 100_000),
        ("Trần Thị Bình", 5_000),
    ]
    with pytest.raises(DomainError):  # the same file again
        statement.import_statement(cast.office, tree.a, data, "sao-ke.csv")
    assert Payment.objects.count() == 3


def test_an_unknown_member_refuses_the_whole_file(fee_data, tree, cast):
    c = codes(fee_data)
    data = csv_file(
        [f"{c['an']},03/2026,100000,DVC-011", "DV999999,03/2026,5000,DVC-012", f"{c['em']},03/2026,80000,DVC-013"]
    )
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        statement.import_statement(cast.office, tree.a, data, "sao-ke.csv")
    messages = refused.value.messages
    # Row 3: nobody has that code; row 4: Em is a member of committee B, outside the office's subtree.
    assert messages == [
        "Dòng 3: không có đảng viên mã DV999999 trong các tổ chức của bạn.",
        f"Dòng 4: không có đảng viên mã {c['em']} trong các tổ chức của bạn.",
    ]
    assert not Payment.objects.exists() and not Statement.objects.exists()


def test_row_errors_are_all_listed(fee_data, tree, cast):
    c = codes(fee_data)
    data = csv_file(
        [
            f"{c['an']},13/2026,100000,DVC-1",
            f"{c['binh']},03/2026,năm nghìn,DVC-2",
            f"{c['duc']},03/2026,35000,DVC-2",
            ",03/2026,1,",
        ]
    )
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        statement.import_statement(cast.office, tree.a, data, "x.csv")
    text = " | ".join(refused.value.messages)
    assert "Dòng 2:" in text and "13/2026" in text
    assert "Dòng 3:" in text and "Dòng 4:" in text and "Dòng 5:" in text
    assert not Payment.objects.exists()


def test_xlsx_statement_with_a_title_row(fee_data, tree, cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Sao kê thu đảng phí"])
    sheet.append(["Mã đảng viên", "Tháng", "Số tiền", "Mã giao dịch"])
    sheet.append([statement.fee_code(fee_data["an"]), "04/2026", 100000, "DVC-X1"])
    out = io.BytesIO()
    book.save(out)
    done = statement.import_statement(cast.office, tree.a, out.getvalue(), "sao-ke.xlsx")
    assert done.total == 100_000


def test_import_page_allowed_and_denied(client, fee_data, tree, cast):
    c = codes(fee_data)
    upload = io.BytesIO(csv_file([f"{c['an']},03/2026,100000,DVC-P1", "DV999999,03/2026,1,DVC-P2"]))
    upload.name = "sao-ke.csv"
    client.force_login(cast.office)
    response = client.post("/fees/import/", {"organisation": tree.a.pk, "file": upload}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 422
    assert "DV999999" in response.content.decode()
    assert not Payment.objects.exists()
    for name in ("secretary", "leader", "member"):
        client.force_login(getattr(cast, name))
        assert client.get("/fees/import/").status_code == 403
    client.force_login(cast.office)
    assert client.get("/fees/import/").status_code == 200
