"""The citizen ID's layout in the import (dangvu.members.citizen_id): one row error per bad ID, on the
column "Số CCCD", saying what disagrees (in Vietnamese by default); valid IDs pass; a file with a bad ID
imports nothing. An impossible date gets "Không có ngày này", not the dd/mm/yyyy hint."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dangvu.imports.readers import read_upload
from dangvu.imports.services import ImportRefused, apply_rows, process
from dangvu.imports.tests import factories as f
from dangvu.members.models import Member
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db

COLUMN = "Số CCCD"
# Row 1 of the factory is a woman born on 15/04/1990: 092190000001 is right.
WRONG = [
    ("003190000001", "không phải mã tỉnh"),
    ("097190000001", "không phải mã tỉnh"),
    ("092090000001", "giới tính đã nhập là nữ"),
    ("092390000001", "sinh trong các năm 2000–2099"),
    ("092189000001", "hai số cuối của năm sinh"),
    ("092191000001", "hai số cuối của năm sinh"),
]


def test_each_bad_id_is_one_row_error_and_valid_ids_pass(tree, cast):
    good = f.rows(3)  # rows 2-4 of the sheet
    bad = [f.row(10 + i, **{COLUMN: number}) for i, (number, _words) in enumerate(WRONG)]
    with translation.override("vi"):
        result = process(read_upload(f.xlsx(good + bad), "c.xlsx"), cast.office)
    errors = [(e.row, e.column, e.value, e.message) for e in result.errors]
    assert [(row, column, value) for row, column, value, _m in errors] == [
        (5 + i, COLUMN, number) for i, (number, _w) in enumerate(WRONG)
    ]
    for (_row, _column, _value, message), (_number, words) in zip(errors, WRONG, strict=True):
        assert words in message


def test_every_problem_of_one_id_is_in_its_one_error(tree, cast):
    record = f.row(1, **{COLUMN: "003095000001", "Ngày sinh*": "15/04/1990"})  # province, sex, year
    with translation.override("en"):
        [error] = process(read_upload(f.csv_bytes([record])), cast.office).errors
    assert error.column == COLUMN
    assert "not a province code" in error.message and "is for a man" in error.message and "Digits 5–6" in error.message


def test_a_bad_id_imports_nothing(tree, cast):
    records = [*f.rows(2), f.row(3, **{COLUMN: "092090000003"})]
    with pytest.raises(ImportRefused) as refused:
        apply_rows(read_upload(f.xlsx(records), "r.xlsx"), cast.office)
    assert [(e.row, e.column) for e in refused.value.row_errors] == [(4, COLUMN)]
    assert not Member.objects.filter(full_name__startswith="Nguyễn Thị Nhập").exists()
    assert apply_rows(read_upload(f.xlsx(f.rows(2)), "r.xlsx"), cast.office) == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/1990", "Không có ngày này: tháng 2/1990 chỉ có 28 ngày."),
        ("31/06/1990", "Không có ngày này: tháng 6/1990 chỉ có 30 ngày."),
        ("15/13/1990", "Không có ngày này: một năm chỉ có 12 tháng."),
        ("1990/02/15", "Ghi ngày theo dạng dd/mm/yyyy."),
    ],
)
def test_an_impossible_date_is_called_so(tree, cast, typed, message):
    with translation.override("vi"):
        [error] = process(read_upload(f.xlsx([f.row(1, **{"Ngày sinh*": typed})]), "d.xlsx"), cast.office).errors
    assert (error.column, error.value, error.message) == ("Ngày sinh*", typed, message)


def test_the_error_page_shows_no_such_date(client, cast, tree):
    client.force_login(cast.office)
    data = f.xlsx([f.row(1, **{"Ngày vào Đảng*": "30/02/2020"})])
    response = client.post(
        reverse("imports:index"), {"organisation": tree.a.pk, "file": SimpleUploadedFile("d.xlsx", data)}
    )
    assert response.status_code == 302
    drain()
    page = client.get(response["Location"]).content.decode()
    assert "30/02/2020" in page and "Không có ngày này: tháng 2/2020 chỉ có 29 ngày." in page
