"""The minutes of the count and the announcement of the result as DOCX (issue 15 item 3), opened back: the
Party layout's header with the congress's numbers, the base with who is excluded and why, the ballots with the
invalid ones by reason, the votes and the elected; an addendum recorded after the announcement follows."""

from __future__ import annotations

import io

import pytest
from docx import Document

from dangvu.congress import rules, services, tallies
from dangvu.congress.models import ElectionKind, Invalid
from dangvu.documents import congress as congress_docs

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture
def announced(congress, voters, team, cast):
    services.record_excused(congress.delegates.get(member=voters[19]), rules.PROSECUTED, cast.office)
    election = services.create_election(congress, ElectionKind.COMMITTEE, 3, cast.office)
    c = [services.propose(election, m, cast.office) for m in voters[:3]]
    round_ = services.open_first_round(election, cast.office)
    tallies.enter_tally(
        round_,
        team,
        cast.office,
        issued=19,
        valid=17,
        invalid={Invalid.MARKED: 1, Invalid.TOO_MANY: 1},
        votes={c[0].pk: 16, c[1].pk: 12, c[2].pk: 5},
    )
    return tallies.announce(round_, cast.office), c


def test_count_minutes_docx(announced, voters, team):
    round_, c = announced
    text = text_of(congress_docs.count_minutes(round_))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BIÊN BẢN" in text and "Số 01-BB/ĐH" in text
    assert "ĐẠI HỘI ĐẢNG BỘ SỞ MỘT NHIỆM KỲ 2025-2030" in text
    assert "Tổng số đảng viên chính thức được triệu tập: 20." in text
    assert f"Đồng chí {voters[19].full_name}: bị khởi tố, truy tố hoặc tạm giam." in text
    assert "Cơ sở tính kết quả bầu cử: 19." in text and "ít nhất 10 phiếu" in text
    assert "Số phiếu phát ra: 19. Số phiếu thu vào: 19." in text
    assert "Số phiếu hợp lệ: 17. Số phiếu không hợp lệ: 2." in text
    assert "Phiếu có đánh dấu hoặc ký tên: 1." in text and "Phiếu để lại nhiều tên hơn số lượng cần bầu: 1." in text
    assert f"1 | {c[0].member.full_name} | 16 | 84,21% | Trúng cử" in text
    assert f"3 | {c[2].member.full_name} | 5 | 26,32% | " in text
    head = team.members.order_by("name_sort", "pk").first()
    assert "T/M BAN KIỂM PHIẾU" in text and head.full_name in text.split("TRƯỞNG BAN")[-1]


def test_announcement_docx_and_addendum(announced, cast):
    round_, c = announced
    text = text_of(congress_docs.announcement(round_))
    assert "THÔNG BÁO" in text and "Số 02-TB/ĐH" in text and "biên bản kiểm phiếu số 01-BB/ĐH" in text
    assert f"{c[0].member.full_name} (16 phiếu), {c[1].member.full_name} (12 phiếu)" in text
    tallies.add_addendum(round_, "Sửa tên đồng chí thứ ba cho đúng hồ sơ.", cast.office)
    assert "Đính chính" in text_of(congress_docs.count_minutes(round_))
    assert "Sửa tên đồng chí thứ ba cho đúng hồ sơ." in text_of(congress_docs.announcement(round_))
