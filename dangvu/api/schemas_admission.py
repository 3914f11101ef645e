"""Schemas of the admission, transfer and alert endpoints (dangvu/api/routers/admission.py, transfers.py,
alerts.py). Shared shapes (OrgRef, ErrorOut) come from dangvu.api.schemas."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from dangvu.accounts import privacy
from dangvu.admission.models import Candidate, MassOrg, Outcome, Stage
from dangvu.api.schemas import OrgRef, hideable, personal_resolvers
from dangvu.api.types import MAX_COUNT, Clean, Count, Day, Id, Text
from dangvu.transfers.models import TransferKind, TransferState


class MemberRef(Schema):
    id: int
    full_name: str


# --- candidates ----------------------------------------------------------------------------------------


class CandidateFilterIn(Schema):
    organisation_id: Id | None = Field(None, description="Candidates of this organisation's current subtree")
    stage: Stage | None = Field(None, description="Only files whose last recorded step is this one")
    outcome: Outcome | None = Field(None, description="open, official, removed or withdrawn (default: all)")
    due_before: Day | None = Field(None, description="Only files with a deadline on or before this date")
    q: Clean = Field("", max_length=100, description="Words of the full or other names, diacritics and case ignored")


# The personal-data table on a candidate's file, read at the candidate's cell (dangvu.accounts.privacy).
CandidatePersonal = personal_resolvers(
    lambda c: (c.organisation.path, c.member_id),
    {f: f for f in privacy.MEMBER_FIELDS if f in {field.name for field in Candidate._meta.get_fields()}},
)


class CandidateOut(CandidatePersonal):
    id: int
    full_name: str
    other_names: str
    sex: str
    birth_date: dt.date
    organisation: OrgRef
    stage: str = Field(..., description="The last step recorded")
    stage_label: str
    outcome: str
    outcome_label: str
    due_stage: str = Field(..., description="The step the next legal deadline is for ('' when none)")
    due_stage_label: str
    due_on: dt.date | None
    overdue: bool = Field(..., description="The deadline has passed")
    member_id: int | None = Field(None, description="The member record created at the ceremony")

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_due_stage_label(obj) -> str:
        return str(Stage(obj.due_stage).label) if obj.due_stage else ""

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.due_on is not None and obj.due_on < timezone.localdate()


class IntroducerOut(Schema):
    member: MemberRef
    known_since: dt.date


class StepOut(Schema):
    id: int
    stage: str
    stage_label: str
    date: dt.date
    document_number: str
    document_date: dt.date | None
    issuer: str
    votes_for: int | None
    votes_against: int | None
    votes_eligible: int | None = Field(None, description="The body's size on the day (cell: from the records)")
    recognised: bool | None = Field(
        None, description="Official membership: the cell's proposal or the committee's decision (false: removal)"
    )
    mass_org: str
    mass_org_label: str
    age_approval: str = Field(
        "", description="Admission decision over the maximum age: the approval of the higher committee"
    )
    note: str
    waived: bool = Field(..., description="Not done: waived with the reason in `note` (an audited exception)")
    has_file: bool = Field(..., description="A scanned document is attached")
    introducers: list[IntroducerOut]
    live: bool = Field(..., description="false: annulled (kept for the record, ignored by the file)")
    annulled_at: dt.datetime | None
    annul_reason: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_mass_org_label(obj) -> str:
        return str(obj.get_mass_org_display()) if obj.mass_org else ""

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_introducers(obj) -> list:
        return list(obj.introducers.all())


class CandidateDetailOut(CandidateOut):
    """The file; personal data the caller may not see is null (the table of docs/decisions.md)."""

    birth_place: str | None = hideable()
    home_town: str | None = hideable()
    residence: str | None = hideable()
    ethnicity: str | None = hideable()
    religion: str | None = hideable()
    occupation: str
    position: str
    general_education: str
    professional_degree: str
    citizen_id: str | None = hideable("Citizen ID (CCCD)")
    closed_reason: str
    next_stage: str | None = Field(None, description="The next step to record (null when the file is complete)")
    age_note: str = Field(
        "",
        description="Set when the candidate was over the maximum age at the cell resolution (the only moment "
        "the age is judged): the decision then needs `age_approval`",
    )
    steps: list[StepOut] = Field(..., description="Every step in date order, annulled ones included and flagged")


class CandidateIn(Schema):
    organisation_id: Id = Field(..., description="The proposing party cell")
    full_name: Clean = Field(..., max_length=120)
    other_names: Clean = Field("", max_length=120)
    sex: Literal["M", "F"]
    birth_date: Day
    birth_place: Clean = Field("", max_length=255)
    home_town: Clean = Field("", max_length=255)
    residence: Clean = Field("", max_length=255)
    ethnicity: Clean = Field("Kinh", max_length=64)
    religion: Clean = Field("", max_length=64)
    citizen_id: Clean | None = Field(
        None,
        max_length=12,
        description="12 digits: province code, sex/century digit, last two digits of the year of birth, serial; "
        "must agree with the sex and date of birth (422 `refused` on `citizen_id` otherwise)",
    )
    occupation: Clean = Field("", max_length=255)
    position: Clean = Field("", max_length=255)
    general_education: Clean = Field("", max_length=16)
    professional_degree: Clean = Field("", max_length=128)
    date: Day = Field(..., description="Entry on the cell's list of outstanding masses")
    document_number: Clean = Field("", max_length=64)
    note: Text = ""
    waive_reason: Text = Field("", description="No list entry: waive that step, where the rule set allows it")


class IntroducerIn(Schema):
    member_id: Id = Field(..., description="An official member the caller may see")
    known_since: Day = Field(..., description="Working with the candidate since")


class StepIn(Schema):
    stage: Stage
    date: Day
    document_number: Clean = Field("", max_length=64)
    document_date: Day | None = None
    issuer: Clean = Field("", max_length=255)
    votes_for: Count | None = None
    votes_against: Count | None = None
    votes_eligible: int | None = Field(
        None, ge=1, le=MAX_COUNT, description="Committee resolution: the committee's size"
    )
    mass_org: MassOrg = Field(MassOrg.NONE, description="Introduction: the recommending organisation")
    introducers: list[IntroducerIn] = Field(default_factory=list, max_length=10, description="Introduction step")
    exempt_attending: list[Id] = Field(
        default_factory=list,
        max_length=500,
        description="Cell resolutions: ids of members exempt from activities who attended and voted (they count)",
    )
    recognised: bool | None = Field(None, description="Official decision: overrides the cell's proposal")
    age_approval: Clean = Field(
        "",
        max_length=255,
        description="Admission decision of a candidate over the maximum age at the cell resolution: number and "
        "date of the approval of the committee directly under the Central Committee",
    )
    note: Text = ""
    waive_reason: Text = Field("", description="Waive the missing earlier steps the rule set allows waiving")


class ReasonIn(Schema):
    reason: Text = Field(..., description="Why (kept in the audit trail)")


class AdmissionCountsIn(Schema):
    start: Day | None = Field(None, description="First day (default: 1 January of this year)")
    end: Day | None = Field(None, description="Last day (default: 31 December of this year)")
    lineage: bool = Field(True, description="Include the predecessors' figures (mergers and splits)")


class Figures(Schema):
    admissions: int = Field(..., description="Admission decisions dated in the period")
    officials: int = Field(..., description="Recognitions as official member dated in the period")


class OrgFigures(Figures):
    id: int
    code: str
    name: str


class AdmissionCountsOut(Schema):
    organisation_id: int
    start: dt.date
    end: dt.date
    lineage: bool
    total: Figures
    by_organisation: list[OrgFigures] = Field(..., description="The organisation first, then each predecessor")


# --- transfers -----------------------------------------------------------------------------------------


class TransferFilterIn(Schema):
    state: TransferState | None = None
    kind: TransferKind | None = None
    organisation_id: Id | None = Field(
        None, description="Transfers touching this organisation's subtree (default: the caller's scope)"
    )
    direction: Literal["incoming", "outgoing"] | None = Field(
        None, description="incoming: received by the organisation (or scope); outgoing: sent from it"
    )
    overdue: bool | None = Field(None, description="true: awaiting acknowledgment past the deadline")
    member_id: Id | None = None


class TransferOut(Schema):
    id: int
    member: MemberRef
    kind: str
    kind_label: str
    state: str
    state_label: str
    from_organisation: OrgRef | None
    from_external: str
    to_organisation: OrgRef | None
    to_external: str
    letter_number: str
    letter_date: dt.date
    issuer: str
    reason: str
    due_on: dt.date | None = Field(None, description="Last day to present the letter")
    overdue: bool = Field(..., description="Awaiting acknowledgment past the deadline")
    acknowledged_on: dt.date | None
    acknowledgment: str
    returned_on: dt.date | None
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.state == TransferState.IN_TRANSIT and obj.due_on is not None and obj.due_on < timezone.localdate()


class TransferIn(Schema):
    member_id: Id
    kind: TransferKind
    to_organisation_id: Id | None = Field(None, description="The receiving cell of this system")
    to_external: Clean = Field("", max_length=255, description="Or the receiving organisation outside the system")
    letter_number: Clean = Field(..., max_length=64, description="Introduction letter number")
    letter_date: Day
    issuer: Clean = Field("", max_length=255)
    reason: Text = ""
    note: Text = ""


class AcknowledgeIn(Schema):
    date: Day
    acknowledgment: Clean = Field("", max_length=255, description="Receipt slip number or who received it")


class EndTemporaryIn(Schema):
    date: Day = Field(..., description="Back in the home cell on")
    note: Text = ""


# --- alerts --------------------------------------------------------------------------------------------


class AlertOut(Schema):
    kind: str
    kind_label: str
    subject: str = Field(..., description="The person concerned")
    detail: str = Field(..., description="What is due")
    organisation_id: int
    organisation_name: str
    due: dt.date
    overdue: bool
    url: str = Field(..., description="The page where it is dealt with")
    object_id: int = Field(..., description="Id of the candidate, member or transfer (by kind)")
