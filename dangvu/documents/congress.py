"""The minutes of the count (biên bản kiểm phiếu) and the announcement of the result (thông báo kết quả bầu cử)
of an announced round of a congress election (issue 15 item 3), in the layout of Hướng dẫn 36-HD/VPTW
(dangvu.documents.partydoc), with the numbers the round received in the congress's series of the register.

Both are built from what the round stored at its announcement (the base with who is excluded and why, the
count, the outcome), so the file is the same whenever it is downloaded; corrections recorded after the
announcement (addenda) follow the body under "Đính chính", with their dates. Written in Vietnamese whatever
the reader's language.
"""

from __future__ import annotations

from django.utils import translation

from dangvu.congress.models import Candidate, CongressKind, CountingTeam, Invalid, Round, RoundState
from dangvu.congress.rules import EXCUSED, TIE_RULES
from dangvu.documents.admission import document_place
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, Table, percent, vn_date
from dangvu.lib.dates import fmt
from dangvu.orgs.queries import parent_on
from dangvu.rules import presentation


def _header(round_: Round, document) -> Header:
    congress = round_.election.congress
    parent = parent_on(congress.organisation, congress.starts_on)
    return Header(
        issuer=f"Đại hội {congress.organisation.name} nhiệm kỳ {congress.term.code}",
        higher=parent.name if parent else "",
        number=document.number if document else "",
        place=document_place(),
        date=document.date if document else congress.ends_on,
    )


def _names(round_: Round) -> dict[int, Candidate]:
    return {c.pk: c for c in round_.candidates.select_related("member")}


def _title(round_: Round) -> str:
    congress = round_.election.congress
    return (
        f"bầu {round_.election.get_kind_display().lower()} {congress.organisation.name} nhiệm kỳ "
        f"{congress.term.code}, vòng {round_.number}"
    )


def _base_paragraphs(round_: Round) -> list:
    congress = round_.election.congress
    who = "đảng viên chính thức" if congress.kind == CongressKind.MEMBERS else "đại biểu chính thức"
    blocks: list = [
        Para(f"Tổng số {who} được triệu tập: {round_.convened}.", indent=True),
    ]
    if round_.excluded:
        blocks.append(Para(f"Không tính vào cơ sở tính kết quả: {len(round_.excluded)}, gồm:"))
        for row in round_.excluded:
            blocks.append(Para(f"- Đồng chí {row['name']}: {EXCUSED.get(row['excused'], row['excused'])}."))
    majority = presentation.share_words(round_.result.get("majority", "1/2"))
    blocks.append(
        Para(
            f"Cơ sở tính kết quả bầu cử: {round_.base}. Người trúng cử phải được quá {majority} số phiếu bầu so với "
            f"cơ sở này, tức là ít nhất {round_.result['needed']} phiếu."
        )
    )
    return blocks


def _count_paragraphs(round_: Round) -> list:
    result = round_.result
    invalid = result.get("invalid", {})
    returned = result["valid"] + sum(invalid.values())
    blocks: list = [
        Para(f"Số phiếu phát ra: {result['issued']}. Số phiếu thu vào: {returned}."),
        Para(f"Số phiếu hợp lệ: {result['valid']}. Số phiếu không hợp lệ: {sum(invalid.values())}."),
    ]
    labels = dict(Invalid.choices)
    for reason, n in sorted(invalid.items()):
        blocks.append(Para(f"- Phiếu {labels.get(reason, reason)}: {n}."))
    return blocks


def _table(round_: Round) -> Table:
    names, result = _names(round_), round_.result
    elected, tied = set(result["elected"]), set(result.get("tied", []))
    rows = [["STT", "Họ và tên", "Số phiếu bầu", "Tỷ lệ so với cơ sở", "Kết quả"]]
    for i, (pk, votes) in enumerate(result["votes"].items(), start=1):
        verdict = "Trúng cử" if int(pk) in elected else ("Bằng phiếu" if int(pk) in tied else "")
        rows.append([str(i), names[int(pk)].member.full_name, str(votes), percent(votes, round_.base), verdict])
    return Table(rows, widths_mm=[12, 60, 28, 35, 30])


def _outcome_paragraphs(round_: Round) -> list:
    names, result = _names(round_), round_.result
    blocks: list = []
    if result["elected"]:
        listed = ", ".join(
            f"{names[pk].member.full_name} ({result['votes'][str(pk)]} phiếu)" for pk in result["elected"]
        )
        blocks.append(Para(f"Các đồng chí trúng cử (xếp theo số phiếu): {listed}."))
    else:
        blocks.append(Para("Không có đồng chí nào trúng cử ở vòng này."))
    if result.get("tied"):
        tied = ", ".join(names[pk].member.full_name for pk in result["tied"])
        rule = TIE_RULES.get(result.get("tie_rule", ""), "")
        blocks.append(
            Para(
                f"Các đồng chí {tied} bằng phiếu nhau ở vị trí trúng cử cuối cùng ({result['tie_seats']} chỗ): "
                f"giải quyết theo quy định: {rule}."
            )
        )
    if result.get("unfilled"):
        blocks.append(
            Para(f"Còn thiếu {result['unfilled']} người so với số lượng cần bầu; Đại hội quyết định việc bầu tiếp.")
        )
    return blocks


def _addenda(round_: Round) -> list:
    rows = list(round_.addenda.order_by("recorded_at", "pk"))
    if not rows:
        return []
    return [Para("Đính chính", bold=True, indent=False)] + [
        Para(f"Ngày {fmt(a.recorded_at.date())}: {a.text}") for a in rows
    ]


def _counting_head(round_: Round) -> str:
    team = CountingTeam.objects.filter(congress=round_.election.congress, head=True).first()
    first = team.members.order_by("name_sort", "pk").first() if team else None
    return first.full_name if first else ""


def _check(round_: Round) -> None:
    if round_.state != RoundState.ANNOUNCED:
        raise ValueError("a round's documents exist once it is announced")


def count_minutes(round_: Round) -> bytes:
    """Biên bản kiểm phiếu of an announced round."""
    _check(round_)
    congress = round_.election.congress
    with translation.override("vi"):
        place = f" tại {congress.place}" if congress.place else ""
        opening = (
            f"Hôm nay, {vn_date(round_.minutes.date if round_.minutes else congress.ends_on)}{place}, Ban kiểm phiếu "
            f"Đại hội {congress.organisation.name} nhiệm kỳ {congress.term.code} tiến hành kiểm phiếu {_title(round_)}."
        )
        return PartyDocument(
            header=_header(round_, round_.minutes),
            kind="BIÊN BẢN",
            subject=f"Kiểm phiếu {_title(round_)}",
            paragraphs=[
                Para(opening),
                Para("I. CƠ SỞ TÍNH KẾT QUẢ", bold=True, indent=False),
                *_base_paragraphs(round_),
                Para("II. KẾT QUẢ KIỂM PHIẾU", bold=True, indent=False),
                *_count_paragraphs(round_),
                _table(round_),
                Para("III. KẾT QUẢ BẦU CỬ", bold=True, indent=False),
                *_outcome_paragraphs(round_),
                *_addenda(round_),
                Para("Biên bản được lập và công bố trước Đại hội."),
            ],
            signature=Signature(on_behalf="T/M BAN KIỂM PHIẾU", title="TRƯỞNG BAN", name=_counting_head(round_)),
            recipients=["Đoàn Chủ tịch Đại hội", "Lưu hồ sơ Đại hội"],
        ).to_bytes()


def announcement(round_: Round) -> bytes:
    """Thông báo kết quả bầu cử of an announced round."""
    _check(round_)
    congress = round_.election.congress
    with translation.override("vi"):
        return PartyDocument(
            header=_header(round_, round_.announcement),
            kind="THÔNG BÁO",
            subject=f"Kết quả {_title(round_)}",
            paragraphs=[
                Para(
                    f"Căn cứ biên bản kiểm phiếu số {round_.minutes.number if round_.minutes else '...'}, Đoàn Chủ "
                    f"tịch Đại hội {congress.organisation.name} nhiệm kỳ {congress.term.code} thông báo kết quả "
                    f"{_title(round_)} như sau:"
                ),
                *_base_paragraphs(round_),
                *_outcome_paragraphs(round_),
                *_addenda(round_),
            ],
            signature=Signature(on_behalf="T/M ĐOÀN CHỦ TỊCH"),
            recipients=["Các đại biểu dự Đại hội", "Lưu hồ sơ Đại hội"],
        ).to_bytes()
