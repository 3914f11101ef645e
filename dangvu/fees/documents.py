"""Party-fee documents as DOCX in the Party format (Hướng dẫn 36-HD/VPTW; dangvu.documents.partydoc): the
monthly and yearly reports of an organisation (collection and remittance, figures from dangvu.fees.remittance
so they add up to the đồng) and the cell's proposal of removal of a member who paid nothing for
`fees.removal_unpaid_months` months of a year (Quy định 01-QĐ/TW). Vietnamese whatever the page's language."""

from __future__ import annotations

from django.utils import timezone, translation

from dangvu.documents.admission import GeneratedDocument, committee_name, document_place
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, Table
from dangvu.fees import months
from dangvu.fees.remittance import Flow, Remittance
from dangvu.fees.stats import MemberStatus
from dangvu.orgs.queries import parent_on

HEADINGS = ["Tổ chức đảng", "Số đảng viên", "Phải thu", "Đã thu", "Giữ lại", "Nộp cấp trên"]


def vnd(n: int) -> str:
    """1234567 → '1.234.567' (Vietnamese grouping)."""
    return f"{n:,}".replace(",", ".")


def _row(name: str, f: Flow) -> list[str]:
    return [name, vnd(f.members_below), vnd(f.due_below), vnd(f.collected_below), vnd(f.kept_below), vnd(f.sent_up)]


def _header(org, day) -> Header:
    higher = parent_on(org, day)
    return Header(
        issuer=committee_name(org),
        higher=committee_name(higher) if higher else "",
        place=document_place(),
        date=day,
        number_code="BC",
        issuer_code="",
    )


def month_report(rem: Remittance) -> GeneratedDocument:
    org, top = rem.organisation, rem.top
    today = timezone.localdate()
    rows = [HEADINGS] + [[str(r[0])] + ["" if v is None else vnd(v) for v in r[1:]] for r in rem.table()]
    with translation.override("vi"):
        document = PartyDocument(
            header=_header(org, today),
            kind="BÁO CÁO",
            subject=f"Thu, nộp đảng phí tháng {months.fmt(rem.month)}",
            paragraphs=[
                Para(
                    f"Thực hiện Quy định số 01-QĐ/TW ngày 03/02/2026 của Bộ Chính trị về chế độ đảng phí, "
                    f"{committee_name(org)} báo cáo kết quả thu, nộp đảng phí tháng {months.fmt(rem.month)} như sau:"
                ),
                Table(rows),
                Para(
                    f"Tổng số phải thu: {vnd(top.due_below)} đồng; đã thu: {vnd(top.collected_below)} đồng; "
                    f"các tổ chức đảng giữ lại: {vnd(top.kept_below)} đồng; nộp cấp trên: {vnd(top.sent_up)} đồng."
                ),
            ],
            signature=Signature("T/M " + ("CHI BỘ" if org.holds_members else "ĐẢNG ỦY"), "BÍ THƯ"),
            recipients=["Cấp ủy cấp trên", "Lưu"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"dang-phi-{rem.month:%Y-%m}-{org.pk}.docx", content)


def year_report(org, year: int, rems: list[Remittance]) -> GeneratedDocument:
    today = timezone.localdate()
    rows = [["Tháng", "Số đảng viên", "Phải thu", "Đã thu", "Giữ lại", "Nộp cấp trên"]]
    rows += [_row(months.fmt(r.month), r.top) for r in rems]
    total = Flow(org.pk, org.name, org.kind, org.path)
    for r in rems:
        total.due_below += r.top.due_below
        total.collected_below += r.top.collected_below
        total.kept_below += r.top.kept_below
        total.sent_up += r.top.sent_up
    total.members_below = max((r.top.members_below for r in rems), default=0)
    rows.append(_row("Cả năm", total))
    with translation.override("vi"):
        document = PartyDocument(
            header=_header(org, today),
            kind="BÁO CÁO",
            subject=f"Thu, nộp đảng phí năm {year}",
            paragraphs=[
                Para(f"{committee_name(org)} báo cáo kết quả thu, nộp đảng phí năm {year} như sau:"),
                Table(rows),
                Para(
                    f"Cả năm: phải thu {vnd(total.due_below)} đồng; đã thu {vnd(total.collected_below)} đồng; "
                    f"giữ lại {vnd(total.kept_below)} đồng; nộp cấp trên {vnd(total.sent_up)} đồng."
                ),
            ],
            signature=Signature("T/M " + ("CHI BỘ" if org.holds_members else "ĐẢNG ỦY"), "BÍ THƯ"),
            recipients=["Cấp ủy cấp trên", "Lưu"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"dang-phi-nam-{year}-{org.pk}.docx", content)


def removal_proposal(status: MemberStatus, cell) -> GeneratedDocument:
    """The cell's proposal (tờ trình) to the competent committee to remove the member from the list."""
    member = status.member
    today = timezone.localdate()
    unpaid = [months.fmt(m.month) for m in status.months if m.due > 0 and m.paid == 0 and m.month < months.current()]
    with translation.override("vi"):
        document = PartyDocument(
            header=Header(
                issuer=cell.name,
                higher=committee_name(parent_on(cell, today)) if parent_on(cell, today) else "",
                place=document_place(),
                date=today,
                number_code="TTr",
                issuer_code="CB",
            ),
            kind="TỜ TRÌNH",
            subject=f"Đề nghị xóa tên đảng viên {member.full_name} trong danh sách đảng viên",
            paragraphs=[
                Para(
                    "Căn cứ Quy định số 01-QĐ/TW ngày 03/02/2026 của Bộ Chính trị về chế độ đảng phí: đảng viên "
                    "không đóng đảng phí ba tháng trong năm mà không có lý do chính đáng thì chi bộ xem xét, đề "
                    "nghị cấp ủy có thẩm quyền quyết định xóa tên trong danh sách đảng viên."
                ),
                Para(
                    f"Đảng viên {member.full_name} không đóng đảng phí {len(unpaid)} tháng trong năm {status.year} "
                    f"(các tháng {', '.join(unpaid)}), số tiền còn nợ {vnd(status.owed)} đồng."
                ),
                Para(
                    f"Chi bộ đã xem xét và đề nghị cấp ủy có thẩm quyền quyết định xóa tên đảng viên "
                    f"{member.full_name} trong danh sách đảng viên."
                ),
            ],
            signature=Signature("T/M CHI BỘ", "BÍ THƯ"),
            recipients=["Cấp ủy cấp trên", "Lưu chi bộ"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"to-trinh-xoa-ten-{member.pk}.docx", content)
