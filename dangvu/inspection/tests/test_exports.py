"""The inspection statistics as XLSX (issue 12 item 6), opened back and checked cell by cell: the coverage and
remediation rows of the statistics page across a merger (the fixtures of test_stats and
test_remediation_stats), per predecessor and combined, for two years and a term; linked from the page with
the same query; denied without `inspection.view`, and limited to the scope like the page."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from dangvu.accounts.models import Role
from dangvu.inspection import services
from dangvu.inspection.exports import SHEET
from dangvu.inspection.models import Kind, Mode, Organ
from dangvu.inspection.tests.conftest import inspect
from dangvu.inspection.tests.test_remediation_stats import _item
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind, Term
from dangvu.testing import user

pytestmark = pytest.mark.django_db
LABELS = [
    "Tổ chức cơ sở đảng",
    "Đã kiểm tra hoặc giám sát",
    "Tỷ lệ được kiểm tra, giám sát (%)",
    "Nội dung khắc phục đến hạn",
    "Khắc phục đúng hạn",
    "Khắc phục quá hạn",
    "Chưa khắc phục, đã quá hạn",
    "Tỷ lệ khắc phục đúng hạn (%)",
]


@pytest.fixture
def merged(tree, cast):
    """A inspects A1 on 01/03/2024 (one remediation item due 30/06/2025, closed on 01/06/2025: on time); B
    supervises B1 on 01/04/2025 (one item due 31/08/2025, closed on 01/11/2025: late). A and B merge into S on
    01/10/2025; S inspects A1 on 01/02/2026 (items due 31/05/2026 closed on 02/05/2026, and due 30/06/2026
    still open: overdue) and A2 on 01/03/2026."""
    a = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.admin)
    _item(a, dt.date(2025, 6, 30), cast.admin, dt.date(2025, 6, 1))
    programme = services.create_programme(
        organisation=tree.b,
        organ=Organ.COMMITTEE,
        year=2025,
        title="Chương trình giám sát 2025",
        approved_on=dt.date(2025, 1, 5),
        actor=cast.admin,
    )
    b = inspect(
        tree.b,
        [tree.b_base],
        dt.date(2025, 4, 1),
        cast.admin,
        kind=Kind.SUPERVISION,
        mode=Mode.THEMATIC,
        organ=Organ.COMMITTEE,
        programme=programme,
    )
    _item(b, dt.date(2025, 8, 31), cast.admin, dt.date(2025, 11, 1))
    effects = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    )
    s = effects.created[0]
    later = inspect(s, [tree.a_base], dt.date(2026, 2, 1), cast.admin)
    _item(later, dt.date(2026, 5, 31), cast.admin, dt.date(2026, 5, 2))
    _item(later, dt.date(2026, 6, 30), cast.admin)
    inspect(s, [tree.a_cell_base], dt.date(2026, 3, 1), cast.admin)
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 7, 1), end=dt.date(2030, 6, 30))
    return s, term, user("leader_s", Role.LEADER, s)


def _rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"') and response["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [SHEET]
    return [list(r) for r in book[SHEET].iter_rows(values_only=True)]


def _body(rows):
    assert [r[0] for r in rows[3:]] == LABELS
    return [r[1:] for r in rows[3:]]


def test_across_a_merger_cell_by_cell(client, tree, merged):
    s, term, leader = merged
    client.force_login(leader)
    url = reverse("inspection:coverage_xlsx")

    rows = _rows(client.get(url + f"?organisation={s.pk}&year=2025"))
    assert rows[0] == [f"Thống kê kiểm tra, giám sát — {s.name}", None, None, None, None]
    assert rows[1][0] == "Từ ngày 01/01/2025 đến ngày 31/12/2025"
    assert rows[2] == ["Chỉ tiêu", "Đảng bộ Hợp nhất", "Đảng bộ các cơ quan A", "Đảng bộ khối B", "Cộng"]
    # 2025: A1 and A2 counted under A (their first day in the year), neither inspected in 2025; B1 under B,
    # supervised. Remediation: A's item on time, B's late.
    assert _body(rows) == [
        [0, 2, 1, 3],
        [0, 0, 1, 1],
        [None, 0.0, 100.0, 33.3],
        [0, 1, 1, 2],
        [0, 1, 0, 1],
        [0, 0, 1, 1],
        [0, 0, 0, 0],
        [None, 100.0, 0.0, 50.0],
    ]
    # 2026: everything under S, A1 and A2 inspected; S's two items, one on time and one overdue.
    assert _body(_rows(client.get(url + f"?organisation={s.pk}&year=2026"))) == [
        [3, 0, 0, 3],
        [2, 0, 0, 2],
        [66.7, None, None, 66.7],
        [2, 0, 0, 2],
        [1, 0, 0, 1],
        [0, 0, 0, 0],
        [1, 0, 0, 1],
        [50.0, None, None, 50.0],
    ]
    # The term from 01/07/2025: A1 and A2 first covered by S (credited to S); B1 under B on the term's first
    # day, its supervision before the term. B's item (due 31/08/2025) late, A's (due 30/06/2025) outside.
    query = f"?organisation={s.pk}&term={term.pk}"
    rows = _rows(client.get(url + query))
    assert rows[1][0] == "Từ ngày 01/07/2025 đến ngày 30/06/2030"
    assert _body(rows) == [
        [2, 0, 1, 3],
        [2, 0, 0, 2],
        [100.0, None, 0.0, 66.7],
        [2, 0, 1, 3],
        [1, 0, 0, 1],
        [0, 0, 1, 1],
        [1, 0, 0, 1],
        [50.0, None, 0.0, 33.3],
    ]
    # The page shows the same combined figures and links to the file with the same query.
    page = client.get(reverse("inspection:coverage") + query).content.decode()
    assert "<td>3</td><td>2</td><td>66,7 %</td>" in page[page.index('id="coverage-combined"') :][:400]
    assert f'href="{url}?organisation={s.pk}&amp;term={term.pk}"' in page


def test_one_organisation_has_no_combined_column(client, tree, cast):
    inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector)
    client.force_login(cast.inspector)
    rows = _rows(client.get(reverse("inspection:coverage_xlsx") + f"?organisation={tree.a.pk}&year=2024"))
    assert rows[2] == ["Chỉ tiêu", tree.a.name]
    assert _body(rows)[:3] == [[2], [1], [50.0]]  # A1 of A1 and A2


def test_denied_and_limited_to_the_scope(client, tree, cast):
    inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector)
    url = reverse("inspection:coverage_xlsx") + f"?organisation={tree.a.pk}&year=2024"
    for name in ("member", "secretary", "nobody"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 403, name
    client.logout()
    assert client.get(url).status_code == 302
    for name in ("leader", "office", "admin"):
        client.force_login(getattr(cast, name))
        assert _body(_rows(client.get(url)))[:2] == [[2], [1]], name
    client.force_login(cast.outsider)  # A is not theirs: their own committee's figures instead
    rows = _rows(client.get(url))
    assert tree.b.name in rows[0][0] and tree.a.name not in str(rows)
    assert _body(rows)[:3] == [[1], [0], [0.0]]  # B1, not inspected
