"""The party organisations' grades (Mẫu 01) in the classification report (DOCX) and the results (XLSX),
opened back and read cell by cell: per predecessor across a merger and combined, the parts adding up; the
report of a term; the organisations' sheet limited to the user's scope (issue 11 items 5 and 7)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.reviews import orgreviews, services
from dangvu.reviews.models import Grade, Period

pytestmark = pytest.mark.django_db
D = dt.date
PLAN = services.Timetable(D(2025, 12, 10), D(2025, 12, 20), D(2025, 12, 31))
SCORES = {"leadership": "30", "building": "20", "inspection": "10", "unity": "10"}  # 70 points: good at most
HEAD = [
    "STT",
    "Tổ chức đảng",
    "Số tổ chức đảng trực thuộc được đánh giá",
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
    "Chưa quyết định",
]


def grade_orgs(campaign, office, grades: dict) -> None:
    for review in campaign.org_reviews.filter(organisation__in=list(grades)):
        orgreviews.save_assessment(review, orgreviews.OrgAssessment(SCORES), office, submit=True)
        orgreviews.decide(review, grades[review.organisation], "40-QĐ/TU", D(2025, 12, 28), office)


@pytest.fixture
def city_review(tree, cast, people):
    """The city's 2025 review: A1, C1, A2 (under A) and B1 (under B) decided, C2 and C3 not."""
    campaign = services.open_campaign(tree.city, 2025, D(2025, 12, 1), PLAN, cast.admin)
    grades = {tree.a_base: Grade.GOOD, tree.c1: Grade.COMPLETED, tree.a_cell_base: Grade.GOOD}
    grade_orgs(campaign, cast.admin, grades | {tree.b_base: Grade.NOT_COMPLETED})
    return campaign


@pytest.fixture
def merged(tree, cast, city_review):
    """A and B merged into AB (2026) after the city's 2025 review."""
    return org_services.merge(
        [tree.a, tree.b],
        D(2026, 1, 15),
        org_services.Document("3-QĐ/TU", D(2026, 1, 10)),
        None,
        new=org_services.OrgSpec("AB", "Đảng bộ Khối AB", OrgKind.DIRECT),
        parent=tree.city,
    ).created[0]


def org_table(document) -> list[list[str]]:
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == HEAD[2:3])
    return [[c.text for c in row.cells] for row in table.rows]


def test_report_counts_the_organisations_per_predecessor_and_combined(client, tree, cast, merged):
    client.force_login(cast.admin)
    r = client.get(reverse("reviews:report", args=[merged.pk, 2025]))
    assert r.status_code == 200
    document = docx.Document(io.BytesIO(r.content))
    cells = org_table(document)
    assert cells[0] == HEAD
    assert cells[1:] == [
        ["1", tree.a.name, "4", "0", "2", "1", "0", "1"],  # A1, A2 good; C1 completed; C2 pending
        ["2", tree.b.name, "2", "0", "0", "0", "1", "1"],  # B1 not completed; C3 pending
        ["", "Cộng", "6", "0", "2", "1", "1", "2"],
    ]
    for col in range(2, 8):  # the parts add up to the total
        assert int(cells[1][col]) + int(cells[2][col]) == int(cells[3][col])
    text = [p.text for p in document.paragraphs]
    assert "II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI TỔ CHỨC ĐẢNG TRỰC THUỘC" in text
    assert any(
        t.startswith("Tổng số tổ chức đảng trực thuộc được đánh giá: 6; đã có quyết định xếp loại: 4") for t in text
    )


def test_results_xlsx_lists_the_organisations_and_their_distribution(client, tree, cast, city_review):
    campaign = city_review
    client.force_login(cast.admin)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reviews:export", args=[campaign.pk])).content))
    rows = list(book["To chuc dang"].iter_rows(values_only=True))
    assert rows[0][:7] == ("STT", "Tổ chức đảng", "Điểm", "Tự xếp loại", "Xếp loại", "Quyết định", "Ngày quyết định")
    listed = {row[1]: row for row in rows[1:9]}
    assert len(listed) == 8  # A, A1, C1, C2, A2, B, B1, C3 under the city
    assert listed[tree.c1.name][2:6] == (70.0, "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "40-QĐ/TU")
    assert listed[tree.c2.name][4] is None or listed[tree.c2.name][4] == ""
    start = rows.index(tuple(HEAD))
    assert rows[start + 1 :] == [
        (1, tree.city.name, 8, 0, 2, 1, 1, 4),  # the campaign's own organisation: all those under it
        (None, "Cộng", 8, 0, 2, 1, 1, 4),
    ]


def test_xlsx_organisations_limited_to_the_users_scope(client, tree, cast, city_review):
    campaign = city_review
    client.force_login(cast.secretary)  # C1 only: its own review, no distribution of the city
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reviews:export", args=[campaign.pk])).content))
    rows = list(book["To chuc dang"].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [tree.c1.name]


def test_report_of_a_term(client, tree, cast, people):
    term = services.open_campaign(
        tree.a_base, 2025, D(2025, 12, 1), PLAN, cast.office, period=Period.TERM, first_year=2021
    )
    grade_orgs(term, cast.office, {tree.c1: Grade.GOOD})
    client.force_login(cast.office)
    r = client.get(reverse("reviews:report", args=[tree.a_base.pk, 2025]) + "?period=term")
    document = docx.Document(io.BytesIO(r.content))
    assert any("xếp loại đảng viên nhiệm kỳ 2021–2025" in p.text for p in document.paragraphs)
    assert org_table(document)[-1] == ["", "Cộng", "2", "0", "1", "0", "0", "1"]
    yearly = docx.Document(io.BytesIO(client.get(reverse("reviews:report", args=[tree.a_base.pk, 2025])).content))
    assert org_table(yearly)[-1] == ["", "Cộng", "0", "0", "0", "0", "0", "0"]  # the term is not the year's
    page = client.get(f"/orgs/{tree.a_base.pk}/").content.decode()
    assert 'data-report="2021–2025"' in page and "?period=term" in page
    assert 'data-year="2021–2025"' in page  # the term's distributions on the organisation page
