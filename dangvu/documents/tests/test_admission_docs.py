"""The admission forms generated from a candidate walked through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.admission.models import Stage
from dangvu.documents import admission
from dangvu.documents.tests.conftest import body_text, open_docx, walk
from dangvu.orgs.models import Committee, CommitteeSeat, Position, Term

pytestmark = pytest.mark.django_db

NAME = "Võ Thị Hồng Nhung"


def generated(step):
    result = admission.document_for(step)
    return result.filename, open_docx(result.content)


def header_lines(doc) -> tuple[list[str], list[str]]:
    left, right = doc.tables[0].cell(0, 0), doc.tables[0].cell(0, 1)
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs if p.text]


def signature(doc) -> list[str]:
    return [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text]


def recipients(doc) -> list[str]:
    return [p.text for p in doc.tables[-1].cell(0, 0).paragraphs]


def articles(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.startswith("Điều ")]


def test_cell_resolution(walked, tree):
    step = walked.step(Stage.CELL_RESOLUTION)
    filename, doc = generated(step)
    assert filename == f"nghi-quyet-chi-bo-{walked.candidate.pk}.docx"
    left, right = header_lines(doc)
    assert left == ["ĐẢNG BỘ SỞ MỘT", "CHI BỘ PHÒNG MỘT", "*", "Số 12-NQ/CB"]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Cần Thơ, ngày 10 tháng 4 năm 2024"]
    text = body_text(doc)
    assert "NGHỊ QUYẾT" in text and "đề nghị kết nạp đảng viên" in text
    assert f"{NAME}, sinh ngày 05/04/1998; quê quán: xã Phong Điền, thành phố Cần Thơ; nghề nghiệp: Chuyên viên" in text
    # Three official members on that day; two agreed, one against.
    assert "Tổng số đảng viên chính thức: 3; tán thành: 2 (đạt 66,67%); không tán thành: 1 (33,33%)." in text
    assert f"Chi bộ Phòng Một đề nghị Đảng ủy Sở Một xem xét, quyết định kết nạp quần chúng {NAME}" in text
    assert signature(doc) == ["T/M CHI BỘ", "BÍ THƯ"]  # no secretary seat recorded: the name is left blank
    assert recipients(doc) == ["Nơi nhận:", "- Đảng ủy Sở Một,", "- Lưu chi bộ."]


def test_cell_resolution_signed_by_the_secretary_in_office(walked, tree, people):
    term = Term.objects.create(code="2020-2025", start=dt.date(2020, 10, 1), end=dt.date(2025, 9, 30))
    committee = Committee.objects.create(organisation=tree.c1, term=term, elected_on=dt.date(2020, 10, 1))
    CommitteeSeat.objects.create(
        committee=committee, member=people["binh"], position=Position.SECRETARY, valid_from=dt.date(2020, 10, 1)
    )
    _filename, doc = generated(walked.step(Stage.CELL_RESOLUTION))
    assert signature(doc) == ["T/M CHI BỘ", "BÍ THƯ", "Trần Thị Bình"]


def test_committee_resolution(walked):
    filename, doc = generated(walked.step(Stage.COMMITTEE_RESOLUTION))
    assert filename == f"nghi-quyet-dang-uy-{walked.candidate.pk}.docx"
    left, right = header_lines(doc)
    assert left == ["ĐẢNG BỘ CÁC CƠ QUAN A", "ĐẢNG ỦY SỞ MỘT", "*", "Số 34-NQ/ĐU"]
    assert right[1] == "Cần Thơ, ngày 20 tháng 4 năm 2024"
    text = body_text(doc)
    assert "đề nghị của Chi bộ Phòng Một (Nghị quyết số 12-NQ/CB ngày 10/04/2024 của Chi bộ Phòng Một)" in text
    assert "Tổng số cấp ủy viên: 9; tán thành: 7 (đạt 77,78%)." in text
    assert (
        f"Đảng ủy Sở Một đề nghị Ban Thường vụ Đảng ủy các cơ quan A xem xét, quyết định kết nạp quần chúng {NAME}"
    ) in text
    assert signature(doc) == ["T/M ĐẢNG ỦY", "BÍ THƯ"]


def test_decision(walked):
    filename, doc = generated(walked.step(Stage.DECISION))
    assert filename == f"quyet-dinh-ket-nap-{walked.candidate.pk}.docx"
    left, right = header_lines(doc)
    assert left == ["ĐẢNG BỘ THÀNH PHỐ THỬ", "ĐẢNG ỦY CÁC CƠ QUAN A", "*", "Số 56-QĐ/ĐU"]
    assert right[1] == "Cần Thơ, ngày 06 tháng 5 năm 2024"
    text = body_text(doc)
    assert "QUYẾT ĐỊNH" in text and "kết nạp đảng viên" in text
    assert "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;" in text
    assert "Nghị quyết số 12-NQ/CB ngày 10/04/2024 của Chi bộ Phòng Một" in text
    assert "Nghị quyết số 34-NQ/ĐU ngày 20/04/2024 của Đảng ủy Sở Một" in text
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY CÁC CƠ QUAN A QUYẾT ĐỊNH:" in text
    assert articles(doc) == [
        f"Điều 1. Kết nạp quần chúng {NAME}, sinh ngày 05/04/1998; quê quán: xã Phong Điền, thành phố Cần Thơ; "
        "nghề nghiệp: Chuyên viên, vào Đảng Cộng sản Việt Nam.",
        f"Điều 2. Thời kỳ dự bị của đồng chí {NAME} là 12 tháng, kể từ ngày chi bộ tổ chức lễ kết nạp.",
        f"Điều 3. Đảng ủy Sở Một, Chi bộ Phòng Một và đồng chí {NAME} chịu trách nhiệm thi hành Quyết định này.",
    ]
    assert signature(doc) == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert recipients(doc)[1:] == [
        "- Đảng ủy Sở Một,",
        "- Chi bộ Phòng Một,",
        "- Như Điều 3,",
        "- Lưu hồ sơ đảng viên.",
    ]


def test_official_resolution(walked):
    filename, doc = generated(walked.step(Stage.OFFICIAL_RESOLUTION))
    assert filename == f"nghi-quyet-cong-nhan-chinh-thuc-{walked.candidate.pk}.docx"
    left, right = header_lines(doc)
    assert left == ["ĐẢNG BỘ SỞ MỘT", "CHI BỘ PHÒNG MỘT", "*", "Số 20-NQ/CB"]
    assert right[1] == "Cần Thơ, ngày 26 tháng 5 năm 2025"
    text = body_text(doc)
    assert "đề nghị công nhận đảng viên chính thức" in text
    assert "được kết nạp vào Đảng theo Quyết định số 56-QĐ/ĐU ngày 06/05/2024 của Đảng ủy các cơ quan A" in text
    assert "thời kỳ dự bị 12 tháng kể từ ngày 20/05/2024" in text
    assert "Tổng số đảng viên chính thức: 3; tán thành: 3 (đạt 100%)." in text
    assert (
        f"Chi bộ Phòng Một đề nghị Đảng ủy Sở Một xem xét, quyết định công nhận đồng chí {NAME} "
        "là đảng viên chính thức."
    ) in text


def test_official_decision(walked):
    assert walked.candidate.member.official_date == dt.date(2025, 5, 20)
    filename, doc = generated(walked.step(Stage.OFFICIAL_DECISION))
    assert filename == f"quyet-dinh-cong-nhan-chinh-thuc-{walked.candidate.pk}.docx"
    left, right = header_lines(doc)
    # No issuer recorded on this step: the committee that admitted decides.
    assert left == ["ĐẢNG BỘ THÀNH PHỐ THỬ", "ĐẢNG ỦY CÁC CƠ QUAN A", "*", "Số 90-QĐ/ĐU"]
    assert right[1] == "Cần Thơ, ngày 02 tháng 6 năm 2025"
    text = body_text(doc)
    assert "công nhận đảng viên chính thức" in text
    assert "Xét Nghị quyết số 20-NQ/CB ngày 26/05/2025 của Chi bộ Phòng Một" in text
    first, second, third = articles(doc)
    assert first.startswith(f"Điều 1. Công nhận đồng chí {NAME}, sinh ngày 05/04/1998")
    # Official from the end of the 12 months of probation, not from the (later) decision.
    assert first.endswith("là đảng viên chính thức kể từ ngày 20/05/2025.")
    assert second.startswith("Điều 2. Chi bộ Phòng Một ghi vào hồ sơ đảng viên")
    assert third.startswith("Điều 3. Đảng ủy Sở Một, Chi bộ Phòng Một")


@pytest.fixture
def removed(tree, people, cast, c1_officials):
    """The cell's vote on official membership falls below 2/3: the cell proposes removal."""
    return walk(tree.c1, [people["an"], people["binh"]], cast.office, official_votes=1)


def test_official_resolution_proposing_removal(removed):
    step = removed.step(Stage.OFFICIAL_RESOLUTION)
    assert step.recognised is False
    filename, doc = generated(step)
    assert filename == f"nghi-quyet-xoa-ten-{removed.candidate.pk}.docx"
    text = body_text(doc)
    assert "đề nghị xóa tên đảng viên dự bị" in text
    assert "Tổng số đảng viên chính thức: 3; tán thành: 1 (đạt 33,33%)." in text
    assert f"quyết định xóa tên đồng chí {NAME} trong danh sách đảng viên dự bị" in text
    assert "công nhận đồng chí" not in text


def test_removal_decision(removed):
    step = removed.step(Stage.OFFICIAL_DECISION)
    assert step.recognised is False
    filename, doc = generated(step)
    assert filename == f"quyet-dinh-xoa-ten-{removed.candidate.pk}.docx"
    text = body_text(doc)
    assert "xóa tên đảng viên dự bị" in text
    first = articles(doc)[0]
    assert first.startswith(f"Điều 1. Xóa tên đồng chí {NAME}")
    assert "trong danh sách đảng viên dự bị vì không đủ tư cách đảng viên chính thức" in first
    assert "là đảng viên chính thức" not in text


def test_grassroots_cell_proposes_to_the_committee_above(tree, people, cast):
    """A grassroots cell (chi bộ cơ sở) has no committee resolution: it proposes to the committee above."""
    officials = [testing.member(tree.a_cell_base, f"Đảng Viên Ban Hai {i}") for i in range(3)]
    result = walk(tree.a_cell_base, officials[:2], cast.office, until=Stage.DECISION, fields={"citizen_id": None})
    assert Stage.COMMITTEE_RESOLUTION not in result.steps
    _filename, doc = generated(result.step(Stage.CELL_RESOLUTION))
    left, _right = header_lines(doc)
    assert left == ["ĐẢNG BỘ CÁC CƠ QUAN A", "CHI BỘ BAN HAI", "*", "Số 12-NQ/CB"]
    assert "Chi bộ Ban Hai đề nghị Đảng ủy các cơ quan A xem xét" in body_text(doc)
    _filename, doc = generated(result.step(Stage.DECISION))
    assert header_lines(doc)[0][:2] == ["ĐẢNG BỘ THÀNH PHỐ THỬ", "ĐẢNG ỦY CÁC CƠ QUAN A"]
    assert "Nghị quyết số 34-NQ/ĐU" not in body_text(doc)


def test_place_comes_from_the_setting(walked, settings):
    settings.DANGVU_DOCUMENT_PLACE = "Sóc Trăng"
    _filename, doc = generated(walked.step(Stage.DECISION))
    assert header_lines(doc)[1][1] == "Sóc Trăng, ngày 06 tháng 5 năm 2024"


def test_stages_without_a_form(walked):
    assert not admission.has_form(walked.step(Stage.CEREMONY))
    assert not admission.has_form(walked.step(Stage.COURSE))
    assert admission.has_form(walked.step(Stage.DECISION))


@pytest.mark.parametrize(
    ("issuer", "left", "enacting"),
    [
        # The standing committee named in the record: the header names the committee itself.
        (
            "Ban Thường vụ Đảng ủy các cơ quan A",
            ["ĐẢNG BỘ THÀNH PHỐ THỬ", "ĐẢNG ỦY CÁC CƠ QUAN A"],
            "BAN THƯỜNG VỤ ĐẢNG ỦY CÁC CƠ QUAN A QUYẾT ĐỊNH:",
        ),
        # A grassroots committee authorised to admit: the level above it is committee A.
        ("Đảng ủy Sở Một", ["ĐẢNG BỘ CÁC CƠ QUAN A", "ĐẢNG ỦY SỞ MỘT"], "BAN THƯỜNG VỤ ĐẢNG ỦY SỞ MỘT QUYẾT ĐỊNH:"),
        # Not in the tree: the text as recorded, above it the parent of the usual deciding level.
        ("Thành ủy Thử", ["ĐẢNG BỘ THÀNH PHỐ THỬ", "THÀNH ỦY THỬ"], "BAN THƯỜNG VỤ THÀNH ỦY THỬ QUYẾT ĐỊNH:"),
    ],
)
def test_decision_issuer_from_the_record(walked, issuer, left, enacting):
    step = walked.step(Stage.DECISION)
    step.issuer = issuer  # as if recorded so (the document reads the step)
    doc = open_docx(admission.build(step).to_bytes())
    assert header_lines(doc)[0][:2] == left
    assert enacting in body_text(doc)
