"""A meeting from planning to locked minutes (issue 4 items 1, 3, 4, 5 and the "locking after approval"
acceptance): planned → in progress → held → approved, who is invited and expected, late check-in, absences
recorded at closing, the chair's approval storing the DOCX with its SHA-256, and every write refused once the
record is locked (corrections are addenda).

The helpers at the top (`at`, `members`, `plan`, `inv`, `hold`, `snapshot`, the `minutes` fixture) are shared
by the other meeting tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
import types
import zipfile
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu import testing
from dangvu.accounts.models import User
from dangvu.lib.errors import DomainError
from dangvu.meetings import services
from dangvu.meetings.models import (
    Addendum,
    Attendance,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingKind,
    MeetingState,
    Rsvp,
    VoteMethod,
    VoteRule,
)
from dangvu.members.models import EventKind, Member, Status
from dangvu.members.services import record_event
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2026, 3, 10)


# --- Shared helpers -------------------------------------------------------------------------------------


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A local (Vietnam) time on `day`."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def members(cell, n: int, prefix: str = "Đảng viên", **fields) -> list[Member]:
    return [testing.member(cell, f"{prefix} {cell.code} {i:02d}", **fields) for i in range(n)]


def plan(cell, *, day: dt.date = DAY, kind: str = MeetingKind.REGULAR, actor=None, hour: int = 8, **kw) -> Meeting:
    if kind == MeetingKind.THEMATIC:
        kw.setdefault("topic", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    kw.setdefault("place", "Hội trường cơ quan")
    return services.create_meeting(cell, actor, kind=kind, starts_at=at(day, hour), **kw)


def inv(meeting: Meeting, member: Member) -> Invitation:
    return meeting.invitations.get(member=member)


def hold(meeting: Meeting, present: Iterable[Member], actor=None) -> Meeting:
    """Open the meeting, check in `present` on time, close it."""
    services.open_meeting(meeting, actor)
    for m in present:
        services.check_in(inv(meeting, m), actor, at=meeting.starts_at)
    return services.close_meeting(meeting, actor)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table of the meetings app, their audit tables included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("meetings").get_models()
    }


def pdf(name: str = "du-thao-nghi-quyet.pdf", body: bytes = b"draft") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def minutes(monkeypatch, media):
    """approve_minutes renders the minutes with dangvu.documents.meetings.minutes_docx. When that module is
    not there yet, a stand-in returning fixed bytes takes its place (only for tests that are about the
    locking, not the document; `test_approval_stores_the_generated_docx` always uses the real one)."""
    try:
        import dangvu.documents.meetings  # noqa: F401
    except ImportError:
        fake = types.ModuleType("dangvu.documents.meetings")
        fake.minutes_docx = lambda meeting: b"PK stand-in minutes of meeting %d" % meeting.pk
        monkeypatch.setitem(sys.modules, "dangvu.documents.meetings", fake)


def chair_user(member: Member):
    """The user account of `member` (created on first use)."""
    return User.objects.filter(member=member).first() or testing.user(f"dv-{member.pk}", member_record=member)


# --- States ---------------------------------------------------------------------------------------------


def test_planned_in_progress_held_approved(tree, minutes):
    chair, secretary, *others = members(tree.c2, 5)
    meeting = plan(tree.c2, chair=chair, secretary=secretary, agenda=[services.AgendaSpec("Kiểm điểm tháng")])
    assert meeting.state == MeetingState.PLANNED
    assert not meeting.locked
    services.open_meeting(meeting, None)
    with pytest.raises(DomainError):
        services.open_meeting(meeting, None)  # already started
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS and meeting.opened_at is not None
    with pytest.raises(DomainError):
        services.approve_minutes(meeting, chair_user(chair))  # not closed yet
    for m in [chair, secretary, *others]:
        services.check_in(inv(meeting, m), None, at=meeting.starts_at)
    services.write_minutes(meeting, None, discussion="Các ý kiến thống nhất.", resolution_number="05-NQ/CB")
    services.close_meeting(meeting, None)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.closed_at is not None and meeting.ends_at is not None
    services.approve_minutes(meeting, chair_user(chair))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.locked
    assert meeting.approved_by.member_id == chair.pk and meeting.approved_at is not None


def test_only_planned_meetings_can_be_cancelled(tree):
    members(tree.c2, 2)
    planned, running = plan(tree.c2), plan(tree.c2, day=DAY + dt.timedelta(days=30))
    services.open_meeting(running, None)
    with pytest.raises(DomainError):
        services.cancel_meeting(planned, None, "  ")  # a reason is required
    services.cancel_meeting(planned, None, "Trùng lịch họp cấp trên")
    planned.refresh_from_db()
    assert planned.state == MeetingState.CANCELLED and planned.locked
    with pytest.raises(DomainError):
        services.cancel_meeting(running, None, "Quá muộn")
    with pytest.raises(DomainError):
        services.open_meeting(planned, None)


# --- Who is invited ---------------------------------------------------------------------------------------


def test_invitations_of_a_cell_meeting(tree):
    officials = members(tree.c2, 3)
    # Admitted before the meeting's day (invitations follow the cell's membership on that day).
    probationary = testing.member(tree.c2, "Võ Dự Bị", admitted=DAY - dt.timedelta(days=60), official=False)
    exempt, away = testing.member(tree.c2, "Đỗ Miễn"), testing.member(tree.c2, "Hồ Vắng")
    record_event(exempt, kind=EventKind.EXEMPTION, date=dt.date(2025, 6, 1))
    record_event(away, kind=EventKind.TEMP_TRANSFER_OUT, date=dt.date(2025, 6, 1), external_organisation="Đảng bộ X")
    elsewhere = testing.member(tree.c1, "Ở Chi Bộ Khác")
    probationary.refresh_from_db()
    assert probationary.status == Status.PROBATIONARY

    meeting = plan(tree.c2, external_guests=[("Bà Khách Mời", "Chủ tịch Công đoàn")])
    rows = {i.member_id: i for i in meeting.invitations.filter(member__isnull=False)}
    assert set(rows) == {*(m.pk for m in officials), probationary.pk, exempt.pk, away.pk}
    assert elsewhere.pk not in rows
    for m in officials:
        assert (rows[m.pk].role, rows[m.pk].may_vote, rows[m.pk].expected) == (InviteeRole.MEMBER, True, True)
    # A probationary member attends and speaks but does not vote (Điều lệ Đảng).
    assert (rows[probationary.pk].may_vote, rows[probationary.pk].expected) == (False, True)
    # Exempt or temporarily away: invited, neither expected nor voting.
    for m in (exempt, away):
        assert (rows[m.pk].may_vote, rows[m.pk].expected) == (False, False)
    guest = meeting.invitations.get(member__isnull=True)
    assert (guest.guest_name, guest.guest_title, guest.role, guest.may_vote, guest.expected) == (
        "Bà Khách Mời",
        "Chủ tịch Công đoàn",
        InviteeRole.GUEST,
        False,
        False,
    )
    assert services.forecast(meeting).eligible == 3


def test_exempt_members_are_not_counted_absent(tree):
    present, exempt = members(tree.c2, 2), testing.member(tree.c2, "Đỗ Miễn")
    record_event(exempt, kind=EventKind.EXEMPTION, date=dt.date(2025, 6, 1))
    meeting = hold(plan(tree.c2), present)
    assert inv(meeting, exempt).attendance == Attendance.UNKNOWN
    assert {i.attendance for i in meeting.invitations.filter(expected=True)} == {Attendance.PRESENT}


def test_committee_meetings_invite_the_committee_seats(tree):
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 1, 1), end=dt.date(2030, 12, 31))
    committee = committees.elect_committee(tree.a_base, term, dt.date(2025, 3, 1), None)
    secretary, deputy, plain = members(tree.c1, 3, "Cấp ủy")
    former = testing.member(tree.c2, "Cấp Ủy Cũ")
    not_on_committee = testing.member(tree.c2, "Đảng Viên Thường")
    committees.add_seat(committee, secretary, Position.SECRETARY, dt.date(2025, 3, 1), None)
    committees.add_seat(committee, deputy, Position.STANDING_MEMBER, dt.date(2025, 3, 1), None)
    committees.add_seat(committee, plain, Position.COMMITTEE_MEMBER, dt.date(2025, 3, 1), None)
    committees.add_seat(committee, former, Position.COMMITTEE_MEMBER, dt.date(2025, 3, 1), None, dt.date(2025, 12, 1))

    with pytest.raises(DomainError):
        plan(tree.a_base, kind=MeetingKind.REGULAR)  # member meetings are held by cells
    full = plan(tree.a_base, kind=MeetingKind.COMMITTEE, chair=secretary)
    assert set(full.invitations.values_list("member_id", flat=True)) == {secretary.pk, deputy.pk, plain.pk}
    assert all(i.may_vote and i.expected and i.role == InviteeRole.MEMBER for i in full.invitations.all())
    assert not_on_committee.pk not in set(full.invitations.values_list("member_id", flat=True))
    standing = plan(tree.a_base, kind=MeetingKind.STANDING, day=DAY + dt.timedelta(days=1))
    assert set(standing.invitations.values_list("member_id", flat=True)) == {secretary.pk, deputy.pk}
    # The chair must be one of the invited seats.
    with pytest.raises(DomainError):
        plan(tree.a_base, kind=MeetingKind.COMMITTEE, chair=not_on_committee, day=DAY + dt.timedelta(days=2))


def test_the_committee_member_in_charge_is_invited_as_guest(tree):
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 1, 1), end=dt.date(2030, 12, 31))
    committee = committees.elect_committee(tree.a_base, term, dt.date(2025, 3, 1), None)
    leader = testing.member(tree.c1, "Phụ Trách")
    seat = committees.add_seat(committee, leader, Position.COMMITTEE_MEMBER, dt.date(2025, 3, 1), None)
    cell = members(tree.c2, 2)
    before = plan(tree.c2, day=dt.date(2025, 12, 1))
    committees.assign_leadership(seat, tree.c2, dt.date(2026, 1, 1), None)
    after = plan(tree.c2, day=dt.date(2026, 1, 5))
    assert not before.invitations.filter(member=leader).exists()
    guest = inv(after, leader)
    assert (guest.role, guest.may_vote, guest.expected) == (InviteeRole.GUEST, False, False)
    assert after.invitations.filter(role=InviteeRole.MEMBER).count() == len(cell)
    # Inviting the same person twice is refused.
    with pytest.raises(DomainError):
        services.invite_guest(after, None, member=leader)


def test_chair_and_secretary_must_be_participants(tree):
    first, second = members(tree.c2, 2)
    stranger = testing.member(tree.c1, "Người Ngoài")
    with pytest.raises(DomainError):
        plan(tree.c2, chair=stranger)
    assert not Meeting.objects.exists()  # nothing kept of the refused meeting
    meeting = plan(tree.c2, chair=first)
    before = snapshot()
    for change in ({"chair": stranger}, {"secretary": stranger}, {"kind": MeetingKind.THEMATIC}):
        with pytest.raises(DomainError):
            services.update_meeting(meeting, None, **change)
        assert snapshot() == before
    services.update_meeting(meeting, None, chair=second, secretary=first, place="Phòng họp 2")
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.secretary, meeting.place) == (second, first, "Phòng họp 2")
    # A guest invited later may then be named secretary.
    services.invite_guest(meeting, None, member=stranger)
    services.update_meeting(meeting, None, secretary=stranger)
    meeting.refresh_from_db()
    assert meeting.secretary == stranger


# --- During and closing ---------------------------------------------------------------------------------


def test_late_check_in_after_the_grace_minutes(tree):
    on_time, at_limit, late, twice = members(tree.c2, 4)
    meeting = plan(tree.c2)
    with pytest.raises(DomainError):
        services.check_in(inv(meeting, on_time), None, at=meeting.starts_at)  # not started yet
    services.open_meeting(meeting, None)
    start = meeting.starts_at
    services.check_in(inv(meeting, on_time), None, at=start - dt.timedelta(minutes=5))
    services.check_in(inv(meeting, at_limit), None, at=start + dt.timedelta(minutes=15))  # meeting.late_minutes
    services.check_in(inv(meeting, late), None, at=start + dt.timedelta(minutes=16))
    services.check_in(inv(meeting, twice), None, at=start)
    services.check_in(inv(meeting, twice), None, at=start + dt.timedelta(hours=1))  # keeps the first time
    rows = {m: inv(meeting, m) for m in (on_time, at_limit, late, twice)}
    assert [rows[m].late for m in (on_time, at_limit, late, twice)] == [False, False, True, False]
    assert all(r.attendance == Attendance.PRESENT for r in rows.values())
    assert rows[twice].checked_in_at == start


def test_closing_marks_the_unrecorded_as_absent(tree):
    present, excused, silent, marked, probationary = members(tree.c2, 5)
    exempt = testing.member(tree.c2, "Đỗ Miễn")
    record_event(exempt, kind=EventKind.EXEMPTION, date=dt.date(2025, 6, 1))
    meeting = plan(tree.c2, external_guests=[("Khách", "")])
    services.answer(inv(meeting, excused), None, rsvp=Rsvp.EXCUSED, reason="Đi công tác Hà Nội")
    services.answer(inv(meeting, silent), None, rsvp=Rsvp.ATTENDING)
    services.open_meeting(meeting, None)
    with pytest.raises(DomainError):
        services.answer(inv(meeting, probationary), None, rsvp=Rsvp.ATTENDING)  # answers are closed
    services.check_in(inv(meeting, present), None, at=meeting.starts_at)
    with pytest.raises(DomainError):
        services.mark_attendance(inv(meeting, marked), None, attendance=Attendance.EXCUSED)  # reason needed
    services.mark_attendance(inv(meeting, marked), None, attendance=Attendance.EXCUSED, reason="Ốm")
    services.close_meeting(meeting, None)
    got = {m: (inv(meeting, m).attendance, inv(meeting, m).absence_reason) for m in (present, excused, silent, marked)}
    assert got == {
        present: (Attendance.PRESENT, ""),
        excused: (Attendance.EXCUSED, "Đi công tác Hà Nội"),
        silent: (Attendance.UNEXCUSED, ""),
        marked: (Attendance.EXCUSED, "Ốm"),
    }
    assert inv(meeting, probationary).attendance == Attendance.UNEXCUSED
    assert inv(meeting, exempt).attendance == Attendance.UNKNOWN  # not expected
    assert meeting.invitations.get(member__isnull=True).attendance == Attendance.UNKNOWN  # guests are not absent
    # The secretary may still correct attendance while the minutes are drafted.
    services.mark_attendance(inv(meeting, silent), None, attendance=Attendance.PRESENT, late=True)
    assert (inv(meeting, silent).attendance, inv(meeting, silent).late) == (Attendance.PRESENT, True)


def test_closing_waits_for_the_open_vote(tree):
    people = members(tree.c2, 3)
    meeting = plan(tree.c2)
    services.open_meeting(meeting, None)
    for m in people:
        services.check_in(inv(meeting, m), None, at=meeting.starts_at)
    vote = services.create_vote(
        meeting, None, question="Thông qua nghị quyết", method=VoteMethod.NAMED, rule=VoteRule.MAJORITY_OF_PRESENT
    )
    services.open_vote(vote, None)
    with pytest.raises(DomainError):
        services.close_meeting(meeting, None)
    services.close_vote(vote, None)
    assert services.close_meeting(meeting, None).state == MeetingState.HELD


# --- Approval and locking -------------------------------------------------------------------------------


def approved_meeting(tree, day: dt.date = DAY) -> tuple[Meeting, dict]:
    chair, secretary, member, late_comer = members(tree.c2, 4)
    meeting = plan(tree.c2, day=day, chair=chair, secretary=secretary, agenda=[services.AgendaSpec("Công tác tháng")])
    document = services.add_document(meeting, None, title="Dự thảo nghị quyết", upload=pdf())
    services.open_meeting(meeting, None)
    for m in (chair, secretary, member):
        services.check_in(inv(meeting, m), None, at=meeting.starts_at)
    vote = services.create_vote(
        meeting, None, question="Thông qua nghị quyết", method=VoteMethod.NAMED, rule=VoteRule.MAJORITY_OF_PRESENT
    )
    services.open_vote(vote, None)
    for m in (chair, secretary, member):
        services.cast(vote, inv(meeting, m), "yes")
    services.close_vote(vote, None)
    services.close_meeting(meeting, None)
    services.write_minutes(meeting, None, conclusions="Đồng ý.", resolution_text="Chi bộ thống nhất.")
    user = chair_user(chair)
    services.approve_minutes(meeting, user)
    meeting.refresh_from_db()
    return meeting, {"chair": user, "member": member, "late": late_comer, "document": document, "vote": vote}


def test_only_the_chair_approves(tree, cast, minutes):
    chair, secretary = members(tree.c2, 2)
    meeting = hold(plan(tree.c2, chair=chair, secretary=secretary), [chair, secretary])
    before = snapshot()
    for actor in (testing.user("thu-ky", member_record=secretary), cast.admin, cast.office, None):
        with pytest.raises(DomainError):
            services.approve_minutes(meeting, actor)
    assert snapshot() == before
    no_chair = hold(plan(tree.c2, day=DAY + dt.timedelta(days=1)), [chair])
    with pytest.raises(DomainError):
        services.approve_minutes(no_chair, chair_user(chair))  # this meeting has no chair
    services.approve_minutes(meeting, chair_user(chair))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    with pytest.raises(DomainError):
        services.approve_minutes(meeting, meeting.approved_by)  # once only


def files(root) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def test_every_write_is_refused_once_approved(tree, media, minutes):
    meeting, ctx = approved_meeting(tree)
    invitation, late = inv(meeting, ctx["member"]), inv(meeting, ctx["late"])
    before, files_before = snapshot(), files(media)
    refused = {
        "update_meeting": lambda: services.update_meeting(meeting, None, place="Phòng họp B"),
        "add_agenda_item": lambda: services.add_agenda_item(meeting, None, services.AgendaSpec("Bổ sung")),
        "invite_guest": lambda: services.invite_guest(meeting, None, name="Khách muộn"),
        "answer": lambda: services.answer(invitation, None, rsvp=Rsvp.ATTENDING),
        "mark_attendance": lambda: services.mark_attendance(late, None, attendance=Attendance.PRESENT),
        "create_vote": lambda: services.create_vote(
            meeting, None, question="Biểu quyết lại", method=VoteMethod.COUNT, rule=VoteRule.MAJORITY_OF_MEMBERS
        ),
        "write_minutes": lambda: services.write_minutes(meeting, None, conclusions="Sửa kết luận"),
        "add_document": lambda: services.add_document(meeting, None, title="Tài liệu muộn", upload=pdf("muon.pdf")),
        "add_version": lambda: services.add_version(ctx["document"], None, pdf("v2.pdf", b"changed")),
        "check_in": lambda: services.check_in(late, None),
        "open_meeting": lambda: services.open_meeting(meeting, None),
        "close_meeting": lambda: services.close_meeting(meeting, None),
        "cancel_meeting": lambda: services.cancel_meeting(meeting, None, "Hủy"),
        "open_vote": lambda: services.open_vote(ctx["vote"], None),
        "cast": lambda: services.cast(ctx["vote"], invitation, "no"),
        "close_vote": lambda: services.close_vote(ctx["vote"], None),
        "request_to_speak": lambda: services.request_to_speak(invitation, None),
    }
    for name, call in refused.items():
        with pytest.raises(DomainError):
            call()
        assert snapshot() == before, f"{name} wrote to the locked record"
    assert files(media) == files_before
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED


def test_addenda_only_after_approval(tree, minutes):
    chair = members(tree.c2, 1)[0]
    held = hold(plan(tree.c2, chair=chair), [chair])
    with pytest.raises(DomainError):
        services.add_addendum(held, chair_user(chair), "Sửa tên người phát biểu")
    meeting, ctx = approved_meeting(tree, day=DAY + dt.timedelta(days=7))
    with pytest.raises(DomainError):
        services.add_addendum(meeting, ctx["chair"], "   ")
    addendum = services.add_addendum(meeting, ctx["chair"], "Đính chính: cuộc họp kết thúc lúc 10 giờ 30.")
    assert Addendum.objects.get().pk == addendum.pk
    assert addendum.history.get().history_user == ctx["chair"]  # audited
    meeting.refresh_from_db()
    assert meeting.conclusions == "Đồng ý."  # the approved record itself is unchanged


def test_personal_notes_stay_writable_after_approval(tree, minutes):
    meeting, ctx = approved_meeting(tree)
    note = services.save_note(ctx["document"], ctx["chair"], "Xem lại mục 2")
    assert note.text == "Xem lại mục 2"


def test_approved_minutes_keep_their_sha256(tree, minutes):
    meeting, _ctx = approved_meeting(tree)
    with meeting.minutes_file.open("rb") as f:
        content = f.read()
    assert content and meeting.minutes_sha256 == hashlib.sha256(content).hexdigest()


def test_approval_stores_the_generated_docx(tree, media):
    """Uses the real dangvu.documents.meetings.minutes_docx (no stand-in): the stored file is the DOCX of
    the record, and its SHA-256 is kept."""
    meeting, _ctx = approved_meeting(tree)
    with meeting.minutes_file.open("rb") as f:
        content = f.read()
    assert meeting.minutes_sha256 == hashlib.sha256(content).hexdigest()
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        xml = docx.read("word/document.xml").decode()
    assert "Chi bộ thống nhất." in xml  # the resolution written before approval
    assert meeting.minutes_file.name.endswith(".docx")


def test_a_meeting_recorded_afterwards_invites_the_members_of_its_day(tree):
    before = members(tree.c2, 2)
    newcomer = testing.member(tree.c2, "Lý Mới Đến", admitted=DAY + dt.timedelta(days=20), official=False)
    meeting = plan(tree.c2)  # dated DAY, recorded today
    invited = set(meeting.invitations.values_list("member_id", flat=True))
    assert invited == {m.pk for m in before} and newcomer.pk not in invited
    later = plan(tree.c2, day=DAY + dt.timedelta(days=40))
    assert newcomer.pk in set(later.invitations.values_list("member_id", flat=True))
