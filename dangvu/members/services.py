"""Actions on member records. Each runs in one transaction, checks its rules, writes the audit trail
(django-simple-history, with the acting user) and keeps the derived state equal to the events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib import ages, versions
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.members import lifecycle
from dangvu.members.models import EventKind, Member, MemberEvent, MemberPeriod, Source
from dangvu.members.validators import validate_member_fields
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules.registry import rules_on

# Identity fields an office may correct (with audit); derived fields are never edited directly.
EDITABLE_FIELDS = [
    "full_name",
    "other_names",
    "sex",
    "birth_date",
    "birth_place",
    "home_town",
    "residence",
    "ethnicity",
    "religion",
    "citizen_id",
    "occupation",
    "position",
    "general_education",
    "professional_degree",
    "political_theory",
    "foreign_language",
    "card_number",
]
EVENT_FIELDS = [
    "kind",
    "date",
    "organisation",
    "external_organisation",
    "document_number",
    "document_date",
    "issuer",
    "note",
]


class OfficialDateDiffers(DomainError):
    """The official-membership date derived from the probation (the end of probation, Điều lệ Đảng, Điều 5)
    differs from the date entered for the recognition, and the user has not confirmed the derived date
    (issue 8 item 7: a date the user did not see is never stored). Nothing was written."""

    def __init__(self, entered: dt.date, derived: dt.date, start: dt.date, months: int):
        self.entered, self.derived, self.start, self.months = entered, derived, start, months
        super().__init__(
            _(
                "The official-membership date is the end of the probation: %(derived)s (%(months)s months from "
                "%(start)s), not %(entered)s as entered. Tick the box to store %(derived)s, or correct the dates."
            )
            % {"derived": fmt(derived), "months": months, "start": fmt(start), "entered": fmt(entered)}
        )


# `confirmed_official_date` of create_member/record_event: the caller does not ask (imports, seeds, other
# modules that record a recognition by its decision date, whose pages say how the date is derived).
NOT_ASKED: Any = object()


def _check_official_date(state: lifecycle.State, events: list[MemberEvent], confirmed: dt.date | None) -> None:
    """Refuse (OfficialDateDiffers) when a recognition among `events` was entered with a date other than the
    derived official-membership date, unless `confirmed` is that derived date."""
    if confirmed is NOT_ASKED or state.official_date is None:
        return
    for event in events:
        if event.kind == EventKind.OFFICIAL and event.date != state.official_date and confirmed != state.official_date:
            months = limits_for(state.admission_date).probation_months
            raise OfficialDateDiffers(event.date, state.official_date, state.probation_start, months)


def limits_for(day: dt.date) -> lifecycle.Limits:
    values = rules_on(day)  # one query for the three values
    return lifecycle.Limits(
        min_age=ages.AgeLimit.of(values["admission.min_age"]),
        max_age=ages.AgeLimit.of(values["admission.max_age"]),
        probation_months=values["admission.probation_months"],
    )


def _holding_ids(events: list[MemberEvent]) -> set[int]:
    """Ids among the events' organisations that can hold members (cells, dissolved ones included)."""
    ids = {e.organisation_id for e in events if e.organisation_id}
    return set(Organisation.objects.filter(id__in=ids, kind__in=OrgKind.member_holding()).values_list("id", flat=True))


def rederive(member: Member, events: list[MemberEvent], actor=None, *, save_member: bool = True) -> lifecycle.State:
    """Replay `events`, put the result on `member` and, with `save_member`, store it with its periods.
    Raises DomainError (nothing written) when the events do not fit the rules."""
    state = lifecycle.derive(
        events,
        birth_date=member.birth_date,
        today=timezone.localdate(),
        limits_for=limits_for,
        member_holding=_holding_ids(events),
    )
    member.status = state.status
    member.organisation_id = state.organisation_id or state.last_organisation_id
    member.admission_date = state.admission_date
    member.official_date = state.official_date
    member.probation_end = state.probation_end if state.party_status == "probationary" else None
    member.is_exempt, member.is_suspended, member.is_away = state.is_exempt, state.is_suspended, state.is_away
    if save_member:
        _store(member, state, actor)
    return state


def _store(member: Member, state: lifecycle.State, actor, *, save_member: bool = True) -> None:
    """Write a derived state (already put on `member` by rederive) and replace the member's periods."""
    if save_member:
        member._history_user = actor
        member.save()
    MemberPeriod.objects.filter(member=member).delete()
    MemberPeriod.objects.bulk_create(
        MemberPeriod(
            member=member,
            organisation_id=p.organisation_id,
            status=p.status,
            is_exempt=p.is_exempt,
            is_suspended=p.is_suspended,
            is_away=p.is_away,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
        )
        for p in state.periods
    )


def _check_fields(member: Member, exclude_pk: int | None = None, changed=None) -> None:
    """Refuse (DomainError by field, nothing written) an identity that breaks a field rule or reuses another
    member's citizen ID or card number. `changed`: as for validators.validate_member_fields."""
    errors = validate_member_fields(member, today=timezone.localdate(), changed=changed)
    if member.citizen_id and Member.objects.filter(citizen_id=member.citizen_id).exclude(pk=exclude_pk).exists():
        errors.setdefault("citizen_id", []).append(
            _("Citizen ID %(value)s is already used by another member.") % {"value": member.citizen_id}
        )
    if member.card_number and Member.objects.filter(card_number=member.card_number).exclude(pk=exclude_pk).exists():
        errors.setdefault("card_number", []).append(
            _("Party card number %(value)s is already used by another member.") % {"value": member.card_number}
        )
    if errors:
        raise DomainError(errors)


@transaction.atomic
def create_member(
    fields: dict[str, Any],
    events: list[dict[str, Any]],
    actor=None,
    source: str = "manual",
    *,
    confirmed_official_date: dt.date | None = NOT_ASKED,
) -> Member:
    """Create a member with its first events (at least an admission; for a member admitted elsewhere,
    an admission with `external_organisation` followed by a transfer in). A form passes
    `confirmed_official_date` (None when not confirmed): a recognition dated otherwise than the derived
    official-membership date is then refused (OfficialDateDiffers) unless that derived date was confirmed."""
    member = Member(**{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    member.prepare()
    # An admission file's identity was checked when the file was opened (admission.services): the
    # ceremony copies it and does not judge the citizen ID's layout again.
    _check_fields(member, changed=set() if source == Source.ADMISSION else None)
    drafts = [
        MemberEvent(source=source, recorded_by=actor, **{k: v for k, v in e.items() if k in EVENT_FIELDS})
        for e in events
    ]
    # Validate before writing anything; saving the events gives them ids in the order they were
    # replayed, so the derived state stays the same and is stored as it is.
    state = rederive(member, drafts, actor, save_member=False)
    _check_official_date(state, drafts, confirmed_official_date)
    member._history_user = actor
    member.save()
    for draft in drafts:
        draft.member = member
        draft._history_user = actor
        draft.save()
    _store(member, state, actor, save_member=False)
    return member


@transaction.atomic
def update_member(
    member: Member, changes: dict[str, Any], actor, reason: str = "", *, version: int | None = None
) -> Member:
    """Correct identity fields. `version` (dangvu.lib.versions): the version the edit was based on; every
    form and API update passes it, and a save that would write a field changed since is refused
    (StaleEdit, nothing written). None (internal callers that read and write in one go) does not check."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if version is not None:
        # The fields this save would change: writing a value equal to the current one undoes nothing.
        versions.check(
            member, version, [k for k in changes if k in EDITABLE_FIELDS and getattr(member, k) != changes[k]]
        )
    changed = set()
    for key, value in changes.items():
        if key not in EDITABLE_FIELDS:
            raise DomainError(_("Field %(field)s cannot be edited; record an event instead.") % {"field": key})
        if getattr(member, key) != value:
            changed.add(key)
        setattr(member, key, value)
    member.prepare()
    _check_fields(member, exclude_pk=member.pk, changed=changed)
    member._change_reason = reason  # read by simple-history when rederive() saves
    rederive(member, list(member.events.all()), actor)  # birth date changes re-check ages
    return member


@transaction.atomic
def record_event(
    member: Member,
    actor=None,
    source: str = "manual",
    *,
    confirmed_official_date: dt.date | None = NOT_ASKED,
    **data: Any,
) -> MemberEvent:
    """Append one event (any kind but annulment) and re-derive. The member row is locked meanwhile so
    two offices recording at once cannot interleave. `confirmed_official_date`: as for create_member."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if data.get("kind") == EventKind.ANNULMENT:
        raise DomainError(_("An entry is annulled from the event list, with a reason."))
    event = MemberEvent(
        member=member,
        source=source,
        recorded_by=actor,
        **{k: v for k, v in data.items() if k in EVENT_FIELDS + ["reorganisation"]},
    )
    state = rederive(member, [*member.events.all(), event], actor, save_member=False)
    _check_official_date(state, [event], confirmed_official_date)
    event._history_user = actor
    event.save()  # the newest id: the replay order, hence the state, does not change
    _store(member, state, actor)
    return event


@transaction.atomic
def annul_event(event: MemberEvent, actor, reason: str, document_number: str = "") -> MemberEvent:
    """Correct a mistaken entry: a new annulment event voids it; the timeline is replayed without it."""
    if not reason.strip():
        raise DomainError(_("Give the reason for the annulment."))
    member = Member.objects.select_for_update().get(pk=event.member_id)
    if event.kind == EventKind.ANNULMENT or MemberEvent.objects.filter(annuls=event).exists():
        raise DomainError(_("This entry cannot be annulled."))
    annulment = MemberEvent(
        member=member,
        kind=EventKind.ANNULMENT,
        date=timezone.localdate(),
        annuls=event,
        note=reason,
        document_number=document_number,
        recorded_by=actor,
    )
    state = rederive(member, [*member.events.all(), annulment], actor, save_member=False)
    annulment._history_user = actor
    annulment.save()
    _store(member, state, actor)
    return annulment
