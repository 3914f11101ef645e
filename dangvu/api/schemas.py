"""Response and query schemas of the REST API, shared by the routers."""

from __future__ import annotations

import datetime as dt
import types
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from dangvu.accounts import privacy
from dangvu.api.types import Clean, Day, Id, Line
from dangvu.lib import versions


class ErrorItem(Schema):
    field: str | None = Field(None, description="The field concerned, if any")
    message: str = Field(..., description="One problem, in the caller's language")
    code: str = Field(..., description="Machine-readable code of this problem")


class ErrorOut(Schema):
    """Every API error (dangvu/api/errors.py)."""

    detail: str = Field(..., description="One sentence for a person, in the caller's language (Vietnamese by default)")
    code: str = Field(
        ...,
        description="invalid, refused, unauthorized, forbidden, not_found, method_not_allowed, conflict, throttled, "
        "server_error or error",
    )
    errors: list[ErrorItem] = Field(default_factory=list, description="Each problem, by field where it has one")


class ChangeOut(Schema):
    field: str = Field(..., description="The field's name, as in the request body")
    label: str = Field(..., description="The field's name for a person, in the caller's language")
    based_on: str = Field(..., description="Its value in the version the change was based on, as shown")
    current: str = Field(..., description="Its value now, as shown")


class ConflictOut(ErrorOut):
    """409: the record changed since the `version` the update was based on; nothing was written."""

    version: int = Field(..., ge=0, le=2**63 - 1, description="The record's current version")
    changes: list[ChangeOut] = Field(
        default_factory=list, description="Each field changed meanwhile (empty: the version is not this record's)"
    )


# --- organisations -------------------------------------------------------------------------------------


class OrgRef(Schema):
    id: int
    code: str
    name: str
    kind: str


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    depth: int
    parent_id: int | None = Field(None, description="Current parent (null for a root)")
    valid_from: dt.date
    valid_to: dt.date | None
    active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.valid_to is None


class OrgDetailOut(OrgOut):
    parent: OrgRef | None
    children_count: int = Field(..., description="Direct children, dissolved predecessors kept there included")
    member_count: int = Field(..., description="Party members (probationary and official) in the current subtree")


class OrgFilterIn(Schema):
    parent_id: Id | None = Field(None, description="Only the direct children of this organisation")
    kind: Line | None = Field(None, description="An organisation kind (cell, grassroots_committee, ...)")
    active: bool | None = Field(None, description="true: in force now; false: merged, split or dissolved")
    q: Clean = Field("", max_length=100, description="Words of the name, diacritics and case ignored")


class OrgTreeIn(Schema):
    root_id: Id | None = Field(None, description="Start here (default: the top of each of the caller's roles)")
    depth: int = Field(3, ge=1, le=10, description="Levels below the root to include")
    include_inactive: bool = Field(False, description="Also merged, split and dissolved organisations")


class OrgTreeNode(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    valid_from: dt.date
    valid_to: dt.date | None
    active: bool
    member_count: int = Field(..., description="Party members in the node's whole current subtree")
    children: list[OrgTreeNode]


OrgTreeNode.model_rebuild()


class ReorgOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: dt.date
    document_number: str
    document_date: dt.date | None
    issuer: str
    note: str
    details: dict[str, Any]
    predecessors: list[OrgRef]
    successors: list[OrgRef]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_predecessors(obj) -> list:
        return list({link.predecessor_id: link.predecessor for link in obj.links.all()}.values())

    @staticmethod
    def resolve_successors(obj) -> list:
        return list({link.successor_id: link.successor for link in obj.links.all() if link.successor_id}.values())


class LineageOrg(OrgRef):
    valid_from: dt.date
    valid_to: dt.date | None
    in_scope: bool = Field(..., description="Whether GET /orgs/{id} is open to the caller for this organisation")


class LineageOut(Schema):
    organisation: OrgRef
    predecessors: list[LineageOrg] = Field(..., description="Merged or split into this one, transitively")
    successors: list[LineageOrg] = Field(..., description="What this one was merged or split into, transitively")


class MemberCountIn(Schema):
    date: Day | None = Field(None, description="YYYY-MM-DD (default: today)")
    lineage: bool = Field(False, description="Include the predecessors' members on that date")


class MemberCountOut(Schema):
    organisation_id: int
    date: dt.date
    lineage: bool
    count: int


# --- members -------------------------------------------------------------------------------------------


class MemberFilterIn(Schema):
    """Same parameters and meaning as the member list page (dangvu.members.filters.MemberFilter);
    unknown values fall back to the defaults there."""

    q: Line = Field(
        "",
        description="Words of the full or other names (each matches the start of a word; diacritics and case "
        "ignored; sorted by name, the exact full name comes first, then the given name), or a party card number, "
        "or a citizen ID (found only where the caller may read citizen IDs: members.edit)",
    )
    organisation_id: Id | None = Field(None, description="Members of this organisation's current subtree")
    status: Line = Field(
        "in_party",
        description='"in_party" (probationary or official, the default), a status value, or "" for all',
    )
    sex: Line = Field("", description='"M", "F" or "" for both')
    sort: Line = Field("name", description="name, -name, birth, -birth, admission, -admission")


def personal_resolvers(locate, fields: dict[str, str]) -> type[Schema]:
    """A base schema whose resolvers answer null for the personal data the caller may not see
    (dangvu.accounts.privacy). `locate(obj)` gives the person's organisation path and member record id;
    `fields` maps an attribute of the schema to its row of the table."""

    def resolver(attribute: str, field: str):
        def resolve(obj, context):
            request = (context or {}).get("request")
            user = getattr(request, "auth", None)
            return getattr(obj, attribute) if privacy.may_see_at(user, *locate(obj), field) else None

        return staticmethod(resolve)

    namespace = {f"resolve_{attribute}": resolver(attribute, field) for attribute, field in fields.items()}
    return types.new_class("PersonalData", (Schema,), exec_body=lambda ns: ns.update(namespace))


# Every record field of the personal-data table, on the member itself.
MemberPersonal = personal_resolvers(lambda m: (m.org_path, m.pk), {f: f for f in privacy.MEMBER_FIELDS})
HIDDEN = "null when the caller's role may not see it (personal data: docs/decisions.md); the member sees their own"


def hideable(description: str = "") -> Any:
    """Always present; null when hidden from the caller."""
    return Field(..., description=f"{description}: {HIDDEN}" if description else HIDDEN[0].upper() + HIDDEN[1:])


class MemberOut(MemberPersonal):
    id: int
    full_name: str
    other_names: str
    sex: str
    birth_date: dt.date
    status: str
    status_label: str
    organisation: OrgRef
    admission_date: dt.date | None
    official_date: dt.date | None
    is_exempt: bool
    is_suspended: bool
    is_away: bool

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class MemberDetailOut(MemberOut):
    """The record's fields; personal data the caller may not see is null (docs/decisions.md)."""

    birth_place: str | None = hideable()
    home_town: str | None = hideable()
    residence: str | None = hideable()
    ethnicity: str | None = hideable()
    religion: str | None = hideable()
    occupation: str
    position: str
    general_education: str
    professional_degree: str
    political_theory: str
    foreign_language: str
    card_number: str | None
    citizen_id: str | None = hideable("Citizen ID (CCCD)")
    party_age: int | None = Field(None, description="Whole years since the admission decision, today")
    version: int = Field(
        ..., ge=0, le=2**63 - 1, description="The record's version: send it back with a change (PATCH)"
    )

    @staticmethod
    def resolve_party_age(obj) -> int | None:
        return obj.party_age(timezone.localdate())

    @staticmethod
    def resolve_version(obj) -> int:
        return versions.current(obj)


class MemberUpdateIn(Schema):
    """A correction of identity fields (PATCH): only the fields given are changed. Status, cell and dates
    come from the events and are not edited here."""

    version: Id = Field(..., description="The `version` of the record the change is based on (GET)")
    reason: Clean = Field(..., min_length=1, max_length=255, description="Why (kept in the audit trail)")
    full_name: Clean | None = Field(None, max_length=120)
    other_names: Clean | None = Field(None, max_length=120)
    sex: Literal["M", "F"] | None = None
    birth_date: Day | None = None
    birth_place: Clean | None = Field(None, max_length=255)
    home_town: Clean | None = Field(None, max_length=255)
    residence: Clean | None = Field(None, max_length=255)
    ethnicity: Clean | None = Field(None, max_length=64)
    religion: Clean | None = Field(None, max_length=64)
    citizen_id: Clean | None = Field(
        None,
        max_length=12,
        description="12 digits: province code, sex/century digit, last two digits of the year of birth, serial; "
        "must agree with the sex and date of birth (422 `refused` on `citizen_id` otherwise). Empty to clear",
    )
    occupation: Clean | None = Field(None, max_length=255)
    position: Clean | None = Field(None, max_length=255)
    general_education: Clean | None = Field(None, max_length=16)
    professional_degree: Clean | None = Field(None, max_length=128)
    political_theory: Literal["", "elementary", "intermediate", "advanced", "bachelor"] | None = None
    foreign_language: Clean | None = Field(None, max_length=128)
    card_number: Clean | None = Field(None, max_length=16, description="6 to 16 digits; empty to clear")


EventPersonal = personal_resolvers(lambda e: (e.member.org_path, e.member_id), {"note": "event_notes"})


class MemberEventOut(EventPersonal):
    id: int
    kind: str
    label: str
    date: dt.date
    organisation: OrgRef | None
    external_organisation: str
    document_number: str
    document_date: dt.date | None
    issuer: str
    note: str | None = hideable("The entry's note (confidential record notes)")
    annuls_id: int | None = Field(None, description="For an annulment: the entry it voids")
    annulled: bool = Field(..., description="Voided by a later annulment (kept, ignored by the timeline)")
    reorganisation_id: int | None

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.get_kind_display())


class MemberPeriodOut(Schema):
    organisation: OrgRef
    status: str
    status_label: str
    is_exempt: bool
    is_suspended: bool
    is_away: bool
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


# --- authentication ------------------------------------------------------------------------------------


class TokenIn(Schema):
    username: Line
    password: Line
    otp: Line | None = Field(None, description="TOTP code, required for staff roles when two-factor is on")


class TokenOut(Schema):
    token: str
    expires_at: str


class RoleOut(Schema):
    role: str
    role_label: str
    organisation_id: int | None
    organisation_code: str | None
    organisation_name: str | None


class ScopeOut(Schema):
    capability: str
    everything: bool = Field(..., description="The whole tree (administrator)")
    organisations: list[OrgRef] = Field(..., description="Top organisations of the subtrees covered")
    own_record_only: bool = Field(False, description="members.view for a plain member: their own record only")


class MeOut(Schema):
    username: str
    full_name: str
    member_id: int | None
    roles: list[RoleOut]
    scopes: list[ScopeOut]
