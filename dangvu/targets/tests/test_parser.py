"""Targets read from the text (issue 13 item 9): seed 003's targets for 2025–2030 (part II §III.2) read into
the right kind, threshold, comparison and period each, and what could not be read said; floors, ceilings,
counts, per-unit rates, several targets in one sentence and Vietnamese numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from dangvu.targets.parser import number, read


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):  # the notes as the office reads them
        yield


# Seed 003, part II §III.2, as pasted (its line breaks kept).
SEED_003 = """2. Chỉ tiêu cụ thể

(1) Ít nhất 98% cán bộ, đảng viên được học tập, quán triệt các nghị
quyết, chỉ thị của Đảng và pháp luật của Nhà nước gắn với sinh hoạt chuyên
đề về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.

(2) 100% tổ chức cơ sở đảng và đảng viên xây dựng kế hoạch thực hiện
tốt các nội dung chuyên đề học tập và làm theo tư tưởng, đạo đức, phong
cách Hồ Chí Minh;

(3) Hàng năm có ít nhất 95% đảng viên và trên 90% tổ chức cơ sở đảng
được đánh giá, xếp loại “Hoàn thành tốt nhiệm vụ”; phấn đấu không quá 1%
đảng viên vi phạm tư cách.

(4) Phấn đấu xây dựng Đảng bộ các cơ quan Đảng thành phố hằng năm
xếp loại “Hoàn thành tốt nhiệm vụ” trở lên.

(5) Trong nhiệm kỳ phấn đấu kết nạp từ 30 đảng viên trở lên.

(6) 100% tổ chức đảng thực hiện cải cách hành chính trong Đảng. Ít nhất
90% cấp ủy viên và tổ chức đảng, đảng viên sử dụng công nghệ và ứng dụng
chuyển đổi số trong lãnh đạo, quản lý, điều hành.

(7) Đảng ủy các cơ quan Đảng thành phố tiến hành kiểm tra, giám sát ít
nhất 15% tổ chức cơ sở đảng; Ủy ban Kiểm tra Đảng ủy kiểm tra, giám sát ít
nhất 15% tổ chức cơ sở đảng hằng năm.

(8) Hàng năm, 75% quần chúng tham gia vào các tổ chức chính trị,
chính trị - xã hội trong độ tuổi.
"""

# (item, kind, comparison, threshold, period, subject, indicator) for each target proposed, in order.
EXPECTED = [
    (1, "floor", "≥", "98", "term", "members", ""),
    (2, "floor", "≥", "100", "term", "grassroots", ""),
    (3, "floor", "≥", "95", "year", "members", "reviews.members_good"),
    (3, "floor", ">", "90", "year", "grassroots", ""),
    (3, "ceiling", "≤", "1", "year", "members", "reviews.members_not_completed"),
    (4, "qualitative", "", None, "year", "other", ""),
    (5, "count", "≥", "30", "term", "members", "admission.admissions"),
    (6, "floor", "≥", "100", "term", "grassroots", ""),
    (6, "floor", "≥", "90", "term", "members", ""),
    (7, "floor", "≥", "15", "year", "grassroots", "inspection.coverage"),
    (7, "floor", "≥", "15", "year", "grassroots", "inspection.coverage"),
    (8, "floor", "≥", "75", "year", "staff", ""),
]


def test_seed_003_targets_for_2025_2030():
    reading = read(SEED_003)
    got = [
        (
            p.item,
            p.kind,
            p.comparison,
            None if p.threshold is None else str(p.threshold),
            p.period,
            p.subject,
            p.indicator,
        )
        for p in reading.proposals
    ]
    assert got == EXPECTED
    assert [p.position for p in reading.proposals] == list(range(1, 13))
    assert all(p.source == ("indicator" if p.indicator else "manual") for p in reading.proposals)
    # What it could not read is said: the heading, the qualitative item, the guesses.
    assert reading.unread == ["2. Chỉ tiêu cụ thể"]
    notes = {p.position: " ".join(p.notes) for p in reading.proposals}
    assert "Không đọc được con số: đề xuất là chỉ tiêu định tính" in notes[6]
    assert "Trước 100% không có từ so sánh" in notes[2] and "Trước 75% không có từ so sánh" in notes[12]
    assert "Không nêu thời hạn" in notes[1] and "Không nêu thời hạn" not in notes[7]
    assert "nhập tay kèm căn cứ" in notes[1] and notes[3] == "" and notes[7] == ""
    # Each keeps its item's text as written.
    assert reading.proposals[4].text.startswith("Hàng năm có ít nhất 95% đảng viên và trên 90%")


@pytest.mark.parametrize(
    ("written", "value"),
    [("1.000", "1000"), ("01", "1"), ("98,5", "98.5"), ("12.345.678", "12345678"), ("300", "300"), ("0,28", "0.28")],
)
def test_vietnamese_numbers(written, value):
    assert number(written) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "kind", "comparison", "threshold", "period"),
    [
        ("Trong nhiệm kỳ kết nạp 1.000 đảng viên trở lên.", "count", "≥", "1000", "term"),
        ("Tỷ lệ đảng viên bị kỷ luật dưới 01% mỗi năm.", "ceiling", "<", "1", "year"),
        ("Hằng năm có 98,5% đảng viên đạt chuẩn.", "floor", "≥", "98.5", "year"),
        ("Phấn đấu từ 95% tổ chức cơ sở đảng trở lên hoàn thành tốt nhiệm vụ.", "floor", "≥", "95", "term"),
        ("Trên 90% chi bộ sinh hoạt định kỳ đúng quy định.", "floor", ">", "90", "term"),
        ("Không quá 5 đảng viên bị kỷ luật trong nhiệm kỳ.", "ceiling", "≤", "5", "term"),
        ("Mỗi chi bộ sinh hoạt ít nhất 02 chuyên đề/chi bộ/năm.", "rate", "≥", "2", "year"),
        ("Tỷ lệ tổ chức cơ sở đảng đạt 100% hằng năm.", "floor", "≥", "100", "year"),
        ("Không để xảy ra đảng viên vi phạm phải xử lý kỷ luật.", "ceiling", "≤", "0", "term"),
    ],
)
def test_one_target_each(text, kind, comparison, threshold, period):
    [p] = read(text).proposals
    assert (p.kind, p.comparison, str(p.threshold), p.period) == (kind, comparison, threshold, period)


def test_indicators_and_subjects_proposed():
    [rate] = read("Mỗi chi bộ sinh hoạt ít nhất 02 chuyên đề mỗi chi bộ mỗi năm.").proposals
    assert (rate.subject, rate.indicator, rate.source) == ("cells", "meetings.thematic_per_cell", "indicator")
    [ceiling] = read("Không quá 5 đảng viên bị kỷ luật trong nhiệm kỳ.").proposals
    assert (ceiling.subject, ceiling.indicator) == ("members", "discipline.members")
    [study] = read("(1) Ít nhất 98% cán bộ, công chức học tập nghị quyết.").proposals
    assert (study.subject, study.indicator, study.source) == ("staff", "", "manual")


def test_years_and_document_numbers_are_not_figures():
    [p] = read("(1) Thực hiện Hướng dẫn số 09-HD/ĐUK nhiệm kỳ 2025 - 2030 đạt 100% chi bộ.").proposals
    assert (p.kind, str(p.threshold), p.subject) == ("floor", "100", "cells")


def test_what_it_cannot_read_is_said():
    reading = read("Nâng cao chất lượng sinh hoạt chi bộ.\nMột số việc khác theo tình hình.")
    assert [p.kind for p in reading.proposals] == ["qualitative", "qualitative"]
    assert all("Không đọc được con số" in " ".join(p.notes) for p in reading.proposals)
    [odd] = read("(1) Đạt 120% kế hoạch.").proposals
    assert "Tỷ lệ trên 100%" in " ".join(odd.notes) and "Không nhận ra đối tượng" in " ".join(odd.notes)
    assert read("").proposals == [] and read("   ").unread == []
