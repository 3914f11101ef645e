"""Which bodies may decide a discipline: the authority table of the rule set in force (`discipline.authority`,
entries level:organ) resolved against the tree as it was on the decision date (the temporal ancestry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from dangvu.discipline import checks
from dangvu.discipline.models import Form, Organ
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import CommitteeSeat, OrgAncestry, Organisation, OrgKind
from dangvu.rules import presentation


def ancestors(org: Organisation, day: dt.date) -> list[Organisation]:
    """`org`'s ancestors on `day`, nearest first, `org` itself excluded."""
    rows = (
        OrgAncestry.objects.filter(OrgAncestry.on(day), descendant=org, depth__gt=0)
        .select_related("ancestor")
        .order_by("depth")
    )
    return [row.ancestor for row in rows]


def seats_on(member, day: dt.date) -> list[CommitteeSeat]:
    """The member's committee seats in force on `day`."""
    return list(
        CommitteeSeat.objects.filter(member=member, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("committee__organisation", "committee__term")
    )


@dataclass
class Subject:
    """The subject of a case as the authority table sees it on a day."""

    authority_class: str  # member / committee_member / organisation
    levels: dict[str, list[Organisation]]


def subject_levels(*, member=None, cell: Organisation | None = None, organisation=None, day: dt.date) -> Subject:
    if organisation is not None:
        return Subject("organisation", {"above": ancestors(organisation, day)})
    assert cell is not None
    up = ancestors(cell, day)
    chain = [cell, *up]
    grassroots = next((o for o in chain if o.kind in OrgKind.grassroots()), cell)
    above = [o for o in up if o.depth < grassroots.depth]
    seats = seats_on(member, day)
    seat_orgs = list({s.committee.organisation_id: s.committee.organisation for s in seats}.values())
    above_seat: dict[int, Organisation] = {}
    for org in seat_orgs:
        for anc in ancestors(org, day):
            above_seat.setdefault(anc.pk, anc)
    return Subject(
        "committee_member" if seats else "member",
        {
            "cell": [cell],
            "grassroots": [grassroots],
            "above": above,
            "seat": seat_orgs,
            "above_seat": list(above_seat.values()),
        },
    )


def competent(values: dict, subject: Subject, form: str) -> list[tuple[Organisation, str]]:
    """(organisation, organ) pairs that may decide `form` for the subject, nearest level first."""
    found: list[tuple[Organisation, str]] = []
    for level, organ in checks.authority_entries(values, subject.authority_class, form):
        for org in subject.levels.get(level, []):
            if (org, organ) not in found:
                found.append((org, organ))
    return found


def check(values: dict, subject: Subject, form: str, decided_by: Organisation, organ: str) -> None:
    """Refuse (DomainError on `decided_by`) a body the authority table does not name for this form."""
    if any(org.pk == decided_by.pk and o == organ for org, o in competent(values, subject, form)):
        return
    allowed = competent(values, subject, form)
    names = "; ".join(f"{Organ(o).label} — {org.name}" for org, o in allowed) or _("none")
    raise DomainError(
        {
            "decided_by": [
                _("%(body)s of %(org)s may not decide %(form)s here (%(rule)s). Competent: %(allowed)s.")
                % {
                    "body": Organ(organ).label if organ in Organ.values else organ,
                    "org": decided_by.name,
                    "form": Form(form).label,
                    "rule": presentation.label("discipline.authority"),
                    "allowed": names,
                }
            ]
        },
        code="authority",
    )
