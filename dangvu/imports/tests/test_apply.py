"""The import service: parsing, validation, all-or-nothing apply, audit, query budget."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.utils import translation

from dangvu.imports import services
from dangvu.imports.readers import read_upload
from dangvu.imports.services import ImportRefused, apply_rows, process
from dangvu.imports.tests import factories as f
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind, Member, MemberEvent, MemberPeriod, Status
from dangvu.members.paths import drift

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Assert on the English msgids; test_report_is_translated checks the Vietnamese catalogue is used."""
    with translation.override("en"):
        yield


def counts() -> tuple[int, int, int, int, int]:
    return (
        Member.objects.count(),
        MemberEvent.objects.count(),
        MemberPeriod.objects.count(),
        Member.history.count(),
        MemberEvent.history.count(),
    )


def test_good_xlsx_creates_members_events_periods_and_history(tree, cast):
    records = f.rows(3)
    records[1]["Ngày chính thức"] = ""  # still probationary
    records[2].update({"Nơi kết nạp": "Đảng bộ tỉnh Khác", "Ngày chuyển đến": "10/10/2022"})
    before = counts()
    created = apply_rows(read_upload(f.xlsx(records, real_dates=True), "a.xlsx"), cast.office)
    assert created == 3
    after = counts()
    assert after[0] - before[0] == 3
    assert after[1] - before[1] == 2 + 1 + 3  # admission+official, admission, admission+official+transfer in
    assert after[3] - before[3] == 3 and after[4] - before[4] == 6

    official = Member.objects.get(citizen_id="092190000001")
    assert official.full_name == "Nguyễn Thị Nhập 1"
    assert official.status == Status.OFFICIAL
    assert official.organisation == tree.c1
    assert official.admission_date == dt.date(2020, 2, 3)
    assert official.official_date == dt.date(2021, 2, 3)  # end of probation, not the decision date
    assert official.political_theory == "intermediate" and official.sex == "F"
    assert official.name_search == "nguyen thi nhap 1" and official.name_sort
    assert official.org_path == tree.c1.path and not drift().exists()  # the cell's path on the member row
    assert list(official.periods.values_list("status", flat=True)) == [Status.PROBATIONARY, Status.OFFICIAL]
    events = list(official.events.all())
    assert [e.kind for e in events] == [EventKind.ADMISSION, EventKind.OFFICIAL]
    assert all(e.source == "import" and e.recorded_by == cast.office for e in events)
    assert {h.history_user for h in official.history.all()} == {cast.office}
    assert {h.history_type for h in official.history.all()} == {"+"}
    assert all(h.history_user == cast.office for h in MemberEvent.history.filter(member_id=official.pk))

    probationary = Member.objects.get(citizen_id="092190000002")
    assert probationary.status == Status.PROBATIONARY and probationary.official_date is None

    moved = Member.objects.get(citizen_id="092190000003")
    assert [e.kind for e in moved.events.all()] == [EventKind.ADMISSION, EventKind.OFFICIAL, EventKind.TRANSFER_IN]
    assert moved.events.first().external_organisation == "Đảng bộ tỉnh Khác"
    assert moved.admission_date == dt.date(2020, 2, 3)
    assert list(moved.periods.values_list("valid_from", flat=True)) == [dt.date(2022, 10, 10)]


def test_excel_serial_day_numbers_are_dates(tree, cast):
    record = f.row(1, **{"Ngày sinh*": 32978})  # 15/04/1990 in a cell that lost its date format
    assert apply_rows(read_upload(f.xlsx([record]), "s.xlsx"), cast.office) == 1
    assert Member.objects.get(citizen_id="092190000001").birth_date == dt.date(1990, 4, 15)


def test_good_csv_with_nfd_semicolon_bom_creates_members(tree, cast):
    data = f.csv_bytes(f.rows(2), delimiter=";", bom=True, nfd=True)
    assert unicodedata.normalize("NFD", "Nguyễn").encode() in data  # really decomposed input
    created = apply_rows(read_upload(data, "x.csv"), cast.office)
    assert created == 2
    m = Member.objects.get(citizen_id="092190000002")
    assert m.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Nhập 2")
    assert m.birth_place == "Cần Thơ" and unicodedata.is_normalized("NFC", m.birth_place)
    assert m.birth_date == dt.date(1990, 4, 15)


def test_csv_with_comma_and_no_bom_and_headers_without_accents(tree, cast):
    plain = ["ho va ten", "GIOI TINH", "ngay sinh", "ma chi bo", "ngay vao dang"]
    records = [
        {
            "ho va ten": "Lê Văn Phẳng",
            "GIOI TINH": "nam",
            "ngay sinh": "1/2/1985",
            "ma chi bo": "A1-C2",
            "ngay vao dang": "01-03-2010",
        }
    ]
    assert apply_rows(read_upload(f.csv_bytes(records, plain, ",", bom=False, nfd=False)), cast.office) == 1
    assert Member.objects.get(full_name="Lê Văn Phẳng").organisation == tree.c2


def test_one_bad_row_changes_nothing_and_is_reported(tree, cast):
    records = f.rows(5)
    records[3]["Ngày sinh*"] = "31/02/1990"
    before = counts()
    with pytest.raises(ImportRefused) as info:
        apply_rows(read_upload(f.xlsx(records), "b.xlsx"), cast.office)
    assert counts() == before
    [error] = info.value.row_errors
    assert (error.row, error.column, error.value) == (5, "Ngày sinh*", "31/02/1990")  # header is row 1
    assert error.message.startswith("There is no such date") and "dd/mm/yyyy" not in error.message


def test_bad_row_after_the_first_chunk_rolls_back_earlier_chunks(tree, cast, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 3)
    records = f.rows(8)
    records[7]["Giới tính*"] = "X"
    before = counts()
    with pytest.raises(ImportRefused) as info:
        apply_rows(read_upload(f.csv_bytes(records), "c.csv"), cast.office)
    assert counts() == before
    assert [(e.row, e.column, e.value) for e in info.value.row_errors] == [(9, "Giới tính*", "X")]


def test_duplicates_within_the_file_and_against_the_database(tree, cast, people):
    existing = people["an"]
    existing.card_number = "5555555555"
    existing.save()
    records = f.rows(4)
    records[1]["Số CCCD"] = records[0]["Số CCCD"]  # row 3 repeats row 2
    records[2].update({"Số CCCD": existing.citizen_id, "Giới tính*": "Nam", "Ngày sinh*": "05/05/1985"})  # An's
    records[3]["Số thẻ đảng viên"] = "5555555555"
    result = process(read_upload(f.xlsx(records), "d.xlsx"), cast.office)
    found = {(e.row, e.column, e.value): e.message for e in result.errors}
    assert set(found) == {
        (3, "Số CCCD", "092190000001"),
        (4, "Số CCCD", existing.citizen_id),
        (5, "Số thẻ đảng viên", "5555555555"),
    }
    assert "row 2" in found[(3, "Số CCCD", "092190000001")]
    assert "already used" in found[(4, "Số CCCD", existing.citizen_id)]


def test_out_of_scope_cell_is_refused_like_an_unknown_one(tree, cast):
    records = [f.row(1, cell="A1-C1"), f.row(2, cell="NOPE")]
    result = process(read_upload(f.csv_bytes(records), "e.csv"), cast.outsider)  # office of B
    messages = {(e.row, e.value): e.message for e in result.errors}
    assert set(messages) == {(2, "A1-C1"), (3, "NOPE")}
    assert messages[(2, "A1-C1")] == messages[(3, "NOPE")]  # does not reveal that A1-C1 exists
    with pytest.raises(ImportRefused):
        apply_rows(read_upload(f.csv_bytes(records[:1]), "e.csv"), cast.outsider)
    assert not Member.objects.filter(citizen_id="092190000001").exists()
    # The office of A imports the same row.
    assert apply_rows(read_upload(f.csv_bytes(records[:1]), "e.csv"), cast.office) == 1


def test_non_cell_and_organisation_restriction(tree, cast):
    result = process(read_upload(f.csv_bytes([f.row(1, cell="A1")]), "f.csv"), cast.office)
    [error] = result.errors
    assert error.column == "Mã chi bộ*" and "not a party cell" in error.message
    # Importing "into" C2 only: C1 is outside.
    result = process(read_upload(f.csv_bytes([f.row(1)]), "f.csv"), cast.office, organisation=tree.c2)
    assert [e.value for e in result.errors] == ["A1-C1"]


def test_under_age_admission_is_refused_with_the_rule(tree, cast):
    records = [f.row(1, **{"Ngày sinh*": "01/06/2005", "Ngày vào Đảng*": "01/05/2021", "Ngày chính thức": ""})]
    with pytest.raises(ImportRefused) as info:
        apply_rows(read_upload(f.csv_bytes(records), "g.csv"), cast.office)
    [error] = info.value.row_errors
    assert error.column == "Ngày vào Đảng*" and error.value == "01/05/2021"
    assert "aged 15 years 11 months: under the minimum age of 18 years, counted in months" in error.message
    assert not Member.objects.filter(citizen_id="092190000001").exists()


def test_official_before_end_of_probation_and_other_row_rules(tree, cast):
    records = [
        f.row(1, **{"Ngày chính thức": "01/01/2020"}),
        f.row(2, **{"Ngày chuyển đến": "01/01/2022"}),  # transfer date without place of admission
        f.row(3, **{"Nơi kết nạp": "Tỉnh khác"}),  # place without transfer date
        f.row(4, **{"Số CCCD": "12345", "Họ và tên*": "Mononym"}),
        f.row(5, **{"Lý luận chính trị": "Tiến sĩ", "Mã chi bộ*": ""}),
    ]
    result = process(read_upload(f.csv_bytes(records), "h.csv"), cast.office)
    got = {(e.row, e.column) for e in result.errors}
    assert got == {
        (2, "Ngày chính thức"),
        (3, "Ngày chuyển đến"),
        (4, "Ngày chuyển đến"),
        (5, "Số CCCD"),
        (5, "Họ và tên*"),
        (6, "Lý luận chính trị"),
        (6, "Mã chi bộ*"),
    }


def test_citizen_id_given_as_number_loses_leading_zero_and_says_so(tree, cast):
    record = f.row(1)
    record["Số CCCD"] = 92190000001  # Excel turned 092190000001 into a number
    result = process(read_upload(f.xlsx([record]), "i.xlsx"), cast.office)
    [error] = result.errors
    assert error.column == "Số CCCD" and error.value == "92190000001"
    assert "12 digits" in error.message and "format the column as text" in error.message
    record["Số CCCD"] = "092190000001"  # written as text, the same ID is fine
    assert not process(read_upload(f.xlsx([record]), "i.xlsx"), cast.office).errors


def test_unreadable_files_give_a_clear_message(tree, cast):
    with pytest.raises(DomainError, match="UTF-8"):
        windows_1258 = b"H\xf2o v\xe0 t\xean;Gi\xf4\xec\xf9i t\xednh\r\n"
        process(read_upload(windows_1258, "x.csv"), cast.office)
    with pytest.raises(DomainError, match="Required column"):
        process(read_upload(f.csv_bytes([{}], ["Họ và tên*", "Giới tính*", "Ngày sinh*"]), "x.csv"), cast.office)
    with pytest.raises(DomainError, match="xlsx"):
        read_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old.xls")
    with pytest.raises(DomainError, match="no data rows"):
        process(read_upload(f.csv_bytes([]), "x.csv"), cast.office)
    with pytest.raises(DomainError, match="damaged"):
        list(read_upload(b"PK\x03\x04garbage", "x.xlsx"))


def test_importer_needs_the_capability(tree, cast):
    for user in (cast.secretary, cast.member, cast.nobody, cast.inspector):
        with pytest.raises(DomainError):
            apply_rows([f.row(1)], user)
    assert not Member.objects.filter(citizen_id="092190000001").exists()


def test_apply_rows_accepts_plain_dicts_and_reports_progress(tree, cast, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 4)
    seen: list[int] = []
    records = [
        {
            "full_name": f"Trần Văn Tiến {i}",
            "sex": "Nam",
            "birth_date": dt.date(1980, 1, 1),
            "cell_code": "A2",
            "admission_date": "01/01/2005",
            "official_date": dt.date(2006, 1, 1),
            "citizen_id": f"092080{i:06d}",  # a man born in 1980
        }
        for i in range(10)
    ]
    assert apply_rows(records, cast.admin, progress=seen.append) == 10
    assert seen == [4, 8, 10]
    assert Member.objects.filter(organisation=tree.a_cell_base, status=Status.OFFICIAL).count() == 10


def test_example_row_of_the_template_is_refused(tree, cast):
    from dangvu.imports.sample import csv_template

    result = process(read_upload(csv_template("A1-C1")), cast.office)
    assert [e.column for e in result.errors] == ["Họ và tên*"]


@pytest.mark.parametrize("n", [50, 500])
def test_validation_queries_do_not_grow_with_rows(tree, cast, django_assert_max_num_queries, n):
    data = f.xlsx(f.rows(n))
    cast.office.__dict__.pop("_scope_cache", None)
    with django_assert_max_num_queries(8):  # scope, rule sets, limits (3), cells, citizen IDs, card numbers
        result = process(read_upload(data, "q.xlsx"), cast.office)
    assert result.rows == n and not result.errors and len(result.preview) == services.PREVIEW_ROWS


def test_report_is_translated(tree, cast, people):
    """The report is built with gettext, so it comes out in the user's language (Vietnamese by default)."""
    records = [
        f.row(1, **{"Ngày sinh*": "01/06/2005", "Ngày vào Đảng*": "01/05/2021", "Ngày chính thức": ""}),
        f.row(2, **{"Số CCCD": people["an"].citizen_id, "Giới tính*": "Nam", "Ngày sinh*": "05/05/1985"}),
    ]
    data = f.csv_bytes(records)
    english = [e.message for e in process(read_upload(data), cast.office).errors]
    with translation.override("vi"):
        vietnamese = [e.message for e in process(read_upload(data), cast.office).errors]
    assert len(english) == len(vietnamese) == 2
    assert all(v != e for v, e in zip(vietnamese, english, strict=True))


def test_import_adds_to_the_maintained_counts(tree, cast):
    from dangvu.members import counts
    from dangvu.members.models import CellCount

    assert apply_rows(read_upload(f.xlsx(f.rows(3), real_dates=True), "a.xlsx"), cast.office) == 3
    assert CellCount.objects.get(organisation=tree.c1).in_party == 2 + 3  # the cast's two, then three imported
    assert counts.drift() == {}
