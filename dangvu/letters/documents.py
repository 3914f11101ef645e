"""The notices to a letter's sender as DOCX in the Party format (Hướng dẫn 36-HD/VPTW; dangvu.documents.partydoc):
receipt, extension of the deadline and result, issued by the inspection committee of the handling committee
("THÔNG BÁO …", number left blank to be written by hand) and addressed to the signatories. They name the
senders, so they are produced only for the inspection role of the handling committee, through
dangvu.letters.services.read_senders (each one logged)."""

from __future__ import annotations

from django.utils import translation

from dangvu.documents.admission import GeneratedDocument, committee_name, document_place
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature
from dangvu.letters.models import Letter, Outcome, Route
from dangvu.letters.services import Sender
from dangvu.lib.dates import fmt
from dangvu.orgs.queries import parent_on

KIND_VI = {"denunciation": "đơn tố cáo", "complaint": "đơn khiếu nại", "feedback": "đơn phản ánh, kiến nghị"}
OUTCOME_VI = {
    Outcome.DISCIPLINE: "nội dung đơn có cơ sở; cấp có thẩm quyền đã xem xét, xử lý kỷ luật theo quy định",
    Outcome.LESSONS: "nội dung đơn có cơ sở một phần; tổ chức, cá nhân liên quan đã kiểm điểm rút kinh nghiệm",
    Outcome.UNFOUNDED: "nội dung đơn không có cơ sở",
}


def _notice(letter: Letter, senders: list[Sender], subject: str, body: list[str], day, slug: str) -> GeneratedDocument:
    committee = letter.committee
    issuer = f"Ủy ban Kiểm tra {committee_name(committee)}"
    higher = parent_on(committee, day)
    to = (
        "; ".join(", ".join(part for part in (f"Ông/Bà {s.name}", s.address) if part) for s in senders)
        or "Người gửi đơn"
    )
    with translation.override("vi"):
        document = PartyDocument(
            header=Header(
                issuer=issuer,
                higher=committee_name(higher) if higher else committee_name(committee),
                place=document_place(),
                date=day,
                number_code="TB",
                issuer_code="UBKT",
            ),
            kind="THÔNG BÁO",
            subject=subject,
            paragraphs=[Para(f"Kính gửi: {to}.", indent=False), *body],
            signature=Signature("T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM"),
            recipients=["Như trên", "Lưu hồ sơ đơn thư"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"thong-bao-{slug}-{letter.pk}.docx", content)


def _kind(letter: Letter) -> str:
    return KIND_VI.get(letter.kind, "đơn")


def receipt(letter: Letter, senders: list[Sender]) -> GeneratedDocument:
    body = [
        f"Ngày {fmt(letter.received_on)}, Ủy ban Kiểm tra {committee_name(letter.committee)} đã nhận được "
        f"{_kind(letter)} của Ông/Bà (số tiếp nhận {letter.number})."
    ]
    if letter.route == Route.HANDLE and letter.deadline:
        body.append(
            f"Đơn đã được thụ lý ngày {fmt(letter.screened_on)} và được xem xét, giải quyết theo quy định; "
            f"thời hạn giải quyết đến ngày {fmt(letter.due_on)}."
        )
    elif letter.route == Route.FORWARD and letter.forwarded_to_id:
        body.append(f"Đơn đã được chuyển đến {letter.forwarded_to.name} để xem xét, giải quyết theo thẩm quyền.")
    elif letter.route == Route.TRANSFER:
        body.append(f"Đơn đã được chuyển đến {letter.transferred_to} để xem xét, giải quyết theo thẩm quyền.")
    else:
        body.append("Đơn đang được phân loại, xử lý theo quy định.")
    body.append("Thông tin về người gửi đơn được giữ bí mật theo quy định của Đảng.")
    day = letter.routed_on or letter.screened_on or letter.received_on
    return _notice(letter, senders, f"về việc tiếp nhận {_kind(letter)}", body, day, "tiep-nhan-don")


def extension(letter: Letter, senders: list[Sender]) -> GeneratedDocument:
    if not letter.extension_days:
        raise ValueError("the deadline was not extended")
    body = [
        f"Ủy ban Kiểm tra {committee_name(letter.committee)} đang xem xét, giải quyết {_kind(letter)} của Ông/Bà "
        f"(số tiếp nhận {letter.number}, nhận ngày {fmt(letter.received_on)}).",
        f"Lý do: {letter.extension_reason.strip().rstrip('.')}. Thời hạn giải quyết được gia hạn "
        f"{letter.extension_days} ngày làm việc, từ ngày {fmt(letter.due_on)} đến ngày {fmt(letter.extended_due_on)}.",
    ]
    day = letter.extension_notice_on or letter.due_on
    return _notice(letter, senders, f"về việc gia hạn thời hạn giải quyết {_kind(letter)}", body, day, "gia-han")


def result(letter: Letter, senders: list[Sender]) -> GeneratedDocument:
    if not letter.outcome:
        raise ValueError("the letter is not concluded")
    body = [
        f"Ủy ban Kiểm tra {committee_name(letter.committee)} đã xem xét, giải quyết {_kind(letter)} của Ông/Bà "
        f"(số tiếp nhận {letter.number}, nhận ngày {fmt(letter.received_on)}).",
        f"Kết quả: {OUTCOME_VI[letter.outcome]}.",
    ]
    day = letter.result_notice_on or letter.concluded_on
    return _notice(letter, senders, f"về kết quả giải quyết {_kind(letter)}", body, day, "ket-qua")
