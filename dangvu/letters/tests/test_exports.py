"""The letters statistics as XLSX (issue 12 item 6), opened back and checked cell by cell: across a merger per
predecessor and combined, adding up, with the term's first and last days; allowed and denied; linked from the
statistics page with the same query. Counts only: the sender never appears (also walked by
test_secrecy_walk)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from dangvu.accounts.models import Role
from dangvu.letters import services
from dangvu.letters.exports import SHEET
from dangvu.letters.models import Kind, Signed
from dangvu.letters.tests.conftest import NAME, SECRETS, receive
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind, Term
from dangvu.testing import user

pytestmark = pytest.mark.django_db
MERGED = dt.date(2025, 10, 1)


def _handle(letter, day, handlers, actor):
    services.screen(letter, screened_on=day, actor=actor)
    return services.route(letter, route="handle", routed_on=day, handlers=handlers, actor=actor)


@pytest.fixture
def merged(tree, people, cast, inspectors):
    """Term 2025–2030 (01/07/2025–30/06/2030). Before the merger: committee A receives one letter the day
    before the term (not counted), an anonymous one on its first day (not handled) and one handled and
    concluded on time; B1 (under B) a complaint transferred. A and B merge into S on 01/10/2025; S receives a
    feedback letter forwarded to A1 and a denunciation still being handled."""
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 7, 1), end=dt.date(2030, 6, 30))
    insp, insp_b = cast.inspector, inspectors["inspector_other"]
    receive(tree.a, insp, about=people["duc"], number="1/ĐT", day=dt.date(2025, 6, 30), signed=Signed.ANONYMOUS)
    first = receive(tree.a, insp, about=people["duc"], number="2/ĐT", day=dt.date(2025, 7, 1), signed=Signed.ANONYMOUS)
    services.screen(first, screened_on=dt.date(2025, 7, 2), actor=insp)
    lessons = _handle(
        receive(tree.a, insp, about=people["duc"], number="3/ĐT", day=dt.date(2025, 8, 4)),
        dt.date(2025, 8, 4),
        [people["binh"]],
        insp,
    )
    services.conclude(
        lessons, outcome="lessons", concluded_on=dt.date(2025, 9, 1), conclusion="Rút kinh nghiệm", actor=insp
    )
    complaint = receive(tree.b_base, insp_b, number="4/ĐT", day=dt.date(2025, 9, 15), kind=Kind.COMPLAINT)
    services.screen(complaint, screened_on=dt.date(2025, 9, 15), actor=insp_b)
    services.route(
        complaint, route="transfer", routed_on=dt.date(2025, 9, 16), transferred_to="Thanh tra tỉnh", actor=insp_b
    )
    effects = org_services.merge(
        [tree.a, tree.b],
        MERGED,
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    )
    s = effects.created[0]
    insp_s = user("insp_s", Role.INSPECTION, s)
    feedback = receive(s, insp_s, number="5/ĐT", day=dt.date(2026, 3, 2), kind=Kind.FEEDBACK)
    services.screen(feedback, screened_on=dt.date(2026, 3, 2), actor=insp_s)
    tree.a_base.refresh_from_db()
    services.route(feedback, route="forward", routed_on=dt.date(2026, 3, 3), forwarded_to=tree.a_base, actor=insp_s)
    _handle(
        receive(s, insp_s, about=people["em"], number="6/ĐT", day=dt.date(2026, 4, 1)),
        dt.date(2026, 4, 1),
        [people["an"]],
        insp_s,
    )
    return s, term, user("leader_s", Role.LEADER, s)


def _rows(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [SHEET]
    return [list(r) for r in book[SHEET].iter_rows(values_only=True)]


def test_across_a_merger_cell_by_cell(client, tree, merged):
    s, term, leader = merged
    client.force_login(leader)
    query = f"?organisation={s.pk}&term={term.pk}"
    response = client.get(reverse("letters:stats_xlsx") + query)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    assert response["Cache-Control"] == "private, no-store"
    rows = _rows(response)
    assert rows[0] == [f"Thống kê đơn thư tố cáo, khiếu nại, phản ánh — {s.name}", None, None, None, None]
    assert rows[1][0] == "Từ ngày 01/07/2025 đến ngày 30/06/2030"
    assert rows[2] == ["Chỉ tiêu", "Đảng bộ Hợp nhất", "Đảng bộ các cơ quan A", "Đảng bộ khối B", "Cộng"]
    assert rows[3:] == [
        ["Đơn thư tiếp nhận", 2, 2, 1, 5],
        ["Tố cáo", 1, 2, 0, 3],
        ["Khiếu nại", 0, 0, 1, 1],
        ["Phản ánh, kiến nghị", 1, 0, 0, 1],
        ["Không xem xét, giải quyết", 0, 1, 0, 1],
        ["Xem xét, giải quyết", 1, 1, 0, 2],
        ["Chuyển cấp ủy cấp dưới", 1, 0, 0, 1],
        ["Chuyển cơ quan có thẩm quyền", 0, 0, 1, 1],
        ["Lưu đơn", 0, 0, 0, 0],
        ["Chờ phân loại, xử lý", 0, 0, 0, 0],
        ["Đã xem xét kỷ luật", 0, 0, 0, 0],
        ["Kiểm điểm rút kinh nghiệm", 0, 1, 0, 1],
        ["Không có cơ sở", 0, 0, 0, 0],
        ["Giải quyết đúng hạn", 0, 1, 0, 1],
        ["Giải quyết quá hạn", 0, 0, 0, 0],
    ]
    text = str(rows)
    assert not any(secret in text for secret in SECRETS)
    # A year: 2025 holds the letter of 30/06 as well (A: 3), 2026 only S's two.
    rows_2025 = _rows(client.get(reverse("letters:stats_xlsx") + f"?organisation={s.pk}&year=2025"))
    assert rows_2025[3] == ["Đơn thư tiếp nhận", 0, 3, 1, 4]
    rows_2026 = _rows(client.get(reverse("letters:stats_xlsx") + f"?organisation={s.pk}&year=2026"))
    assert rows_2026[3] == ["Đơn thư tiếp nhận", 2, 0, 0, 2]
    # The page links to it with the same query.
    page = client.get(reverse("letters:stats") + query).content.decode()
    assert f'href="{reverse("letters:stats_xlsx")}?organisation={s.pk}&amp;term={term.pk}"' in page


def test_one_organisation_without_predecessors(client, tree, people, cast):
    receive(tree.a, cast.inspector, about=people["duc"], number="1/ĐT", day=dt.date(2026, 3, 2))
    client.force_login(cast.inspector)
    rows = _rows(client.get(reverse("letters:stats_xlsx") + f"?organisation={tree.a.pk}&year=2026"))
    assert rows[2] == ["Chỉ tiêu", tree.a.name]  # one part: no combined column
    assert rows[3] == ["Đơn thư tiếp nhận", 1] and rows[-6] == ["Chờ phân loại, xử lý", 1]


def test_access(client, tree, people, cast, inspectors):
    receive(tree.a, cast.inspector, about=people["duc"], number="1/ĐT", day=dt.date(2026, 3, 2))
    url = reverse("letters:stats_xlsx") + f"?organisation={tree.a.pk}&year=2026"
    for name in ("office", "secretary", "member", "outsider", "nobody"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 403, name
    for name in ("leader", "admin"):
        client.force_login(getattr(cast, name))
        response = client.get(url)
        assert response.status_code == 200 and _rows(response)[3] == ["Đơn thư tiếp nhận", 1], name
        assert NAME not in str(_rows(response))
    client.force_login(inspectors["inspector_other"])  # A is not in B's scope: B's own figures instead
    rows = _rows(client.get(url))
    assert tree.b.name in rows[0][0] and rows[3] == ["Đơn thư tiếp nhận", 0]
