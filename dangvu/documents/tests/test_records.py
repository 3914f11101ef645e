"""The member's record (1-HSĐV) and the transfer introduction letter as DOCX (issue 9 item 16): real files
downloaded through the pages' links, opened back, their content checked; who may download them (allowed
and denied), and the personal-data table applied to what they hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.documents.tests.conftest import body_text, open_docx
from dangvu.members.models import Member
from dangvu.orgs.models import Committee, CommitteeSeat, Position, Term
from dangvu.transfers import services as transfers
from dangvu.transfers.models import TransferKind

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PERSON = {
    "birth_place": "Bệnh viện Đa khoa Cần Thơ",
    "home_town": "xã Mỹ Khánh, huyện Phong Điền",
    "residence": "số 12 đường 30/4, phường Xuân Khánh",
    "ethnicity": "Khmer",
    "religion": "Phật giáo",
    "occupation": "Kỹ sư xây dựng",
    "position": "Trưởng phòng Kỹ thuật",
    "general_education": "12/12",
    "professional_degree": "Thạc sĩ Xây dựng",
    "political_theory": "intermediate",
    "foreign_language": "Tiếng Anh B1",
    "card_number": "92012345",
}


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def hoa(tree):
    return testing.member(tree.c1, "Trần Thị Hòa", sex="F", birth=dt.date(1990, 8, 17), **PERSON)


def record_url(member) -> str:
    return reverse("documents:member_record", args=[member.pk])


def download(client, user, url: str):
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None
    assert response["Content-Type"] == DOCX and "no-store" in response["Cache-Control"]
    return 200, open_docx(response.content)


def test_member_record_in_the_party_form(client, cast, tree, hoa):
    status, doc = download(client, cast.office, record_url(hoa))
    assert status == 200
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[:4] == ["Mẫu 1-HSĐV", "ĐẢNG CỘNG SẢN VIỆT NAM", "LÝ LỊCH ĐẢNG VIÊN", lines[3]]
    assert lines[3].startswith("(Tóm tắt theo hồ sơ lưu trữ đến ngày ")
    text = body_text(doc)
    for expected in (
        "Đảng bộ trực thuộc: Đảng bộ các cơ quan A",
        "Đảng bộ cơ sở: Đảng bộ Sở Một",
        "Chi bộ: Chi bộ Phòng Một",
        "1) Họ và tên đang dùng: TRẦN THỊ HÒA",
        "Nam, nữ: Nữ",
        "Sinh ngày: 17/08/1990",
        "Nơi sinh: Bệnh viện Đa khoa Cần Thơ",
        "Quê quán: xã Mỹ Khánh, huyện Phong Điền",
        "Dân tộc: Khmer",
        "Tôn giáo: Phật giáo",
        f"Số định danh cá nhân (căn cước): {hoa.citizen_id}",
        "Lý luận chính trị: Trung cấp",
        "Ngày vào Đảng: 01/03/2016",
        "Số thẻ đảng viên: 92012345",
        "Tình trạng hiện nay: Đảng viên chính thức",
        "QUÁ TRÌNH SINH HOẠT ĐẢNG",
    ):
        assert expected in text, expected
    assert "Họ và tên khai sinh, tên gọi khác: " + "." * 60 in text  # not in the record: a line to fill in
    # The course of party life, from the record's events: a grid whose first row is its heading.
    course = doc.tables[0]  # the form has no header table: the course comes first, the signature last
    assert [c.text for c in course.rows[0].cells] == ["Ngày", "Diễn biến", "Tổ chức đảng", "Văn bản"]
    assert course.rows[1].cells[0].text == "01/03/2016" and course.rows[1].cells[2].text == "Chi bộ Phòng Một"
    # Signed for the grassroots committee; page and font of the Party layout.
    sign = [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text]
    assert sign == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_the_secretary_in_office_signs_the_record(client, cast, tree, hoa, people):
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 9, 1), end=dt.date(2030, 9, 1))
    committee = Committee.objects.create(organisation=tree.a_base, term=term, elected_on=dt.date(2025, 9, 20))
    CommitteeSeat.objects.create(
        committee=committee, member=people["binh"], position=Position.SECRETARY, valid_from=dt.date(2025, 9, 20)
    )
    _status, doc = download(client, cast.office, record_url(hoa))
    assert [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text] == [
        "T/M ĐẢNG ỦY",
        "BÍ THƯ",
        "Trần Thị Bình",
    ]


@pytest.mark.parametrize(
    ("who", "shown", "left_out"),
    [
        ("office", ["Quê quán", "Số định danh", "Tôn giáo", "Dân tộc", "Nơi cư trú"], []),
        ("inspector", ["Quê quán", "Nơi sinh", "Nơi cư trú"], ["Số định danh", "Tôn giáo", "Dân tộc"]),
        ("secretary", ["Nơi cư trú", "Sinh ngày"], ["Quê quán", "Nơi sinh", "Số định danh", "Tôn giáo", "Dân tộc"]),
        ("leader", ["Sinh ngày", "Số thẻ"], ["Quê quán", "Nơi cư trú", "Số định danh", "Tôn giáo", "Dân tộc"]),
    ],
)
def test_the_record_follows_the_personal_data_table(client, cast, hoa, who, shown, left_out):
    status, doc = download(client, getattr(cast, who), record_url(hoa))
    assert status == 200
    text = body_text(doc)
    for label in shown:
        assert f") {label}" in text, (who, label)
    for label in left_out:
        assert f") {label}" not in text, (who, label)
    assert ("Khmer" in text) == ("Dân tộc" in shown) and ("Phật giáo" in text) == ("Tôn giáo" in shown)
    fresh = Member.objects.get(pk=hoa.pk)
    assert (fresh.ethnicity, fresh.citizen_id) == ("Khmer", hoa.citizen_id)  # the record is not touched


def test_the_member_downloads_their_own_record_with_every_field(client, tree, hoa):
    own = testing.user("hoa", Role.MEMBER, tree.c1, member_record=hoa)
    status, doc = download(client, own, record_url(hoa))
    assert status == 200 and hoa.citizen_id in body_text(doc) and "Phật giáo" in body_text(doc)


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("member", 404), ("nobody", 404), ("admin", 200)])
def test_who_may_download_a_record(client, cast, hoa, who, status):
    assert download(client, getattr(cast, who), record_url(hoa))[0] == status


def test_record_needs_login(client, hoa):
    response = client.get(record_url(hoa))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_member_page_links_the_record(client, cast, hoa):
    client.force_login(cast.secretary)
    page = client.get(reverse("members:detail", args=[hoa.pk])).content.decode()
    assert f'href="{record_url(hoa)}"' in page


# --- Introduction letter ------------------------------------------------------------------------------------


@pytest.fixture
def letter(cast, tree, hoa):
    return transfers.issue(
        hoa,
        cast.office,
        kind=TransferKind.OFFICIAL,
        letter_number="15-GT/ĐU",
        letter_date=timezone.localdate() - dt.timedelta(days=2),
        to_organisation=tree.c3,
        issuer="Đảng ủy Sở Một",
        reason="Chuyển công tác về Công ty Ba",
    )


def letter_url(transfer) -> str:
    return reverse("documents:transfer_letter", args=[transfer.pk])


def test_introduction_letter_in_the_party_format(client, cast, letter, hoa):
    status, doc = download(client, cast.office, letter_url(letter))
    assert status == 200
    left = [p.text for p in doc.tables[0].cell(0, 0).paragraphs]
    right = [p.text for p in doc.tables[0].cell(0, 1).paragraphs if p.text]
    assert left == ["ĐẢNG BỘ CÁC CƠ QUAN A", "ĐẢNG ỦY SỞ MỘT", "*", "Số 15-GT/ĐU"]
    day = letter.letter_date
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[1].startswith(f"Cần Thơ, ngày {day.day:02d} tháng ")
    text = body_text(doc)
    for expected in (
        "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG",
        "(chính thức)",
        "Kính gửi: Đảng ủy Công ty Ba",
        "Đảng ủy Sở Một trân trọng giới thiệu đồng chí: Trần Thị Hòa.",
        "Sinh ngày 17/08/1990; quê quán: xã Mỹ Khánh, huyện Phong Điền.",
        "Đảng viên chính thức; vào Đảng ngày 01/03/2016",
        "Số thẻ đảng viên: 92012345.",
        "Đang sinh hoạt tại: Chi bộ Phòng Một.",
        "Được giới thiệu chuyển sinh hoạt đảng chính thức đến: Chi bộ Phân xưởng Ba.",
        "Lý do: Chuyển công tác về Công ty Ba.",
        f"Giấy giới thiệu này có giá trị đến hết ngày {letter.due_on:%d/%m/%Y}.",
    ):
        assert expected in text, expected
    sign = [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text]
    assert sign == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    assert [p.text for p in doc.tables[-1].cell(0, 0).paragraphs][:2] == ["Nơi nhận:", "- Như kính gửi,"]


def test_the_letter_follows_the_personal_data_table(client, cast, letter):
    _status, doc = download(client, cast.leader, letter_url(letter))  # staff: no home town, sees the card
    text = body_text(doc)
    assert "quê quán" not in text and "Sinh ngày 17/08/1990." in text and "92012345" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("admin", 200), ("secretary", 200), ("outsider", 403), ("member", 404), ("nobody", 404)],
)
def test_who_may_download_a_letter(client, cast, letter, who, status):
    # The receiving side (committee B's office) sees the transfer but the letter is the sending side's paper.
    assert download(client, getattr(cast, who), letter_url(letter))[0] == status


def test_the_transfer_page_links_the_letter_for_the_sending_side_only(client, cast, letter):
    url = reverse("transfers:detail", args=[letter.pk])
    client.force_login(cast.office)
    assert f'href="{letter_url(letter)}"' in client.get(url).content.decode()
    client.force_login(cast.outsider)
    page = client.get(url)
    assert page.status_code == 200 and letter_url(letter) not in page.content.decode()


def test_a_transfer_from_outside_has_no_letter_of_ours(client, cast, tree):
    arrived = transfers.receive_from_outside(
        {"full_name": "Phan Văn Tới", "sex": "M", "birth_date": dt.date(1988, 1, 2)},
        tree.c1,
        cast.office,
        date=timezone.localdate(),
        from_external="Đảng bộ xã Tân Lộc",
        letter_number="7-GT/ĐU",
        letter_date=timezone.localdate() - dt.timedelta(days=1),
        admission_date=dt.date(2015, 5, 5),
        official_date=dt.date(2016, 5, 5),
    )
    assert download(client, cast.office, letter_url(arrived))[0] == 404
