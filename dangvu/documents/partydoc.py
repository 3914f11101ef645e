"""The layout of a Party document (Hướng dẫn 36-HD/VPTW, 2018: "thể thức và kỹ thuật trình bày văn bản của
Đảng"), built with python-docx. Admission forms use it now; meeting minutes and reports reuse it.

What the layout holds (36-HD, part II and appendix 3):
- A4 paper, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (Unicode,
  TCVN 6909:2001); body 14 pt, justified, first-line indent 1.27 cm, 6 pt between paragraphs.
- A borderless two-column header: on the left the directly higher organisation (upper case, 14 pt), the
  issuing organisation (upper case, bold), a "*" line and the number "Số 12-NQ/CB"; on the right the title
  "ĐẢNG CỘNG SẢN VIỆT NAM" (upper case, bold, 15 pt, underlined) and the place and date in italics.
- The kind of document (NGHỊ QUYẾT, QUYẾT ĐỊNH, BIÊN BẢN, BÁO CÁO …) bold upper case centred (15 pt), the
  subject (trích yếu) bold centred with a short rule under it.
- The body: paragraphs, an optional enacting line ("BAN THƯỜNG VỤ … QUYẾT ĐỊNH:"), numbered articles
  ("Điều 1. …"), simple tables (for reports and minutes).
- At the foot a borderless two-column block: "Nơi nhận:" (underlined) and its list (12 pt) on the left, the
  signature on the right: authority ("T/M CHI BỘ"), title ("BÍ THƯ"), space to sign and seal, then the name.
  Minutes are signed twice: `left_signature` puts a second signature in the left column ("THƯ KÝ" on the
  left, "CHỦ TRÌ" on the right); recipients, if any, then follow under the two signatures.
- An optional mark above the header on the right ("DỰ THẢO" for a draft).
- Page numbers centred at the top from page 2.

All text is written in Unicode NFC (phones and Macs send NFD).

Usage::

    PartyDocument(
        header=Header(higher="Đảng bộ Sở Một", issuer="Chi bộ Phòng Một", number="12-NQ/CB",
                      place="Cần Thơ", date=dt.date(2026, 3, 5)),
        kind="NGHỊ QUYẾT",
        subject="Đề nghị kết nạp đảng viên",
        paragraphs=["…"],
        signature=Signature(on_behalf="T/M CHI BỘ", title="BÍ THƯ", name="Nguyễn Văn An"),
        recipients=["Đảng ủy Sở Một", "Lưu chi bộ"],
    ).to_bytes()
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = Mm(210 - 30 - 15)
# Header columns: the left one holds the organisations, the right one the title and the date line.
HEADER_LEFT, HEADER_RIGHT = Mm(75), Mm(90)
FOOT_LEFT, FOOT_RIGHT = Mm(80), Mm(85)

# Sizes from 36-HD appendix 3 (Times New Roman).
SIZE_BODY = Pt(14)
SIZE_ORG = Pt(14)  # higher and issuing organisation, number
SIZE_TITLE = Pt(15)  # ĐẢNG CỘNG SẢN VIỆT NAM
SIZE_KIND = Pt(15)  # NGHỊ QUYẾT, QUYẾT ĐỊNH …
SIZE_RECIPIENTS = Pt(12)  # items under "Nơi nhận:"
SIZE_TABLE = Pt(13)
FIRST_LINE_INDENT = Cm(1.27)
NUMBER_BLANK = "\u00a0" * 8  # room to write the number in by hand (non-breaking: Word keeps the width)
SIGNATURE_SPACE_LINES = 4  # room for the signature and the seal


def text(value: str | None) -> str:
    """NFC without touching the spacing (dotted and blank placeholders keep their width)."""
    return unicodedata.normalize("NFC", value or "")


def upper(value: str | None) -> str:
    return text(value).upper()


def vn_date(day: dt.date) -> str:
    """'ngày 05 tháng 3 năm 2026': the date as written in a Party document.

    36-HD writes the day and month in Arabic numerals and puts a zero before a day under 10 and before the
    months 1 and 2 (so that nobody can turn "1" into "11" or "12"): "ngày 05 tháng 3 năm 2026",
    "ngày 20 tháng 02 năm 2018", "ngày 15 tháng 12 năm 2025".
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: dt.date | None) -> str:
    """'Cần Thơ, ngày 05 tháng 3 năm 2026'; without a date, blanks to fill in by hand."""
    blank = "\u00a0" * 6
    when = vn_date(day) if day else f"ngày{blank}tháng{blank}năm{blank}"
    return text(f"{place}, {when}") if place else text(when[0].upper() + when[1:])


def percent(part: int, whole: int) -> str:
    """'66,67%': share with at most two decimals and a decimal comma (Vietnamese)."""
    if not whole:
        return ""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    figure = f"{value:f}".rstrip("0").rstrip(".")
    return figure.replace(".", ",") + "%"


@dataclass
class Header:
    """The two header columns. `higher`/`issuer` are organisation names in any case (upper-cased here);
    `number` is the number and symbol without "Số" ("12-NQ/CB"); empty leaves dots to fill in."""

    issuer: str
    higher: str = ""
    number: str = ""
    place: str = ""
    date: dt.date | None = None
    number_code: str = ""  # type code for an empty number: "NQ" → "Số ...-NQ/..."
    # The issuer's abbreviation for an empty number ("CB", "ĐU"): with it the number is left blank to be
    # written in by hand, "Số      -BB/CB".
    issuer_code: str = ""

    def number_line(self) -> str:
        number = text(self.number).strip()
        for prefix in ("Số:", "số:", "Số", "số"):
            if number.startswith(prefix):
                number = number[len(prefix) :].strip()
                break
        if not number and self.number_code and self.issuer_code:
            return f"Số{NUMBER_BLANK}-{self.number_code}/{text(self.issuer_code).strip()}"
        if not number:
            number = f"...-{self.number_code}/..." if self.number_code else "..."
        return f"Số {number}"


@dataclass
class Para:
    """One body paragraph. By default justified with a first-line indent."""

    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # justify | center | left | right
    indent: bool = True
    lead: str = ""  # a bold lead-in ("Điều 1.", "1.") before the text
    size: float | None = None


@dataclass
class Table:
    """A simple grid table: the first row is the heading (bold, centred)."""

    rows: list[list[str]]
    widths_mm: list[float] = field(default_factory=list)
    heading_rows: int = 1


Block = str | Para | Table


@dataclass
class Signature:
    on_behalf: str = ""  # "T/M CHI BỘ", "T/M ĐẢNG ỦY", "T/M BAN THƯỜNG VỤ", "KT. BÍ THƯ" …
    title: str = ""  # "BÍ THƯ", "PHÓ BÍ THƯ"
    name: str = ""  # the signer's full name when known; otherwise the line stays empty


@dataclass
class PartyDocument:
    header: Header
    kind: str  # NGHỊ QUYẾT, QUYẾT ĐỊNH, BIÊN BẢN, BÁO CÁO …
    subject: str = ""
    paragraphs: list[Block] = field(default_factory=list)
    enacting: str = ""  # "BAN THƯỜNG VỤ ĐẢNG ỦY … QUYẾT ĐỊNH:" between the grounds and the articles
    articles: list[str] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)  # after the articles
    signature: Signature | None = None
    recipients: list[str] = field(default_factory=list)
    left_signature: Signature | None = None  # a second signature in the left column (minutes)
    mark: str = ""  # above the header on the right: "DỰ THẢO"

    def build(self) -> DocxDocument:
        """The python-docx document: callers may append to it before saving."""
        doc = Document()
        _setup(doc)
        props = doc.core_properties
        props.title = text(f"{upper(self.kind)} {self.subject}".strip())
        props.author = props.last_modified_by = text(self.header.issuer)
        props.language = "vi-VN"
        props.comments = ""
        props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
        if self.mark:
            _line(doc.add_paragraph(), self.mark, size=SIZE_BODY, bold=True, align="right")
        _header(doc, self.header)
        _title(doc, self.kind, self.subject)
        for block in self.paragraphs:
            add_block(doc, block)
        if self.enacting:
            add_block(doc, Para(self.enacting, bold=True, align="center", indent=False))
        for number, article in enumerate(self.articles, start=1):
            add_block(doc, Para(article, lead=f"Điều {number}."))
        for block in self.closing:
            add_block(doc, block)
        if self.signature or self.recipients or self.left_signature:
            _foot(doc, self.signature, self.recipients, self.left_signature)
        return doc

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.build().save(buffer)
        return buffer.getvalue()


def form_document(title: str, author: str) -> DocxDocument:
    """An empty document with the Party layout (A4, margins, Times New Roman, page numbers) for a form that
    is not an issued document (the member's record 1-HSĐV): the caller writes its own heading."""
    doc = Document()
    _setup(doc)
    props = doc.core_properties
    props.title, props.author = text(title), text(author)
    props.last_modified_by = props.author
    props.language, props.comments = "vi-VN", ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return doc


def add_line(doc: DocxDocument, value: str, **style) -> Paragraph:
    """One line of a form (centred unless `align` says otherwise; `size` in points)."""
    if "size" in style and style["size"] is not None:
        style["size"] = Pt(style["size"])
    return _line(doc.add_paragraph(), value, **style)


def add_signature(doc: DocxDocument, signature: Signature, left: str = "") -> None:
    """The foot of a form: `signature` on the right, an optional note (e.g. a date line) on the left."""
    _foot(doc, signature, [], None)
    if left:
        _line(_first(doc.tables[-1].cell(0, 0)), left, size=SIZE_BODY, italic=True, align="left")


# --- Rendering ----------------------------------------------------------------------------------------


def _set_fonts(rpr, name: str = FONT) -> None:
    """Set every script's font in a run-properties element (python-docx sets only ascii/hAnsi): Word picks
    cs/eastAsia for some Vietnamese characters on some systems."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)

    _document_defaults(doc)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE_BODY
    _set_fonts(normal.element.get_or_add_rPr())
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    # Page numbers centred at the top, from page 2 (36-HD).
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])


def _document_defaults(doc: DocxDocument) -> None:
    """The template's defaults use theme fonts (Calibri), which Word prefers over explicit names: replace
    them so that every style (tables, headers) falls back to Times New Roman, in Vietnamese."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in list(fonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del fonts.attrib[attr]
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")


def _page_number(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, value in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)


ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _line(
    paragraph: Paragraph,
    value: str,
    *,
    size=None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "center",
) -> Paragraph:
    paragraph.alignment = ALIGN[align]
    run = paragraph.add_run(text(value))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = size
    return paragraph


def _borderless(table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    props.append(borders)


def _grid(table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    props.append(borders)


def _columns(table, widths) -> None:
    """Fixed column widths (Word reads the cells, LibreOffice the grid)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _first(cell: _Cell) -> Paragraph:
    return cell.paragraphs[0]


def _header(doc: DocxDocument, header: Header) -> None:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _columns(table, [HEADER_LEFT, HEADER_RIGHT])
    left, right = table.rows[0].cells
    paragraph = _first(left)
    if header.higher:
        _line(paragraph, upper(header.higher), size=SIZE_ORG)
        paragraph = left.add_paragraph()
    _line(paragraph, upper(header.issuer), size=SIZE_ORG, bold=True)
    _line(left.add_paragraph(), "*", size=SIZE_ORG)
    _line(left.add_paragraph(), header.number_line(), size=SIZE_ORG)
    _line(_first(right), "ĐẢNG CỘNG SẢN VIỆT NAM", size=SIZE_TITLE, bold=True, underline=True)
    spacer = right.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    _line(right.add_paragraph(), place_and_date(header.place, header.date), size=SIZE_BODY, italic=True)
    doc.add_paragraph()


def _title(doc: DocxDocument, kind: str, subject: str) -> None:
    paragraph = _line(doc.add_paragraph(), upper(kind), size=SIZE_KIND, bold=True)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    if subject:
        paragraph = _line(doc.add_paragraph(), subject, size=SIZE_BODY, bold=True)
        paragraph.paragraph_format.keep_with_next = True
    rule = _line(doc.add_paragraph(), "-----", size=SIZE_BODY)
    rule.paragraph_format.space_after = Pt(12)


def add_block(doc: DocxDocument, block: Block) -> None:
    """Append a body block (a string is a plain justified paragraph)."""
    if isinstance(block, Table):
        _table(doc, block)
        return
    para = Para(block) if isinstance(block, str) else block
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN[para.align]
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    if para.indent and para.align == "justify":
        fmt.first_line_indent = FIRST_LINE_INDENT
    size = Pt(para.size) if para.size else None
    if para.lead:
        run = paragraph.add_run(text(para.lead) + " ")
        run.bold = True
        if size:
            run.font.size = size
    run = paragraph.add_run(text(para.text))
    run.bold, run.italic = para.bold, para.italic
    if size:
        run.font.size = size


def _table(doc: DocxDocument, block: Table) -> None:
    columns = max((len(r) for r in block.rows), default=0)
    if not columns:
        return
    table = doc.add_table(rows=len(block.rows), cols=columns)
    _grid(table)
    if block.widths_mm:
        _columns(table, [Mm(w) for w in block.widths_mm])
    for r, row in enumerate(block.rows):
        for c in range(columns):
            value = row[c] if c < len(row) else ""
            heading = r < block.heading_rows
            _line(
                _first(table.cell(r, c)),
                value,
                size=SIZE_TABLE,
                bold=heading,
                align="center" if heading else "left",
            )
    doc.add_paragraph()


def _recipient_lines(recipients: list[str]) -> list[str]:
    """'- Đảng ủy Sở Một,' … '- Lưu chi bộ.' (36-HD: a comma after each, a full stop after the last)."""
    lines = []
    for i, item in enumerate(recipients):
        item = text(item).strip().rstrip(",.;")
        mark = "." if i == len(recipients) - 1 else ","
        lines.append(f"- {item}{mark}")
    return lines


def _signature(cell: _Cell, signature: Signature) -> None:
    paragraph = _first(cell)
    if signature.on_behalf:
        _line(paragraph, upper(signature.on_behalf), size=SIZE_BODY, bold=True)
        paragraph = cell.add_paragraph()
    _line(paragraph, upper(signature.title), size=SIZE_BODY, bold=True)
    for _ in range(SIGNATURE_SPACE_LINES):
        cell.add_paragraph()
    _line(cell.add_paragraph(), signature.name, size=SIZE_BODY, bold=True)


def _foot(
    doc: DocxDocument,
    signature: Signature | None,
    recipients: list[str],
    left_signature: Signature | None = None,
) -> None:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _columns(table, [FOOT_LEFT, FOOT_RIGHT])
    left, right = table.rows[0].cells
    if left_signature:
        _signature(left, left_signature)
    elif recipients:
        _line(_first(left), "Nơi nhận:", size=SIZE_BODY, underline=True, align="left")
        for line in _recipient_lines(recipients):
            _line(left.add_paragraph(), line, size=SIZE_RECIPIENTS, align="left")
    if signature:
        _signature(right, signature)
    if left_signature and recipients:
        _line(doc.add_paragraph(), "Nơi nhận:", size=SIZE_BODY, underline=True, align="left")
        for line in _recipient_lines(recipients):
            _line(doc.add_paragraph(), line, size=SIZE_RECIPIENTS, align="left")
