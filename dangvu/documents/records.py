"""The member's record and the transfer introduction letter as DOCX in the Party format (issue 9 item 16).

- `member_record(member, user)`: the background record (lý lịch đảng viên, form 1-HSĐV of Hướng dẫn
  12-HD/BTCTW) as far as the record holds its data: the organisations, the numbered items of the form
  (identity, origins, education, admission and official dates, card) and the course of party life from the
  record's events. A form to print and complete: an item the record does not hold is a dotted line to fill
  in by hand.
- `transfer_letter(transfer, user)`: the introduction letter (giấy giới thiệu sinh hoạt đảng) of a transfer
  issued in this system, laid out per Hướng dẫn 36-HD/VPTW (partydoc): the issuing committee, number and
  date of the letter, the member, where they go, until when the letter is valid, signed by the issuing
  committee's secretary in office on the letter's date (when the seats are recorded).

Both follow the personal-data table (dangvu.accounts.privacy) for the user who downloads them: an item the
user may not see is left out of the document (on a copy of the record; the record is not changed), and the
notes of the events only for those who see them. The text is Vietnamese whatever the page's language: it is
a Party document.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

from django.utils import timezone, translation

from dangvu.accounts import privacy
from dangvu.accounts.scope import Scope
from dangvu.documents.admission import (
    DOTS,
    Chain,
    GeneratedDocument,
    committee_name,
    document_place,
    secretary_on,
)
from dangvu.documents.partydoc import (
    Header,
    Para,
    PartyDocument,
    Signature,
    Table,
    add_block,
    add_line,
    add_signature,
    form_document,
    place_and_date,
    upper,
    vn_date,
)
from dangvu.lib.dates import fmt
from dangvu.members.models import EventKind, Member
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.transfers.models import Transfer, TransferKind

SEX = {"M": "Nam", "F": "Nữ"}


def _shown(member: Member, user) -> tuple[Member, frozenset[str]]:
    """A copy of the record with the fields `user` may not see blanked (None: every field)."""
    if user is None:
        return member, frozenset()
    hidden = privacy.hidden_fields(user, member)
    shown = copy.copy(member)
    privacy.blank(shown, hidden)
    return shown, hidden


def _value(value) -> str:
    if isinstance(value, dt.date):
        return fmt(value)
    return str(value).strip() if value else DOTS


def _item(number: int, label: str, value) -> Para:
    return Para(f"{label}: {_value(value)}", lead=f"{number})", indent=False, align="left")


def _signer(org: Organisation) -> str:
    return "T/M CHI BỘ" if org.kind in OrgKind.member_holding() else "T/M ĐẢNG ỦY"


# --- Lý lịch đảng viên (1-HSĐV) ----------------------------------------------------------------------------


def _items(member: Member, hidden: frozenset[str], events: list) -> list[Para]:
    """The numbered items of the form, without those the reader may not see."""
    admission = next((e for e in events if e.kind == EventKind.ADMISSION), None)
    official = next((e for e in events if e.kind == EventKind.OFFICIAL), None)
    rows: list[tuple[str, str, object]] = [
        ("full_name", "Họ và tên đang dùng", upper(member.full_name)),
        ("sex", "Nam, nữ", SEX.get(member.sex, "")),
        ("other_names", "Họ và tên khai sinh, tên gọi khác", member.other_names),
        ("birth_date", "Sinh ngày", member.birth_date),
        ("birth_place", "Nơi sinh", member.birth_place),
        ("home_town", "Quê quán", member.home_town),
        ("residence", "Nơi cư trú", member.residence),
        ("ethnicity", "Dân tộc", member.ethnicity),
        ("religion", "Tôn giáo", member.religion or "Không"),
        ("citizen_id", "Số định danh cá nhân (căn cước)", member.citizen_id),
        ("occupation", "Nghề nghiệp hiện nay", member.occupation),
        ("position", "Chức vụ, đơn vị công tác", member.position),
        ("general_education", "Giáo dục phổ thông", member.general_education),
        ("professional_degree", "Chuyên môn, nghiệp vụ", member.professional_degree),
        ("political_theory", "Lý luận chính trị", member.get_political_theory_display()),
        ("foreign_language", "Ngoại ngữ", member.foreign_language),
        ("", "Ngày vào Đảng", member.admission_date),
        ("", "Tại chi bộ", admission.organisation.name if admission and admission.organisation_id else ""),
        ("", "Ngày chính thức", member.official_date),
        ("", "Tại chi bộ (chính thức)", official.organisation.name if official and official.organisation_id else ""),
        ("card_number", "Số thẻ đảng viên", member.card_number),
    ]
    shown = [(label, value) for field, label, value in rows if not field or field not in hidden]
    return [_item(i, label, value) for i, (label, value) in enumerate(shown, start=1)]


def _course(events: list, hidden: frozenset[str]) -> Table:
    """The course of party life: the record's live events (neither annulled nor annulments), in order."""
    rows = [["Ngày", "Diễn biến", "Tổ chức đảng", "Văn bản"]]
    for event in events:
        where = event.organisation.name if event.organisation_id else event.external_organisation
        document = event.document_number
        if event.document_date:
            document = f"{document} ngày {fmt(event.document_date)}".strip()
        if event.issuer:
            document = f"{document} ({event.issuer})".strip()
        what = event.get_kind_display()
        if event.note and "event_notes" not in hidden:
            what = f"{what}: {event.note}"
        rows.append([fmt(event.date), what, where, document])
    if len(rows) == 1:
        rows.append(["", "Chưa có diễn biến nào được ghi trong hồ sơ.", "", ""])
    return Table(rows, widths_mm=[24, 58, 48, 35])


def member_record(member: Member, user=None, *, today: dt.date | None = None) -> GeneratedDocument:
    today = today or timezone.localdate()
    shown, hidden = _shown(member, user)
    chain = Chain.of(member.organisation)
    events = [
        e
        for e in member.events.select_related("organisation", "annulled_by").order_by("date", "id")
        if e.kind != EventKind.ANNULMENT and getattr(e, "annulled_by", None) is None
    ]
    with translation.override("vi"):
        doc = form_document("Lý lịch đảng viên", committee_name(chain.grassroots))
        add_line(doc, "Mẫu 1-HSĐV", size=12, italic=True, align="right")
        add_line(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
        add_line(doc, "")
        add_line(doc, "LÝ LỊCH ĐẢNG VIÊN", size=16, bold=True)
        add_line(doc, f"(Tóm tắt theo hồ sơ lưu trữ đến {vn_date(today)})", size=13, italic=True)
        add_line(doc, "")
        for org in reversed(chain.ancestors):
            add_line(doc, f"{org.get_kind_display()}: {org.name}", size=13, align="left")
        add_line(doc, f"Chi bộ: {chain.cell.name}", size=13, align="left")
        add_line(doc, "")
        for item in _items(shown, hidden, events):
            add_block(doc, item)
        add_block(doc, Para(f"Tình trạng hiện nay: {_status(shown)}", indent=False, align="left"))
        add_block(doc, Para("QUÁ TRÌNH SINH HOẠT ĐẢNG", bold=True, align="center", indent=False))
        add_block(doc, _course(events, hidden))
        grassroots = chain.grassroots
        signature = Signature(_signer(grassroots), "BÍ THƯ", secretary_on(grassroots, today))
        add_signature(doc, signature, left=place_and_date(document_place(), today))
    buffer = io.BytesIO()
    doc.save(buffer)
    return GeneratedDocument(f"ly-lich-dang-vien-{member.pk}.docx", buffer.getvalue())


def _status(member: Member) -> str:
    parts = [member.get_status_display()]
    if member.is_exempt:
        parts.append("miễn sinh hoạt đảng")
    if member.is_suspended:
        parts.append("đình chỉ sinh hoạt")
    if member.is_away:
        parts.append("chuyển sinh hoạt tạm thời")
    return "; ".join(parts)


# --- Giấy giới thiệu sinh hoạt đảng --------------------------------------------------------------------


def has_letter(transfer: Transfer) -> bool:
    """A letter of this system: the sending side is one of its organisations."""
    return transfer.from_organisation_id is not None


def may_print_letter(user, transfer: Transfer) -> bool:
    """The letter is the sending side's paper: those who see the members of the sending cell print it."""
    return has_letter(transfer) and Scope.of(user, "members.view").covers_path(transfer.from_organisation.path)


def _issuing(transfer: Transfer, chain: Chain) -> Organisation:
    found = chain.matching(transfer.issuer) if transfer.issuer else None
    return found or chain.grassroots


def transfer_letter(transfer: Transfer, user=None) -> GeneratedDocument:
    if not has_letter(transfer):
        raise ValueError("a transfer from outside the system has no letter of ours")
    member, hidden = _shown(transfer.member, user)
    chain = Chain.of(transfer.from_organisation)
    issuing = _issuing(transfer, chain)
    higher = chain.parent_of(issuing)
    issuer = transfer.issuer or committee_name(issuing)
    if transfer.to_organisation_id:
        target = Chain.of(transfer.to_organisation)
        addressee, place = committee_name(target.grassroots), transfer.to_organisation.name
    else:
        addressee = place = transfer.to_external
    temporary = transfer.kind == TransferKind.TEMPORARY
    with translation.override("vi"):
        lines = [Para(f"Kính gửi: {addressee}", bold=True, align="center", indent=False)]
        lines.append(f"{issuer} trân trọng giới thiệu đồng chí: {member.full_name}.")
        facts = []
        if "birth_date" not in hidden and member.birth_date:
            facts.append(f"sinh ngày {fmt(member.birth_date)}")
        if "home_town" not in hidden and member.home_town:
            facts.append(f"quê quán: {member.home_town}")
        if facts:
            joined_facts = "; ".join(facts)
            lines.append(joined_facts[0].upper() + joined_facts[1:] + ".")
        # In transit once the letter is issued: official is what the official date says.
        status = "Đảng viên chính thức" if member.official_date else "Đảng viên dự bị"
        joined = f"vào Đảng ngày {fmt(member.admission_date)}" if member.admission_date else ""
        official = f"chính thức ngày {fmt(member.official_date)}" if member.official_date else ""
        lines.append("; ".join(p for p in [status, joined, official] if p) + ".")
        if "card_number" not in hidden and member.card_number:
            lines.append(f"Số thẻ đảng viên: {member.card_number}.")
        lines.append(f"Đang sinh hoạt tại: {transfer.from_organisation.name}.")
        kind = "tạm thời" if temporary else "chính thức"
        lines.append(f"Được giới thiệu chuyển sinh hoạt đảng {kind} đến: {place}.")
        if transfer.reason:
            lines.append(f"Lý do: {transfer.reason.strip().rstrip('.')}.")
        if transfer.due_on:
            lines.append(f"Giấy giới thiệu này có giá trị đến hết ngày {fmt(transfer.due_on)}.")
        lines.append(
            f"Đề nghị {addressee} tiếp nhận, quản lý và tạo điều kiện để đồng chí {member.full_name} "
            "sinh hoạt đảng theo quy định."
        )
        document = PartyDocument(
            header=Header(
                issuer=issuer,
                higher=higher.name if higher else "",
                number=transfer.letter_number,
                place=document_place(),
                date=transfer.letter_date,
                number_code="GT",
            ),
            kind="GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG",
            subject=f"({kind})",
            paragraphs=lines,
            signature=Signature(_signer(issuing), "BÍ THƯ", secretary_on(issuing, transfer.letter_date)),
            recipients=["Như kính gửi", "Đồng chí có tên trên", "Lưu hồ sơ đảng viên"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"giay-gioi-thieu-sinh-hoat-dang-{transfer.pk}.docx", content)
