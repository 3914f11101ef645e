"""The files of an official report on a resolution (dangvu.targets.reports): DOCX in the Party format
(dangvu.documents.partydoc: the header block with the number from the documents register, "ĐẢNG CỘNG SẢN
VIỆT NAM", the place and date line) and XLSX (openpyxl, as the other exports: Vietnamese headings, texts
never evaluated as formulas, figures as numbers). Vietnamese whatever the page's language.

The targets' appendix: "Phụ lục" tables STT | Nhóm chỉ tiêu chủ yếu | Kết quả thực hiện | Đánh giá, one per
predecessor and the combined one last; the XLSX has one row per target and period with a column per part and
the combined figure. The members' summary: one row per figure, a column per part and "Cộng"."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dangvu.documents.admission import committee_name
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, Table
from dangvu.lib.dates import fmt
from dangvu.members import stats
from dangvu.members.exports import safe_text
from dangvu.members.models import EventKind, PoliticalTheory, Sex, Status
from dangvu.orgs.models import OrgKind
from dangvu.orgs.queries import parent_on
from dangvu.targets import indicators, verdicts
from dangvu.targets.models import Report, ReportKind
from dangvu.targets.reports import Appendix, Cell, Row, appendices

HEADINGS = ["STT", "Nhóm chỉ tiêu chủ yếu", "Kết quả thực hiện", "Đánh giá"]
NOT_RECORDED = "Chưa ghi"


def number(value: Decimal | None, unit: str = indicators.COUNT) -> str:
    """'1.234', '96,5%', '2,25': Vietnamese digit grouping and decimal comma."""
    if value is None:
        return "—"
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
    return text + ("%" if unit == indicators.PERCENT else "")


def verdict_text(value: str) -> str:
    if not value:
        return ""
    with translation.override("vi"):
        return str(verdicts.Verdict(value).label)


def cell_text(cell: Cell, unit: str, several: bool) -> str:
    text = number(cell.value, unit)
    if cell.percent is not None:
        text += f" (đạt {number(cell.percent, indicators.COUNT)}%)"
    if several:
        text = f"Năm {cell.label}: {text}" + (f" — {verdict_text(cell.verdict)}" if cell.verdict else "")
    return text


def row_texts(position: int, row: Row) -> list[str]:
    several = len(row.cells) > 1
    result = "\n".join(cell_text(c, row.unit, several) for c in row.cells) or "Chưa có số liệu"
    return [str(position), row.target.text, result, verdict_text(row.verdict) or "—"]


def part_name(appendix: Appendix, report: Report) -> str:
    org = appendix.organisation
    return org.name if org is not None else f"{report.resolution.organisation.name} (chung)"


# -- DOCX -----------------------------------------------------------------------------------------------


def _signature(report: Report) -> Signature:
    org = report.resolution.organisation
    return Signature("T/M CHI BỘ" if org.kind in OrgKind.member_holding() else "T/M BAN THƯỜNG VỤ", "BÍ THƯ")


def _header(report: Report) -> Header:
    org = report.resolution.organisation
    higher = parent_on(org, report.document.date)
    return Header(
        issuer=committee_name(org),
        higher=higher.name if higher else "",
        number=report.document.number,
        place=report.place,
        date=report.document.date,
    )


def _period_line(report: Report) -> str:
    return f"Từ ngày {fmt(report.start)} đến ngày {fmt(report.end)}"


def targets_docx(report: Report, tables: list[Appendix]) -> bytes:
    blocks: list = [
        Para(
            f"Kết quả thực hiện các chỉ tiêu của Nghị quyết số {report.resolution.number} "
            f"({report.resolution.title}), {_period_line(report).lower()}, tính từ dữ liệu của hệ thống."
        )
    ]
    for i, appendix in enumerate(tables, start=1):
        several = len(tables) > 1
        title = f"PHỤ LỤC {i}" if several else "PHỤ LỤC"
        blocks.append(Para(title, bold=True, align="center", indent=False))
        blocks.append(
            Para(f"KẾT QUẢ THỰC HIỆN CHỈ TIÊU NGHỊ QUYẾT — {report.label}", bold=True, align="center", indent=False)
        )
        if appendix.organisation is not None and several:
            blocks.append(
                Para(
                    f"({appendix.organisation.name} — kế thừa từ Đảng bộ tiền thân)"
                    if appendix.organisation != report.resolution.organisation
                    else f"({appendix.organisation.name})",
                    italic=True,
                    align="center",
                    indent=False,
                )
            )
        elif several:
            blocks.append(Para("(Chung, gồm các Đảng bộ tiền thân)", italic=True, align="center", indent=False))
        rows = [HEADINGS] + [row_texts(r.target.position, r) for r in appendix.rows]
        blocks.append(Table(rows, widths_mm=[12, 70, 60, 23]))
    return PartyDocument(
        header=_header(report),
        kind="BÁO CÁO",
        subject=report.document.title,
        paragraphs=blocks,
        signature=_signature(report),
        recipients=["Lưu Văn phòng"],
    ).to_bytes()


# -- the members' summary rows --------------------------------------------------------------------------


def _labelled(counts: Counter, labels: dict, keys: list | None = None) -> list[tuple[str, str]]:
    keys = keys if keys is not None else sorted(counts, key=lambda k: (k == stats.UNKNOWN, -counts[k], str(k)))
    return [(k, str(labels.get(k, k) or NOT_RECORDED)) for k in keys]


def member_rows(summary: stats.Summary) -> list[tuple[str, list[int] | None]]:
    """(label, [figure per part…, combined]) — a heading row has None."""
    parts = [*summary.parts, summary.combined]
    rows: list[tuple[str, list[int] | None]] = [("Tổng số đảng viên", [p.total for p in parts])]

    def section(title: str, key: str, labels: dict, keys: list | None = None) -> None:
        rows.append((title, None))
        for value, label in _labelled(summary.combined.breakdowns[key], labels, keys):
            rows.append((f"– {label}", [p.breakdowns[key][value] for p in parts]))

    section(
        "Theo tình trạng",
        "status",
        {Status.OFFICIAL: "Đảng viên chính thức", Status.PROBATIONARY: "Đảng viên dự bị"},
        [Status.OFFICIAL, Status.PROBATIONARY],
    )
    section("Theo giới tính", "sex", {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}, [Sex.MALE, Sex.FEMALE])
    ages = stats.age_band_keys()
    section(
        "Theo độ tuổi",
        "age",
        {k: k.replace("<=", "Đến ").replace(">", "Trên ").replace("-", " – ") + " tuổi" for k in ages},
        ages,
    )
    section("Theo dân tộc", "ethnicity", {})
    section("Theo tôn giáo", "religion", {stats.UNKNOWN: "Không"})
    section("Theo trình độ giáo dục phổ thông", "education", {})
    section("Theo trình độ chuyên môn", "degree", {})
    theory = {
        PoliticalTheory.NONE: "Chưa qua đào tạo",
        PoliticalTheory.ELEMENTARY: "Sơ cấp",
        PoliticalTheory.INTERMEDIATE: "Trung cấp",
        PoliticalTheory.ADVANCED: "Cao cấp",
        PoliticalTheory.BACHELOR: "Cử nhân",
    }
    section(
        "Theo trình độ lý luận chính trị",
        "theory",
        theory,
        [k for k in reversed(PoliticalTheory.values) if k in summary.combined.breakdowns["theory"]],
    )
    party = stats.party_age_band_keys()
    party_labels = {
        k: k.replace("<", "Dưới ").replace(">=", "Từ ").replace("-", " – ") + " năm tuổi Đảng" for k in party
    }
    party_labels[stats.UNKNOWN] = "Chưa ghi ngày kết nạp"
    section(
        "Theo tuổi Đảng",
        "party_age",
        party_labels,
        [*party, *([stats.UNKNOWN] if summary.combined.breakdowns["party_age"][stats.UNKNOWN] else [])],
    )
    moves = [p.movement for p in parts]
    rows.append(("Tăng, giảm trong kỳ", None))
    rows.append(("– Đầu kỳ", [m.opening for m in moves]))
    labels = {
        EventKind.ADMISSION: "Kết nạp",
        EventKind.TRANSFER_IN: "Chuyển đến",
        EventKind.DEATH: "Từ trần",
        EventKind.EXPULSION: "Khai trừ",
        EventKind.REMOVAL: "Xóa tên",
        EventKind.LEAVING: "Ra khỏi Đảng",
        EventKind.TRANSFER_OUT: "Chuyển đi",
    }
    rows.append(("– Tăng", [m.increase for m in moves]))
    rows += [(f"  + {labels[k]}", [m.events[k] for m in moves]) for k in stats.INCREASE]
    rows.append(("– Giảm", [m.decrease for m in moves]))
    rows += [(f"  + {labels[k]}", [m.events[k] for m in moves]) for k in stats.DECREASE]
    rows.append(("– Thay đổi khác (chuyển trong hệ thống, sắp xếp tổ chức)", [m.other for m in moves]))
    rows.append(("– Cuối kỳ", [m.closing for m in moves]))
    return rows


def _names(summary: stats.Summary) -> list[str]:
    return [p.organisation.name for p in summary.parts] + ["Cộng"]


def members_docx(report: Report, summary: stats.Summary) -> bytes:
    head = ["Chỉ tiêu", *_names(summary)]
    rows = [head] + [
        [label, *(number(Decimal(n)) for n in figures)] if figures else [label] + [""] * (len(head) - 1)
        for label, figures in member_rows(summary)
    ]
    width = 165 - 60
    return PartyDocument(
        header=_header(report),
        kind="BÁO CÁO",
        subject=report.document.title,
        paragraphs=[
            Para(
                f"Số liệu đảng viên của {report.resolution.organisation.name} và các Đảng bộ tiền thân, "
                f"{_period_line(report).lower()} (số đảng viên tính đến ngày {fmt(report.end)}), tính từ dữ liệu "
                "của hệ thống."
            ),
            Table(rows, widths_mm=[60] + [width / (len(head) - 1)] * (len(head) - 1)),
        ],
        signature=_signature(report),
        recipients=["Lưu Văn phòng"],
    ).to_bytes()


# -- XLSX -----------------------------------------------------------------------------------------------


def _book(title: str, report: Report):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([safe_text(f"{report.document.number} — {report.document.title}")])
    sheet.append([safe_text(f"{report.resolution.organisation.name} · {_period_line(report)}")])
    return book, sheet


def _bold(row) -> None:
    for cell in row:
        cell.font = Font(bold=True)


def _out(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def targets_xlsx(report: Report, tables: list[Appendix]) -> bytes:
    """One row per target and period: its text, the period, the threshold, one column per part, the combined
    figure, the percentage achieved and the verdict."""
    book, sheet = _book("Chỉ tiêu", report)
    combined, parts = tables[-1], tables[:-1]
    sheet.append(
        [
            "STT",
            "Nhóm chỉ tiêu chủ yếu",
            "Kỳ",
            "Chỉ tiêu",
            *(safe_text(a.organisation.name) for a in parts),
            "Kết quả",
            "Đạt (%)",
            "Đánh giá",
        ]
    )
    _bold(sheet[3])
    by_part = [{(r.target.pk, c.label): c for r in a.rows for c in r.cells} for a in parts]
    for row in combined.rows:
        for cell in row.cells or [Cell("", None, None, "")]:
            sheet.append(
                [
                    row.target.position,
                    safe_text(row.target.text),
                    cell.label,
                    row.target.threshold,
                    *(getattr(p.get((row.target.pk, cell.label)), "value", None) for p in by_part),
                    cell.value,
                    cell.percent,
                    verdict_text(cell.verdict),
                ]
            )
    sheet.column_dimensions["B"].width = 60
    for line in sheet.iter_rows(min_row=4, min_col=2, max_col=2):
        line[0].alignment = Alignment(wrap_text=True, vertical="top")
    return _out(book)


def members_xlsx(report: Report, summary: stats.Summary) -> bytes:
    book, sheet = _book("Thống kê đảng viên", report)
    sheet.append(["Chỉ tiêu", *(safe_text(n) for n in _names(summary))])
    _bold(sheet[3])
    for label, figures in member_rows(summary):
        sheet.append([safe_text(label), *(figures or [])])
        if figures is None:
            _bold(sheet[sheet.max_row])
    sheet.column_dimensions["A"].width = 56
    return _out(book)


def render(report: Report, progress) -> tuple[bytes, bytes]:
    """(DOCX, XLSX) of the report; `progress(done, total)` as the figures are computed."""
    org = report.resolution.organisation
    if report.kind == ReportKind.TARGETS:
        tables = appendices(report.resolution, report.start, report.end, progress)
        return targets_docx(report, tables), targets_xlsx(report, tables)
    summary = stats.summary(org, report.start, report.end, progress=progress)
    return members_docx(report, summary), members_xlsx(report, summary)
