"""Actions on meetings. Each runs in one transaction, refuses changes once the minutes are approved
(corrections are addenda), and leaves the audit trail (simple-history, except secret ballots, which keep
no trace of who chose what).

Concurrency (issue 4 item 7): a check-in updates one invitation row. Votes (creating, opening, casting,
tallying, closing) live in dangvu.meetings.ballots and the speakers' list in dangvu.meetings.speakers; their public
names are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib import versions
from dangvu.lib.errors import DomainError
from dangvu.meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingKind,
    MeetingState,
    Rsvp,
    SpeakerState,
    VoteState,
)
from dangvu.members import vote_base
from dangvu.members.models import Member, Status
from dangvu.members.vote_base import Outside
from dangvu.orgs.models import CommitteeSeat, LeadershipAssignment, Organisation
from dangvu.rules.registry import rules_on

MEMBER_MEETINGS = {MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY}


def _save(obj, actor):
    obj._history_user = actor
    obj.save()
    return obj


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _editable(meeting: Meeting) -> None:
    if meeting.locked:
        raise DomainError(_("The minutes are approved: the meeting record is locked. Add an addendum instead."))


# --- Planning ------------------------------------------------------------------------------------------


def participants(org: Organisation, kind: str, day: dt.date) -> list[tuple[Member, bool, bool, str]]:
    """Who is invited as a member: (member, in the vote's base, expected to attend, why outside the base).
    A member meeting invites the organisation's members in the Party, the base being the one of every
    cell resolution (members.vote_base: probationary members attend but do not vote; exempt members are
    invited, not expected, and count once they attend; members attached elsewhere are invited but not
    expected; suspended members do not vote); a committee meeting invites the seats of the organisation's
    committee in force."""
    if kind in MEMBER_MEETINGS:
        # The members of the cell on the meeting's day, from the timeline (also right for a meeting
        # recorded afterwards; for today and later days it is the current membership).
        return [(m, not outside, expected, outside) for m, outside, expected in vote_base.members_on(org, day)]
    seats = (
        CommitteeSeat.objects.filter(committee__organisation=org, valid_from__lte=day)
        .exclude(valid_to__lte=day)
        .select_related("member")
        .order_by("member__name_sort")
    )
    if kind == MeetingKind.STANDING:
        seats = seats.filter(position__in=["secretary", "deputy_secretary", "standing_member"])
    seen: dict[int, Member] = {}
    for seat in seats:
        seen.setdefault(seat.member_id, seat.member)
    return [
        (m, m.status == Status.OFFICIAL, True, "" if m.status == Status.OFFICIAL else Outside.PROBATIONARY)
        for m in seen.values()
    ]


def meeting_base(meeting: Meeting, invitations: list[Invitation]) -> vote_base.VoteBase:
    """The vote's base as it stands from the invitations (exempt members in it once checked in): the
    same base as members.vote_base for the cell on the meeting's day."""
    seats = [
        vote_base.Seat(
            i.member,
            "" if i.may_vote else (i.outside_base or Outside.PROBATIONARY),
            exempt_attending=i.may_vote and i.outside_base == Outside.EXEMPT,
        )
        for i in invitations
        if i.role == InviteeRole.MEMBER and i.member_id
    ]
    return vote_base.VoteBase(meeting.organisation_id, meeting_day(meeting), seats)


def guests_in_charge(org: Organisation, day: dt.date) -> list[Member]:
    """The higher-level committee members in charge of `org` (leadership assignments in force)."""
    rows = (
        LeadershipAssignment.objects.filter(organisation=org, valid_from__lte=day)
        .exclude(valid_to__lte=day)
        .select_related("seat__member")
    )
    return [a.seat.member for a in rows]


@dataclass
class AgendaSpec:
    title: str
    description: str = ""
    presenter: Member | None = None


def earliest_start(today: dt.date) -> dt.date:
    """The earliest day a meeting may be planned or recorded on today (`meeting.record_past_days`)."""
    return today - dt.timedelta(days=rules_on(today)["meeting.record_past_days"])


def check_start(day: dt.date, today: dt.date) -> None:
    earliest = earliest_start(today)
    if day < earliest:
        raise DomainError(
            _("A meeting before %(day)s can no longer be recorded: check the date.") % {"day": f"{earliest:%d/%m/%Y}"},
            code="too_far_back",
        )


@transaction.atomic
def create_meeting(
    org: Organisation,
    actor,
    *,
    kind: str,
    starts_at: dt.datetime,
    topic: str = "",
    place: str = "",
    online_link: str = "",
    chair: Member | None = None,
    secretary: Member | None = None,
    agenda: list[AgendaSpec] | None = None,
    guests: list[Member] | None = None,
    external_guests: list[tuple[str, str]] | None = None,
) -> Meeting:
    """Plan a meeting and invite its participants, plus the committee members in charge of the
    organisation and any other guests."""
    if kind not in MeetingKind.values:
        raise DomainError(_("Unknown kind of meeting."))
    if not org.is_active:
        raise DomainError(_("The organisation is no longer in force."))
    if kind in MEMBER_MEETINGS and not org.holds_members:
        raise DomainError(_("Member meetings are held by party cells; choose a committee meeting."))
    if kind == MeetingKind.THEMATIC and not topic.strip():
        raise DomainError(_("A thematic meeting needs its topic."))
    if not place.strip() and not online_link.strip():
        raise DomainError(_("Give the place or the online link."))
    day = timezone.localtime(starts_at).date() if timezone.is_aware(starts_at) else starts_at.date()
    check_start(day, timezone.localdate())
    meeting = _save(
        Meeting(
            organisation=org,
            kind=kind,
            topic=topic.strip(),
            starts_at=starts_at,
            place=place.strip(),
            online_link=online_link.strip(),
            chair=chair,
            secretary=secretary,
            created_by=actor,
        ),
        actor,
    )
    for position, item in enumerate(agenda or [], start=1):
        _save(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=item.title,
                description=item.description,
                presenter=item.presenter,
            ),
            actor,
        )
    invited: set[int] = set()
    rows = []
    for member, may_vote, expected, outside in participants(org, kind, day):
        invited.add(member.pk)
        rows.append(
            Invitation(meeting=meeting, member=member, may_vote=may_vote, expected=expected, outside_base=outside)
        )
    for member in [*guests_in_charge(org, day), *(guests or [])]:
        if member.pk not in invited:
            invited.add(member.pk)
            rows.append(Invitation(meeting=meeting, member=member, role=InviteeRole.GUEST, expected=False))
    for name, title in external_guests or []:
        if name.strip():
            rows.append(
                Invitation(
                    meeting=meeting, guest_name=name.strip(), guest_title=title, role=InviteeRole.GUEST, expected=False
                )
            )
    for row in rows:
        _save(row, actor)
    for field, person in (("chair", chair), ("secretary", secretary)):
        if person is not None and person.pk not in invited:
            raise DomainError(
                _("The %(role)s must be one of the participants.")
                % {"role": Meeting._meta.get_field(field).verbose_name}
            )
    return meeting


MEETING_FIELDS = {"topic", "starts_at", "ends_at", "place", "online_link", "chair", "secretary"}


@transaction.atomic
def update_meeting(meeting: Meeting, actor, **changes: Any) -> Meeting:
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    for key, value in changes.items():
        if key not in MEETING_FIELDS:
            raise DomainError(_("Field %(field)s cannot be changed here.") % {"field": key})
        setattr(meeting, key, value)
    if meeting.kind == MeetingKind.THEMATIC and not meeting.topic.strip():
        raise DomainError(_("A thematic meeting needs its topic."))
    for field in ("chair", "secretary"):
        person = changes.get(field)
        if person is not None and not meeting.invitations.filter(member=person).exists():
            raise DomainError(
                _("The %(role)s must be one of the participants.")
                % {"role": Meeting._meta.get_field(field).verbose_name}
            )
    return _save(meeting, actor)


@transaction.atomic
def add_agenda_item(meeting: Meeting, actor, item: AgendaSpec) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if not item.title.strip():
        raise DomainError(_("The agenda item needs a title."))
    position = (meeting.agenda.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return _save(
        AgendaItem(
            meeting=meeting, position=position, title=item.title, description=item.description, presenter=item.presenter
        ),
        actor,
    )


@transaction.atomic
def invite_guest(
    meeting: Meeting, actor, *, member: Member | None = None, name: str = "", title: str = ""
) -> Invitation:
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if member is None and not name.strip():
        raise DomainError(_("Choose a member or give the guest's name."))
    if member is not None and meeting.invitations.filter(member=member).exists():
        raise DomainError(_("%(name)s is already invited.") % {"name": member.full_name})
    return _save(
        Invitation(
            meeting=meeting,
            member=member,
            guest_name=name.strip(),
            guest_title=title,
            role=InviteeRole.GUEST,
            expected=False,
        ),
        actor,
    )


@transaction.atomic
def answer(invitation: Invitation, actor, *, rsvp: str, reason: str = "") -> Invitation:
    """RSVP: will attend, or excused in advance with the reason (required)."""
    invitation = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    _editable(invitation.meeting)
    if invitation.meeting.state != MeetingState.PLANNED:
        raise DomainError(_("The meeting has started: answers are closed."))
    if rsvp not in {Rsvp.ATTENDING, Rsvp.EXCUSED}:
        raise DomainError(_("Unknown answer."))
    if rsvp == Rsvp.EXCUSED and not reason.strip():
        raise DomainError(_("Give the reason for the absence."))
    invitation.rsvp, invitation.rsvp_reason, invitation.rsvp_at = rsvp, reason.strip(), timezone.now()
    return _save(invitation, actor)


@dataclass(frozen=True)
class Forecast:
    eligible: int  # members entitled to vote
    attending: int  # of them, answered "will attend"
    excused: int
    pending: int
    needed: int  # present voters needed for the quorum
    likely_quorate: bool  # enough have said they will attend
    possible: bool  # the quorum can still be reached with those who have not answered

    @property
    def outlook(self) -> str:
        """ "likely" (enough confirmed), "open" (not yet: confirmations missing) or "at_risk" (too many
        excused: even if all who have not answered come, the quorum is not reached)."""
        return "likely" if self.likely_quorate else "open" if self.possible else "at_risk"

    @property
    def missing(self) -> int:
        """Confirmations still needed for the quorum."""
        return max(self.needed - self.attending, 0)


def quorum_needed(eligible: int, day: dt.date, values: dict | None = None) -> int:
    """`values`: the rule values of `day` when the caller has read them already."""
    return math.ceil(Fraction((values or rules_on(day))["meeting.quorum"]) * eligible)


def is_quorate(present: int, eligible: int, day: dt.date) -> bool:
    """Enough of the base present; a base of zero is never quorate (it decides nothing)."""
    return eligible > 0 and present >= quorum_needed(eligible, day)


def meeting_day(meeting: Meeting) -> dt.date:
    """The local date of the meeting: the rule set in force that day gives its quorum and thresholds."""
    return timezone.localtime(meeting.starts_at).date()


def forecast(meeting: Meeting) -> Forecast:
    """Quorum forecast from the answers (before the meeting)."""
    rows = dict(meeting.invitations.filter(may_vote=True).values_list("rsvp").annotate(n=Count("id")).order_by())
    eligible = sum(rows.values())
    needed = quorum_needed(eligible, meeting_day(meeting))
    attending = rows.get(Rsvp.ATTENDING, 0)
    pending = rows.get(Rsvp.PENDING, 0)
    excused = rows.get(Rsvp.EXCUSED, 0)
    base = eligible > 0  # a base of zero decides nothing: never likely, never possible
    likely, possible = base and attending >= needed, base and attending + pending >= needed
    return Forecast(eligible, attending, excused, pending, needed, likely, possible)


# --- During -------------------------------------------------------------------------------------------


@transaction.atomic
def open_meeting(meeting: Meeting, actor) -> Meeting:
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if meeting.state != MeetingState.PLANNED:
        raise DomainError(_("The meeting is not waiting to start."))
    meeting.state, meeting.opened_at = MeetingState.IN_PROGRESS, timezone.now()
    return _save(meeting, actor)


def _running(meeting: Meeting) -> None:
    if meeting.state != MeetingState.IN_PROGRESS:
        raise DomainError(_("The meeting is not in progress."))


def _follow_attendance(invitation: Invitation) -> None:
    """An exempt member who attends is in the vote's base (and may vote); absent, they are not."""
    if invitation.outside_base == Outside.EXEMPT:
        invitation.may_vote = invitation.attendance == Attendance.PRESENT


@transaction.atomic
def check_in(invitation: Invitation, actor, *, at: dt.datetime | None = None) -> Invitation:
    """Present (late when after the start plus `meeting.late_minutes`). Idempotent: a second check-in
    keeps the first time."""
    invitation = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    _running(invitation.meeting)
    if invitation.attendance == Attendance.PRESENT:
        return invitation
    at = at or timezone.now()
    grace = dt.timedelta(minutes=rules_on(timezone.localtime(at).date())["meeting.late_minutes"])
    invitation.attendance = Attendance.PRESENT
    _follow_attendance(invitation)
    invitation.absence_reason = ""
    invitation.checked_in_at = at
    invitation.late = at > invitation.meeting.starts_at + grace
    return _save(invitation, actor)


@transaction.atomic
def mark_attendance(
    invitation: Invitation, actor, *, attendance: str, reason: str = "", late: bool = False
) -> Invitation:
    """The minutes secretary records attendance (present, absent with or without leave)."""
    invitation = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    _editable(invitation.meeting)
    if invitation.meeting.state not in {MeetingState.IN_PROGRESS, MeetingState.HELD}:
        raise DomainError(_("Attendance is recorded once the meeting has started."))
    if attendance not in {Attendance.PRESENT, Attendance.EXCUSED, Attendance.UNEXCUSED}:
        raise DomainError(_("Unknown attendance."))
    if attendance == Attendance.EXCUSED and not reason.strip():
        raise DomainError(_("Give the reason for the absence."))
    invitation.attendance, invitation.absence_reason = attendance, reason.strip()
    _follow_attendance(invitation)
    invitation.late = late if attendance == Attendance.PRESENT else False
    if attendance == Attendance.PRESENT and not invitation.checked_in_at:
        invitation.checked_in_at = timezone.now()
    return _save(invitation, actor)


def roll_call(meeting: Meeting):
    """The invitations "mark all present" records: members (not guests) whose attendance is not recorded
    yet and who did not excuse themselves in advance (`in_roll_call` for one invitation already loaded)."""
    return meeting.invitations.filter(role=InviteeRole.MEMBER, attendance=Attendance.UNKNOWN).exclude(rsvp=Rsvp.EXCUSED)


def in_roll_call(invitation: Invitation) -> bool:
    member, unknown = invitation.role == InviteeRole.MEMBER, invitation.attendance == Attendance.UNKNOWN
    return member and unknown and invitation.rsvp != Rsvp.EXCUSED


@transaction.atomic
def mark_all_present(meeting: Meeting, actor) -> int:
    """The secretary's roll call in one step: every invitation of `roll_call` becomes present (not late), each
    with its audit row; one transaction, so a refusal leaves every row as it was. Returns how many."""
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if meeting.state not in {MeetingState.IN_PROGRESS, MeetingState.HELD}:
        raise DomainError(_("Attendance is recorded once the meeting has started."))
    now = timezone.now()
    marked = 0
    for invitation in roll_call(meeting).select_for_update().order_by("id"):
        invitation.attendance, invitation.absence_reason, invitation.late = Attendance.PRESENT, "", False
        _follow_attendance(invitation)
        invitation.checked_in_at = invitation.checked_in_at or now
        _save(invitation, actor)
        marked += 1
    if not marked:
        raise DomainError(_("Everyone's attendance is already recorded."))
    return marked


# --- After --------------------------------------------------------------------------------------------


@transaction.atomic
def close_meeting(meeting: Meeting, actor) -> Meeting:
    """The meeting ends: expected members not recorded are absent (with leave if excused in advance)."""
    meeting = _lock_meeting(meeting)
    _running(meeting)
    if meeting.votes.filter(state=VoteState.OPEN).exists():
        raise DomainError(_("Close the open vote first."))
    now = timezone.now()
    for invitation in meeting.invitations.filter(attendance="", role=InviteeRole.MEMBER, expected=True):
        excused = invitation.rsvp == Rsvp.EXCUSED
        invitation.attendance = Attendance.EXCUSED if excused else Attendance.UNEXCUSED
        invitation.absence_reason = invitation.rsvp_reason if excused else ""
        _save(invitation, actor)
    meeting.speakers.filter(state=SpeakerState.SPEAKING).update(state=SpeakerState.DONE, ended_at=now)
    meeting.speakers.filter(state=SpeakerState.WAITING).update(state=SpeakerState.WITHDRAWN)
    meeting.state, meeting.closed_at = MeetingState.HELD, now
    meeting.ends_at = meeting.ends_at or now
    return _save(meeting, actor)


MINUTES_FIELDS = {"discussion", "conclusions", "resolution_number", "resolution_text"}


@transaction.atomic
def write_minutes(meeting: Meeting, actor, *, version: int | None = None, **texts: str) -> Meeting:
    """Write minutes fields. `version` (dangvu.lib.versions): the version of the meeting the text was based
    on, passed by the page and the API; a field changed since by someone else is not overwritten (StaleEdit,
    nothing written)."""
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if meeting.state not in {MeetingState.IN_PROGRESS, MeetingState.HELD}:
        raise DomainError(_("The minutes are written during or after the meeting."))
    for key in texts:
        if key not in MINUTES_FIELDS:
            raise DomainError(_("Field %(field)s cannot be changed here.") % {"field": key})
    if version is not None:
        versions.check(meeting, version, [key for key in texts if getattr(meeting, key) != texts[key]])
    for key, value in texts.items():
        setattr(meeting, key, value)
    return _save(meeting, actor)


@transaction.atomic
def approve_minutes(meeting: Meeting, actor) -> Meeting:
    """The chair approves the minutes: the DOCX is generated from the record and kept as approved, and
    the meeting record is locked."""
    from dangvu.documents.meetings import minutes_docx

    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if meeting.state != MeetingState.HELD:
        raise DomainError(_("Close the meeting before approving its minutes."))
    if meeting.chair_id is None or getattr(actor, "member_id", None) != meeting.chair_id:
        raise DomainError(_("Only the chair of the meeting approves its minutes."))
    meeting.state, meeting.approved_at, meeting.approved_by = MeetingState.APPROVED, timezone.now(), actor
    content = minutes_docx(meeting)
    meeting.minutes_sha256 = hashlib.sha256(content).hexdigest()
    meeting.minutes_file.save(f"bien-ban-{meeting.pk}.docx", ContentFile(content), save=False)
    return _save(meeting, actor)


@transaction.atomic
def add_addendum(meeting: Meeting, actor, text: str) -> Addendum:
    meeting = _lock_meeting(meeting)
    if meeting.state != MeetingState.APPROVED:
        raise DomainError(_("Before approval, correct the minutes themselves."))
    if not text.strip():
        raise DomainError(_("Write the addendum."))
    return _save(Addendum(meeting=meeting, text=text.strip(), created_by=actor), actor)


@transaction.atomic
def cancel_meeting(meeting: Meeting, actor, reason: str) -> Meeting:
    meeting = _lock_meeting(meeting)
    if meeting.state != MeetingState.PLANNED:
        raise DomainError(_("Only a meeting that has not started can be cancelled."))
    if not reason.strip():
        raise DomainError(_("Give the reason."))
    meeting.state, meeting.cancel_reason = MeetingState.CANCELLED, reason.strip()
    return _save(meeting, actor)


# Votes live in dangvu.meetings.ballots and the speakers' list in dangvu.meetings.speakers, which import the
# helpers above; their names are resolved lazily here (PEP 562) so that `services.cast` and
# `from dangvu.meetings.services import cast` keep working whichever module is imported first.
BALLOT_NAMES = frozenset({"votes_needed", "create_vote", "open_vote", "cast", "has_voted", "tally", "close_vote"})
SPEAKER_NAMES = frozenset({"request_to_speak", "next_speaker", "record_speech", "withdraw_request"})


def __getattr__(name: str):
    if name in BALLOT_NAMES:
        from dangvu.meetings import ballots

        return getattr(ballots, name)
    if name in SPEAKER_NAMES:
        from dangvu.meetings import speakers

        return getattr(speakers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Documents (versioned files and personal notes) live in dangvu.meetings.documents; re-exported here so
# every action on a meeting is reachable from this module.
from dangvu.meetings.documents import (  # noqa: E402, F401
    DOCUMENT_TYPES,
    MAX_DOCUMENT_BYTES,
    add_document,
    add_version,
    save_note,
)
