"""The Party-document layout (Hướng dẫn 36-HD/VPTW) read back with python-docx."""

from __future__ import annotations

import datetime as dt
import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from dangvu.documents.partydoc import (
    Header,
    Para,
    PartyDocument,
    Signature,
    Table,
    percent,
    place_and_date,
    vn_date,
)
from dangvu.documents.tests.conftest import body_text, open_docx


def sample(**changes) -> PartyDocument:
    values = {
        "header": Header(
            higher="Đảng bộ các cơ quan A",
            issuer="Chi bộ Phòng Một",
            number="12-NQ/CB",
            place="Cần Thơ",
            date=dt.date(2026, 3, 5),
        ),
        "kind": "Nghị quyết",
        "subject": "Đề nghị kết nạp đảng viên",
        "paragraphs": ["Đoạn thứ nhất.", Para("Đoạn thứ hai.", lead="1.")],
        "articles": ["Kết nạp quần chúng A.", "Thời kỳ dự bị 12 tháng."],
        "signature": Signature(on_behalf="T/M chi bộ", title="Bí thư", name="Nguyễn Văn An"),
        "recipients": ["Đảng ủy Sở Một", "Lưu chi bộ"],
    }
    values.update(changes)
    return PartyDocument(**values)


def test_vn_date_follows_36_hd():
    assert vn_date(dt.date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert vn_date(dt.date(2018, 2, 20)) == "ngày 20 tháng 02 năm 2018"
    assert vn_date(dt.date(2025, 1, 1)) == "ngày 01 tháng 01 năm 2025"
    assert vn_date(dt.date(2025, 12, 15)) == "ngày 15 tháng 12 năm 2025"
    assert place_and_date("Cần Thơ", dt.date(2026, 3, 5)) == "Cần Thơ, ngày 05 tháng 3 năm 2026"
    assert place_and_date("Cần Thơ", None).startswith("Cần Thơ, ngày")


def test_percent_uses_a_decimal_comma():
    assert percent(2, 3) == "66,67%"
    assert percent(3, 3) == "100%"
    assert percent(1, 4) == "25%"
    assert percent(1, 8) == "12,5%"
    assert percent(1, 0) == ""


def test_page_a4_margins_and_font():
    doc = open_docx(sample().to_bytes())
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }


def test_header_columns():
    doc = open_docx(sample().to_bytes())
    header = doc.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ CÁC CƠ QUAN A", "CHI BỘ PHÒNG MỘT", "*", "Số 12-NQ/CB"]
    issuer = left.paragraphs[1].runs[0]
    assert issuer.bold and not left.paragraphs[0].runs[0].bold
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in left.paragraphs)
    title = right.paragraphs[0]
    assert title.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert title.runs[0].bold and title.runs[0].underline
    date_line = right.paragraphs[-1]
    assert date_line.text == "Cần Thơ, ngày 05 tháng 3 năm 2026"
    assert date_line.runs[0].italic
    # Borderless: every edge is switched off.
    borders = header._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders")
    assert borders is not None
    assert {b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") for b in borders} == {"nil"}


def test_kind_subject_body_and_articles():
    doc = open_docx(sample().to_bytes())
    paragraphs = [p for p in doc.paragraphs if p.text]
    kind, subject = paragraphs[0], paragraphs[1]
    assert kind.text == "NGHỊ QUYẾT" and kind.runs[0].bold
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert subject.text == "Đề nghị kết nạp đảng viên" and subject.runs[0].bold
    body = next(p for p in paragraphs if p.text == "Đoạn thứ nhất.")
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    lead = next(p for p in paragraphs if p.text == "1. Đoạn thứ hai.")
    assert lead.runs[0].bold and not lead.runs[1].bold
    articles = [p for p in paragraphs if p.text.startswith("Điều ")]
    assert [a.text for a in articles] == ["Điều 1. Kết nạp quần chúng A.", "Điều 2. Thời kỳ dự bị 12 tháng."]
    assert articles[0].runs[0].text == "Điều 1. " and articles[0].runs[0].bold


def test_signature_right_and_recipients_left():
    doc = open_docx(sample().to_bytes())
    foot = doc.tables[-1]
    left, right = foot.cell(0, 0), foot.cell(0, 1)
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Đảng ủy Sở Một,", "- Lưu chi bộ."]
    assert left.paragraphs[0].runs[0].underline
    assert left.paragraphs[1].runs[0].font.size == Pt(12)
    signed = [p.text for p in right.paragraphs]
    assert signed[:2] == ["T/M CHI BỘ", "BÍ THƯ"]
    assert signed[-1] == "Nguyễn Văn An"
    assert signed[2:-1] == [""] * (len(signed) - 3) and len(signed) > 4  # room to sign and seal


def test_empty_number_and_no_signer_leave_room_to_fill_in():
    header = Header(issuer="Chi bộ Phòng Một", number="", number_code="NQ", place="Cần Thơ", date=None)
    doc = open_docx(sample(header=header, signature=Signature("T/M CHI BỘ", "BÍ THƯ")).to_bytes())
    left = doc.tables[0].cell(0, 0)
    assert [p.text for p in left.paragraphs] == ["CHI BỘ PHÒNG MỘT", "*", "Số ...-NQ/..."]
    assert doc.tables[-1].cell(0, 1).paragraphs[-1].text == ""
    assert Header(issuer="x", number="Số: 7-QĐ/ĐU").number_line() == "Số 7-QĐ/ĐU"


def test_text_is_written_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    doc = open_docx(sample(paragraphs=[decomposed], signature=Signature("T/M CHI BỘ", "BÍ THƯ", decomposed)).to_bytes())
    text = body_text(doc)
    assert "Nguyễn Thị Ánh" in text
    assert unicodedata.is_normalized("NFC", text)


def test_enacting_line_and_tables_for_reports():
    doc = open_docx(
        sample(
            enacting="Ban Thường vụ Đảng ủy quyết định:",
            closing=[Table([["STT", "Chỉ tiêu", "Kết quả"], ["1", "Kết nạp đảng viên", "621/300"]], [15, 100, 50])],
        ).to_bytes()
    )
    enacting = next(p for p in doc.paragraphs if p.text == "Ban Thường vụ Đảng ủy quyết định:")
    assert enacting.alignment == WD_ALIGN_PARAGRAPH.CENTER and enacting.runs[0].bold
    grid = doc.tables[1]
    assert [c.text for c in grid.rows[0].cells] == ["STT", "Chỉ tiêu", "Kết quả"]
    assert grid.cell(1, 2).text == "621/300"
    assert grid.cell(0, 0).paragraphs[0].runs[0].bold


def test_properties_and_defaults_name_the_document():
    doc = open_docx(sample().to_bytes())
    assert doc.core_properties.title == "NGHỊ QUYẾT Đề nghị kết nạp đảng viên"
    assert doc.core_properties.author == "Chi bộ Phòng Một"
    assert doc.core_properties.language == "vi-VN"
    assert doc.core_properties.created.year >= 2025  # not the template's date
    # The template's theme fonts (Calibri) are gone from the document defaults.
    styles_xml = doc.styles.element.xml
    assert "minorHAnsi" not in styles_xml.split("</w:docDefaults>")[0]
    # Page numbers from page 2: a different first page, a PAGE field in the default header.
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
