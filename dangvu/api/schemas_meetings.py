"""Schemas of the meeting endpoints (dangvu/api/routers/meetings.py). Shared shapes (OrgRef, ErrorOut) come
from dangvu.api.schemas, MemberRef from dangvu.api.schemas_admission.

Secret votes: no schema here carries a person together with a secret choice. `VoteOut.ballots` (names with
choices) is filled for open votes by name only; a secret vote shows counts and, to the caller alone, whether
they have voted."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.schemas_admission import MemberRef
from dangvu.api.types import Clean, Count, Day, Id, Moment, Text
from dangvu.meetings.models import Choice, MeetingKind, MeetingState, VoteMethod, VoteRule

# --- meetings ------------------------------------------------------------------------------------------


class MeetingFilterIn(Schema):
    organisation_id: Id | None = Field(None, description="Meetings of this organisation's current subtree")
    kind: MeetingKind | None = None
    state: MeetingState | None = None
    date_from: Day | None = Field(None, alias="from", description="Starting on or after this day")
    date_to: Day | None = Field(None, alias="to", description="Starting on or before this day")


class MeetingFields(Schema):
    id: int
    organisation: OrgRef
    kind: str
    kind_label: str
    state: str
    state_label: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    online_link: str
    chair: MemberRef | None
    secretary: MemberRef | None = Field(None, description="The minutes secretary")


class MeetingOut(MeetingFields):
    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    description: str
    presenter: MemberRef | None
    withdrawn: bool


class InvitationOut(Schema):
    id: int
    member: MemberRef | None = Field(None, description="null for a guest outside the member registry")
    name: str
    guest_title: str
    role: str = Field(..., description="member or guest")
    may_vote: bool = Field(..., description="Entitled to vote")
    attendance: str = Field(..., description="present, excused, unexcused, or '' (not recorded)")
    late: bool
    expected: bool | None = Field(None, description="Counts for quorum and attendance (those who run it only)")
    rsvp: str | None = Field(None, description="pending, attending, excused (those who run it, and the invitee)")
    rsvp_reason: str | None = None
    absence_reason: str | None = None
    checked_in_at: dt.datetime | None = None


class VoteResult(Schema):
    yes: int
    no: int
    abstain: int
    needed: int = Field(..., description="Votes in favour needed to pass (threshold from the rule set)")
    passed: bool


class NamedBallotOut(Schema):
    invitation_id: int
    name: str
    choice: str


class VoteOut(Schema):
    id: int
    meeting_id: int
    agenda_item_id: int | None
    question: str
    method: str = Field(..., description="count (show of hands), named or secret")
    method_label: str
    rule: str
    rule_label: str = Field(..., description="The threshold with the shares of the rule set of the meeting's day")
    state: str = Field(..., description="draft, open or closed")
    state_label: str
    eligible: int | None = Field(None, description="Entitled to vote, when the vote opened")
    present: int | None = Field(None, description="Voters present, when the vote opened")
    quorate: bool | None
    ballots_cast: int | None = Field(None, description="Ballots so far while the vote is open (never the choices)")
    results: VoteResult | None = Field(None, description="After the vote closes")
    ballots: list[NamedBallotOut] | None = Field(None, description="Vote by name, after it closes: who chose what")
    has_voted: bool | None = Field(None, description="Whether the caller has voted (null: not entitled)")
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class DocumentVersionOut(Schema):
    number: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class DocumentOut(Schema):
    id: int
    title: str
    agenda_item_id: int | None
    withdrawn: bool
    versions: list[DocumentVersionOut]


class AddendumOut(Schema):
    id: int
    text: str
    created_at: dt.datetime


class MeetingDetailOut(MeetingFields):
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    cancel_reason: str
    can_run: bool = Field(..., description="The caller may run it (open, attendance, votes, minutes)")
    my_invitation_id: int | None = Field(None, description="The caller's own invitation")
    agenda: list[AgendaItemOut]
    invitations: list[InvitationOut] = Field(
        ..., description="Everyone: RSVP answers and reasons only for those who run the meeting"
    )
    votes: list[VoteOut]
    documents: list[DocumentOut] | None = Field(None, description="null: documents are for the invited only")
    discussion: str
    conclusions: str
    resolution_number: str
    resolution_text: str
    approved_at: dt.datetime | None
    minutes_sha256: str = Field(..., description="SHA-256 of the approved minutes (DOCX), '' before approval")
    addenda: list[AddendumOut]
    version: int = Field(..., ge=0, le=2**63 - 1, description="The meeting's version: send it with the minutes")


class AgendaIn(Schema):
    title: Clean = Field(..., min_length=1, max_length=255)
    description: Text = ""
    presenter_id: Id | None = Field(None, description="A member the caller may see")


class ExternalGuestIn(Schema):
    name: Clean = Field(..., min_length=1, max_length=255)
    title: Clean = Field("", max_length=255, description="Position of the guest")


class MeetingIn(Schema):
    organisation_id: Id = Field(..., description="The cell (member meetings) or the committee's organisation")
    kind: MeetingKind
    starts_at: Moment = Field(..., description="Without an offset: local time (Asia/Ho_Chi_Minh)")
    topic: Clean = Field("", max_length=255, description="Required for a thematic meeting")
    place: Clean = Field("", max_length=255)
    online_link: Clean = Field("", max_length=200, pattern=r"^(https?://\S+)?$", description="http(s) address")
    chair_id: Id | None = Field(None, description="A participant the caller may see")
    secretary_id: Id | None = Field(None, description="The minutes secretary, a participant the caller may see")
    agenda: list[AgendaIn] = Field(default_factory=list, max_length=100)
    guest_member_ids: list[Id] = Field(default_factory=list, max_length=1000, description="Members invited as guests")
    external_guests: list[ExternalGuestIn] = Field(
        default_factory=list, max_length=100, description="Guests outside the registry"
    )


class RsvpIn(Schema):
    answer: Literal["attending", "excused"]
    reason: Clean = Field("", max_length=255, description="Required when excused")


class CheckInIn(Schema):
    invitation_id: Id | None = Field(
        None, description="Mark another invitee present (those who run the meeting); default: the caller"
    )


class AttendanceIn(Schema):
    invitation_id: Id
    attendance: Literal["present", "excused", "unexcused"]
    reason: Clean = Field("", max_length=255, description="Required when excused")
    late: bool = False


class MinutesIn(Schema):
    version: Id = Field(..., description="The meeting's `version` the text is based on (GET /meetings/{id})")
    discussion: Text | None = Field(None, description="Omitted fields keep their text")
    conclusions: Text | None = None
    resolution_number: Clean | None = Field(None, max_length=64)
    resolution_text: Text | None = None


class AddendumIn(Schema):
    text: Text


# --- votes ---------------------------------------------------------------------------------------------


class VoteIn(Schema):
    question: Clean = Field(..., max_length=500)
    method: VoteMethod
    rule: VoteRule
    agenda_item_id: Id | None = Field(None, description="An item of this meeting's agenda")


class CloseVoteIn(Schema):
    yes: Count | None = Field(None, description="Vote by show of hands: the numbers counted")
    no: Count | None = None
    abstain: Count | None = None


class BallotIn(Schema):
    choice: Choice


# --- statistics ----------------------------------------------------------------------------------------


class PeriodIn(Schema):
    start: Day | None = Field(None, description="First day (default: 1 January of this year)")
    end: Day | None = Field(None, description="Last day (default: 31 December of this year)")


class RegularityIn(PeriodIn):
    lineage: bool = Field(True, description="Include the predecessors' cells (mergers and splits)")


class RegularityFigures(Schema):
    months_in_force: int = Field(..., description="Months of the period the cell(s) existed")
    regular_months: int = Field(..., description="Of them, months with the regular meetings required")
    thematic_held: int
    thematic_required: int = Field(..., description="Per year from the rule set, prorated to the months in force")
    meetings_held: int = Field(..., description="Member meetings held (closed or approved)")
    expected: int = Field(..., description="Attendances expected over the held member meetings")
    present: int
    attendance_rate: float | None = Field(None, description="present / expected (null: nothing expected)")
    meetings_with_guests: int = Field(..., description="Held meetings a registered guest attended")


class CellRegularityOut(RegularityFigures):
    organisation: OrgRef
    missing_months: list[dt.date] = Field(..., description="First days of the months without the regular meeting")


class RegularityOut(Schema):
    organisation_id: int
    start: dt.date
    end: dt.date
    lineage: bool
    total: RegularityFigures
    cells: list[CellRegularityOut]


class AssignmentComplianceOut(Schema):
    assignment_id: int
    member: MemberRef = Field(..., description="The committee member in charge")
    committee_organisation: OrgRef
    organisation: OrgRef = Field(..., description="The organisation they are in charge of")
    valid_from: dt.date
    valid_to: dt.date | None
    attended: int = Field(..., description="Meetings held in the organisation's subtree they attended")
    required: int = Field(..., description="From the rule set, prorated to the months of the assignment")
    compliant: bool


class ComplianceOut(Schema):
    organisation_id: int
    start: dt.date
    end: dt.date
    assignments: list[AssignmentComplianceOut]
