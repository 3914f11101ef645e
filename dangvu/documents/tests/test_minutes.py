"""The minutes (biên bản) and the resolution of a meeting, generated from the record built through
dangvu.meetings.services (issue 4 item 5): content of the DOCX, the approved file kept as approved, and who may
download them."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.documents.meetings import minutes_docx, resolution_docx
from dangvu.documents.partydoc import vn_date
from dangvu.documents.tests.conftest import body_text, open_docx
from dangvu.documents.views import DOCX
from dangvu.meetings import services
from dangvu.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingState,
    SpeakerRequest,
    Vote,
    VoteMethod,
    VoteRule,
)
from dangvu.members.models import EventKind, Member
from dangvu.members.services import record_event
from dangvu.orgs import committees
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Position, Term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

SECRET_Q = "Thông qua Nghị quyết chi bộ tháng"
NAMED_Q = "Đề nghị kết nạp quần chúng Võ Thị Hồng Nhung vào Đảng"
BLANK = "\u00a0" * 8  # the number is left blank to write in by hand
COUNT_Q = "Thông qua báo cáo kiểm điểm công tác tháng"


@dataclass
class World:
    meeting: Meeting
    people: dict[str, Member]
    chair_user: object
    votes: dict[str, Vote]


def inv(meeting: Meeting, member: Member) -> Invitation:
    return meeting.invitations.get(member=member)


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def seat(org, member, position, actor):
    term = Term.objects.get_or_create(code="2025-2030", start=dt.date(2025, 9, 1), end=dt.date(2030, 9, 30))[0]
    committee = org.committees.filter(term=term).first() or committees.elect_committee(
        org, term, dt.date(2025, 9, 20), actor
    )
    return committees.add_seat(committee, member, position, dt.date(2025, 9, 20), actor)


def c1_people(tree, people) -> dict[str, Member]:
    """C1: six official members (An, Bình, Cường, Giang, Hà, Khoa), a probationary one (Dũng) and an exempt one."""
    cell = tree.c1
    crowd = {
        "an": people["an"],
        "binh": people["binh"],
        "cuong": testing.member(cell, "Lê Văn Cường"),
        "giang": testing.member(cell, "Đỗ Thị Giang", sex="F"),
        "ha": testing.member(cell, "Hoàng Văn Hà"),
        "khoa": testing.member(cell, "Vũ Đăng Khoa"),
        "dung": testing.member(
            cell, "Phan Văn Dũng", official=False, admitted=timezone.localdate() - dt.timedelta(days=90)
        ),
        "mien": testing.member(cell, "Đinh Văn Miễn"),
    }
    record_event(crowd["mien"], kind=EventKind.EXEMPTION, date=dt.date(2025, 6, 1))
    return crowd


def plan(tree, crowd, actor, **kw) -> Meeting:
    kw.setdefault("kind", MeetingKind.REGULAR)
    kw.setdefault("starts_at", timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=40))
    return services.create_meeting(
        tree.c1, actor, place="Hội trường Sở Một", chair=crowd["binh"], secretary=crowd["cuong"], **kw
    )


@pytest.fixture
def world(tree, people, cast, media) -> World:
    """A regular meeting of C1 held through the services, its minutes written, not yet approved."""
    actor = cast.secretary
    crowd = c1_people(tree, people)
    seat(tree.c1, crowd["binh"], Position.SECRETARY, actor)  # the chair is the cell's secretary
    # The member of the grassroots committee in charge of C1 is invited as a guest.
    in_charge = seat(tree.a_base, people["duc"], Position.COMMITTEE_MEMBER, actor)
    committees.assign_leadership(in_charge, tree.c1, dt.date(2025, 10, 1), actor)
    chair_user = testing.user("chair", member_record=crowd["binh"])

    meeting = plan(
        tree,
        crowd,
        actor,
        agenda=[
            services.AgendaSpec(
                "Kiểm điểm công tác tháng", "Đánh giá kết quả thực hiện nhiệm vụ chính trị.", crowd["binh"]
            ),
            services.AgendaSpec("Xét đề nghị kết nạp đảng viên", presenter=crowd["cuong"]),
        ],
        external_guests=[("Trần Văn Khách", "Giám đốc Sở Một")],
    )
    first, second = meeting.agenda.order_by("position")
    services.open_meeting(meeting, actor)
    for key in ("an", "binh", "cuong", "giang"):
        services.check_in(inv(meeting, crowd[key]), actor, at=meeting.starts_at)
    services.check_in(inv(meeting, crowd["dung"]), actor, at=meeting.starts_at + dt.timedelta(minutes=20))
    services.check_in(inv(meeting, people["duc"]), actor, at=meeting.starts_at)
    guest = meeting.invitations.get(guest_name="Trần Văn Khách")
    services.mark_attendance(guest, actor, attendance=Attendance.PRESENT)
    services.mark_attendance(
        inv(meeting, crowd["ha"]), actor, attendance=Attendance.EXCUSED, reason="Đi công tác tại Hà Nội"
    )
    # Khoa is not recorded: closing the meeting marks him absent without leave.

    an_request = services.request_to_speak(inv(meeting, crowd["an"]), cast.member, first)
    services.request_to_speak(inv(meeting, crowd["giang"]), actor, first)
    services.request_to_speak(inv(meeting, crowd["dung"]), actor)  # on no agenda item
    for _ in range(3):
        services.next_speaker(meeting, actor)
    # No service writes a speaker's summary yet: the secretary's note is set on the row for this test.
    SpeakerRequest.objects.filter(pk=an_request.pk).update(summary="Đề nghị tăng cường kiểm tra, giám sát.")

    votes = {}
    for key, question, method, rule, item in (
        ("count", COUNT_Q, VoteMethod.COUNT, VoteRule.MAJORITY_OF_MEMBERS, first),
        ("named", NAMED_Q, VoteMethod.NAMED, VoteRule.TWO_THIRDS_OF_MEMBERS, second),
        ("secret", SECRET_Q, VoteMethod.SECRET, VoteRule.MAJORITY_OF_PRESENT, None),
    ):
        vote = services.create_vote(meeting, actor, question=question, method=method, rule=rule, agenda_item=item)
        services.open_vote(vote, actor)
        if method == VoteMethod.COUNT:
            services.close_vote(vote, actor, counts={"yes": 4, "no": 0, "abstain": 0})
        else:
            choices = {"an": "yes", "binh": "yes", "cuong": "yes", "giang": "no" if key == "named" else "abstain"}
            for person, choice in choices.items():
                services.cast(vote, inv(meeting, crowd[person]), choice)
            services.close_vote(vote, actor)
        vote.refresh_from_db()
        votes[key] = vote
    services.write_minutes(
        meeting,
        actor,
        discussion="Chi bộ thảo luận sôi nổi, thống nhất cao.",
        conclusions="Chi bộ hoàn thành tốt nhiệm vụ tháng.\nTiếp tục phát huy trong tháng tới.",
        resolution_number="07-NQ/CB",
        resolution_text="1. Hoàn thành kế hoạch công tác quý IV.\n2. Thu đảng phí đầy đủ, đúng hạn.",
    )
    services.close_meeting(meeting, actor)
    meeting.refresh_from_db()
    return World(meeting, {**crowd, "duc": people["duc"]}, chair_user, votes)


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in open_docx(content).paragraphs]


def block(lines: list[str], start: str) -> list[str]:
    """The lines of one vote: from its question to its verdict."""
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith("Kết quả:"))
    return lines[first : last + 1]


# --- Content ------------------------------------------------------------------------------------------


def test_header_title_and_opening(world):
    meeting = world.meeting
    doc = open_docx(minutes_docx(meeting))
    left, right = ([p.text for p in doc.tables[0].cell(0, c).paragraphs] for c in (0, 1))
    assert left == ["ĐẢNG BỘ SỞ MỘT", "CHI BỘ PHÒNG MỘT", "*", f"Số{BLANK}-BB/CB"]
    opened = local(meeting.opened_at)
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right[-1] == f"Cần Thơ, {vn_date(opened.date())}"
    lines = [p.text for p in doc.paragraphs]
    assert lines[0] == "DỰ THẢO"  # not approved yet
    month = vn_date(local(meeting.starts_at).date()).split(" ", 2)[2]
    assert "BIÊN BẢN" in lines and f"Sinh hoạt chi bộ thường kỳ {month}" in lines
    assert (
        f"Vào lúc {opened.hour:02d} giờ {opened.minute:02d}, {vn_date(opened.date())}, tại Hội trường Sở Một, "
        f"Chi bộ Phòng Một tiến hành sinh hoạt chi bộ thường kỳ {month}."
    ) in lines


def test_attendance_and_guests(world):
    text = body_text(open_docx(minutes_docx(world.meeting)))
    assert "- Chủ trì: đồng chí Trần Thị Bình, Bí thư Chi bộ Phòng Một." in text
    assert "- Thư ký: đồng chí Lê Văn Cường." in text
    # 8 members invited, the exempt one not expected; 6 official members vote.
    assert (
        "- Tổng số đảng viên: 8 đồng chí; số phải có mặt: 7 đồng chí (miễn sinh hoạt hoặc đang sinh hoạt tạm "
        "thời nơi khác: 1 đồng chí); có quyền biểu quyết: 6 đồng chí."
    ) in text
    assert (
        "- Có mặt: 5 đồng chí (đạt 71,43% số đảng viên phải có mặt); trong đó đến muộn 1 đồng chí: Phan Văn Dũng."
    ) in text
    assert "- Vắng có lý do: 1 đồng chí: Hoàng Văn Hà (Đi công tác tại Hà Nội)." in text
    assert "- Vắng không lý do: 1 đồng chí: Vũ Đăng Khoa." in text
    assert (
        "- Đại biểu dự: đồng chí Lê Minh Đức, Ủy viên Ban Chấp hành Đảng bộ Sở Một; Trần Văn Khách, Giám đốc Sở Một."
    ) in text
    assert "Đinh Văn Miễn" not in text  # exempt and absent: neither expected nor listed


def test_agenda_speakers_discussion_conclusions_resolution(world):
    lines = paragraphs(minutes_docx(world.meeting))
    assert "Chủ trì thông qua chương trình gồm 2 nội dung:" in lines
    assert "1. Kiểm điểm công tác tháng" in lines and "2. Xét đề nghị kết nạp đảng viên" in lines
    assert "Đồng chí Trần Thị Bình trình bày." in lines
    assert "Đánh giá kết quả thực hiện nhiệm vụ chính trị." in lines
    assert "- Đồng chí Nguyễn Văn An: Đề nghị tăng cường kiểm tra, giám sát." in lines
    assert "- Đồng chí Đỗ Thị Giang." in lines
    discussion = lines.index("III. THẢO LUẬN")
    assert lines[discussion + 1] == "Chi bộ thảo luận sôi nổi, thống nhất cao."
    assert "- Đồng chí Phan Văn Dũng." in lines[discussion:]  # spoke on no agenda item
    conclusions = lines.index("V. KẾT LUẬN")
    assert lines[conclusions + 1 : conclusions + 3] == [
        "Chi bộ hoàn thành tốt nhiệm vụ tháng.",
        "Tiếp tục phát huy trong tháng tới.",
    ]
    resolution = lines.index("VI. NGHỊ QUYẾT")
    assert lines[resolution + 1 : resolution + 4] == [
        "Chi bộ Phòng Một ban hành Nghị quyết số 07-NQ/CB:",
        "1. Hoàn thành kế hoạch công tác quý IV.",
        "2. Thu đảng phí đầy đủ, đúng hạn.",
    ]
    end = local(world.meeting.ends_at)
    ending = f"Buổi sinh hoạt kết thúc vào lúc {end.hour:02d} giờ {end.minute:02d}"
    assert any(line.startswith(ending) for line in lines)


def test_votes_with_counts_percentages_and_verdicts(world):
    lines = paragraphs(minutes_docx(world.meeting))
    count = block(lines, f"Biểu quyết: {COUNT_Q}")
    assert count[1] == (
        "Hình thức: biểu quyết giơ tay. Điều kiện thông qua: quá 1/2 tổng số đảng viên có quyền biểu quyết "
        "(4 phiếu tán thành)."
    )
    assert count[2] == "Số đảng viên có quyền biểu quyết: 6; có mặt: 4."
    assert count[3] == (
        "Tán thành: 4 (66,67%); không tán thành: 0 (0%); không biểu quyết: 0 (0%) - tỷ lệ trên tổng số 6 đảng viên "
        "có quyền biểu quyết."
    )
    assert count[4] == "Kết quả: thông qua."
    named = block(lines, f"Biểu quyết: {NAMED_Q}")
    assert "ít nhất 2/3 tổng số đảng viên có quyền biểu quyết (4 phiếu tán thành)" in named[1]
    assert named[3].startswith("Tán thành: 3 (50%); không tán thành: 1 (16,67%);")
    assert named[-1] == "Kết quả: không thông qua."  # 3 of 6 is short of two thirds
    secret = block(lines, f"Biểu quyết: {SECRET_Q}")
    assert secret[1].startswith("Hình thức: bỏ phiếu kín. Điều kiện thông qua: quá 1/2 số đảng viên có quyền")
    assert "Số phiếu thu vào: 4." in secret
    assert (
        "Tán thành: 3 (75%); không tán thành: 0 (0%); không biểu quyết: 1 (25%) - tỷ lệ trên tổng số 4 đảng viên "
        "có quyền biểu quyết có mặt."
    ) in secret
    assert secret[-1] == "Kết quả: thông qua."
    # The vote on an agenda item sits under that item; the secret vote (no item) in its own section.
    assert lines.index("1. Kiểm điểm công tác tháng", 5) < lines.index(count[0]) < lines.index(named[0])
    assert lines.index("IV. BIỂU QUYẾT") < lines.index(secret[0])


def test_secret_vote_names_nobody_and_named_vote_has_its_annex(world):
    doc = open_docx(minutes_docx(world.meeting))
    lines = [p.text for p in doc.paragraphs]
    names = [m.full_name for m in world.people.values()]
    secret = "\n".join(block(lines, f"Biểu quyết: {SECRET_Q}"))
    assert not [name for name in names if name in secret]
    annex = lines.index("PHỤ LỤC")
    assert f"Biểu quyết: {NAMED_Q}" in lines[annex:]
    assert f"Biểu quyết: {SECRET_Q}" not in lines[annex:] and f"Biểu quyết: {COUNT_Q}" not in lines[annex:]
    table = doc.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Họ và tên", "Biểu quyết"]
    assert rows[1:] == [  # in name order (given name first)
        ["1", "Nguyễn Văn An", "Tán thành"],
        ["2", "Trần Thị Bình", "Tán thành"],
        ["3", "Lê Văn Cường", "Tán thành"],
        ["4", "Đỗ Thị Giang", "Không tán thành"],
    ]


def test_signatures_secretary_left_chair_right(world):
    doc = open_docx(minutes_docx(world.meeting))
    foot = next(t for t in doc.tables if t.cell(0, 1).paragraphs[0].text == "CHỦ TRÌ")
    left = [p.text for p in foot.cell(0, 0).paragraphs if p.text]
    right = [p.text for p in foot.cell(0, 1).paragraphs if p.text]
    assert left == ["THƯ KÝ", "Lê Văn Cường"]
    assert right == ["CHỦ TRÌ", "Trần Thị Bình"]


def test_resolution(world):
    doc = open_docx(resolution_docx(world.meeting))
    left = [p.text for p in doc.tables[0].cell(0, 0).paragraphs]
    assert left == ["ĐẢNG BỘ SỞ MỘT", "CHI BỘ PHÒNG MỘT", "*", "Số 07-NQ/CB"]
    lines = [p.text for p in doc.paragraphs]
    assert "NGHỊ QUYẾT" in lines and "CHI BỘ PHÒNG MỘT QUYẾT NGHỊ:" in lines
    enacting = lines.index("CHI BỘ PHÒNG MỘT QUYẾT NGHỊ:")
    assert lines[enacting + 1 : enacting + 3] == [
        "1. Hoàn thành kế hoạch công tác quý IV.",
        "2. Thu đảng phí đầy đủ, đúng hạn.",
    ]
    foot = doc.tables[-1]
    assert [p.text for p in foot.cell(0, 1).paragraphs if p.text] == ["T/M CHI BỘ", "BÍ THƯ", "Trần Thị Bình"]
    recipients = [p.text for p in foot.cell(0, 0).paragraphs]
    assert recipients[:2] == ["Nơi nhận:", "- Đảng ủy Sở Một,"]


def test_committee_and_thematic_meetings(tree, people, cast, media):
    crowd = c1_people(tree, people)
    actor = cast.secretary
    seat(tree.c1, crowd["binh"], Position.SECRETARY, actor)
    seat(tree.c1, crowd["cuong"], Position.CELL_COMMITTEE_MEMBER, actor)
    committee = plan(tree, crowd, actor, kind=MeetingKind.COMMITTEE)
    services.open_meeting(committee, actor)
    services.write_minutes(committee, actor, resolution_text="Chuẩn bị nhân sự đại hội chi bộ.")
    minutes = paragraphs(minutes_docx(committee))
    month = vn_date(local(committee.starts_at).date()).split(" ", 2)[2]
    assert f"Họp chi ủy {month}" in minutes
    assert any(line.startswith("- Tổng số chi ủy viên: 2 đồng chí") for line in minutes)
    assert "Cuộc họp kết thúc vào lúc ... giờ ..., ngày ...." in minutes  # in progress: no end yet
    doc = open_docx(resolution_docx(committee))
    assert [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text] == ["T/M CHI ỦY", "BÍ THƯ", "Trần Thị Bình"]
    assert "CHI ỦY CHI BỘ PHÒNG MỘT QUYẾT NGHỊ:" in [p.text for p in doc.paragraphs]
    assert [p.text for p in doc.tables[0].cell(0, 0).paragraphs][-1] == f"Số{BLANK}-NQ/CB"  # no number recorded

    thematic = plan(tree, crowd, actor, kind=MeetingKind.THEMATIC, topic="Học tập và làm theo tư tưởng Hồ Chí Minh")
    assert "Sinh hoạt chuyên đề: Học tập và làm theo tư tưởng Hồ Chí Minh" in paragraphs(minutes_docx(thematic))


# --- Approval and the stored file ----------------------------------------------------------------------


def minutes_url(meeting: Meeting) -> str:
    return reverse("documents:meeting_minutes", args=[meeting.pk])


def resolution_url(meeting: Meeting) -> str:
    return reverse("documents:meeting_resolution", args=[meeting.pk])


def test_url_shapes(world):
    pk = world.meeting.pk
    assert minutes_url(world.meeting) == f"/documents/meetings/{pk}/minutes.docx"
    assert resolution_url(world.meeting) == f"/documents/meetings/{pk}/resolution.docx"


def test_draft_is_generated_from_the_current_record(client, cast, world):
    client.force_login(cast.secretary)
    response = client.get(minutes_url(world.meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == f'attachment; filename="bien-ban-{world.meeting.pk}-du-thao.docx"'
    assert response["Cache-Control"] == "private, no-store"
    assert "DỰ THẢO" in paragraphs(response.content)
    services.write_minutes(world.meeting, cast.secretary, conclusions="Kết luận đã sửa trước khi duyệt.")
    assert "Kết luận đã sửa trước khi duyệt." in paragraphs(client.get(minutes_url(world.meeting)).content)


def test_approved_file_is_served_as_approved(client, cast, tree, world):
    services.approve_minutes(world.meeting, world.chair_user)
    meeting = Meeting.objects.get(pk=world.meeting.pk)
    assert meeting.state == MeetingState.APPROVED
    with meeting.minutes_file.open("rb") as stored:
        approved = stored.read()
    assert hashlib.sha256(approved).hexdigest() == meeting.minutes_sha256
    lines = paragraphs(approved)
    assert "DỰ THẢO" not in lines and "BIÊN BẢN" in lines

    client.force_login(world.chair_user)
    response = client.get(minutes_url(meeting))
    assert response.status_code == 200
    assert response.content == approved
    assert response["Content-Disposition"] == f'attachment; filename="bien-ban-{meeting.pk}.docx"'

    # Renaming the cell and adding an addendum later does not touch the approved minutes.
    org_services.rename(tree.c1, "Chi bộ Phòng Một Mới", timezone.localdate(), org_services.Document(), cast.office)
    services.add_addendum(meeting, world.chair_user, "Bổ sung: đồng chí Hà đã nộp đảng phí.")
    again = client.get(minutes_url(meeting)).content
    assert again == approved
    assert hashlib.sha256(again).hexdigest() == meeting.minutes_sha256
    text = body_text(open_docx(again))
    assert "CHI BỘ PHÒNG MỘT" in text and "Phòng Một Mới" not in text and "Bổ sung" not in text
    # A freshly generated file would carry the new name: the stored one is what is served.
    assert "CHI BỘ PHÒNG MỘT MỚI" in body_text(open_docx(minutes_docx(Meeting.objects.get(pk=meeting.pk))))


def test_resolution_download(client, cast, world):
    client.force_login(cast.member)
    response = client.get(resolution_url(world.meeting))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="nghi-quyet-{world.meeting.pk}.docx"'
    assert response["Cache-Control"] == "private, no-store"
    assert "Số 07-NQ/CB" in body_text(open_docx(response.content))


# --- Access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),  # office of committee A: manages meetings in its subtree
        ("secretary", 200),  # secretary of C1
        ("member", 200),  # An, invited to the meeting
        ("leader", 404),  # sees the meetings of A but neither invited nor running them
        ("inspector", 404),
        ("outsider", 404),  # office of committee B
        ("nobody", 404),
    ],
)
def test_access_per_role(client, cast, world, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(minutes_url(world.meeting)).status_code == status
    assert client.get(resolution_url(world.meeting)).status_code == status


def test_chair_and_guest_in_charge_may_download(client, world):
    client.force_login(world.chair_user)
    assert client.get(minutes_url(world.meeting)).status_code == 200
    guest = testing.user("guest", member_record=world.people["duc"])
    client.force_login(guest)
    assert client.get(minutes_url(world.meeting)).status_code == 200


def test_member_of_another_cell_is_refused(client, tree, world):
    stranger = testing.user("stranger", member_record=testing.member(tree.c2, "Người Ngoài"))
    client.force_login(stranger)
    assert client.get(minutes_url(world.meeting)).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(minutes_url(world.meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_no_minutes_before_the_meeting_and_no_resolution_without_text(client, cast, tree, people, world):
    planned = plan(tree, {"binh": world.people["binh"], "cuong": world.people["cuong"]}, cast.secretary)
    client.force_login(cast.secretary)
    assert client.get(minutes_url(planned)).status_code == 404
    assert client.get(resolution_url(planned)).status_code == 404
    services.write_minutes(world.meeting, cast.secretary, resolution_text="", resolution_number="")
    assert client.get(resolution_url(world.meeting)).status_code == 404
    assert client.get(reverse("documents:meeting_minutes", args=[999999])).status_code == 404


def test_two_signatures_keep_the_recipients_under_them():
    """partydoc's two-signature foot (used by the minutes) with recipients: they follow the signatures."""
    from dangvu.documents.partydoc import Header, PartyDocument, Signature

    doc = open_docx(
        PartyDocument(
            header=Header(issuer="Chi bộ Phòng Một", higher="Đảng bộ Sở Một"),
            kind="BIÊN BẢN",
            left_signature=Signature(title="Thư ký", name="Lê Văn Cường"),
            signature=Signature(title="Chủ trì", name="Trần Thị Bình"),
            recipients=["Đảng ủy Sở Một", "Lưu chi bộ"],
        ).to_bytes()
    )
    foot = doc.tables[-1]
    assert [p.text for p in foot.cell(0, 0).paragraphs if p.text] == ["THƯ KÝ", "Lê Văn Cường"]
    assert [p.text for p in foot.cell(0, 1).paragraphs if p.text] == ["CHỦ TRÌ", "Trần Thị Bình"]
    assert [p.text for p in doc.paragraphs][-3:] == ["Nơi nhận:", "- Đảng ủy Sở Một,", "- Lưu chi bộ."]
