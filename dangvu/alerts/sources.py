"""Deadlines due soon or overdue, for the alerts page, the dashboard card, the API and the member's own
view — one list, so every place shows the same items.

Each module contributes a *source*: a function (user, today, horizon) → alerts within the user's scope.
Later modules (meetings, inspection, denunciation letters, fees) register theirs with `source`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.lib.workdays import Calendar
from dangvu.rules import presentation
from dangvu.rules.registry import RuleBook, rules_on


class Kind:
    ADMISSION_STEP = "admission_step"
    PROBATION_ENDING = "probation_ending"
    OFFICIAL_DUE = "official_due"
    TRANSFER_UNACKNOWLEDGED = "transfer_unacknowledged"


KIND_LABELS = {
    Kind.ADMISSION_STEP: _("Admission step due"),
    Kind.PROBATION_ENDING: _("Probation ending"),
    Kind.OFFICIAL_DUE: _("Official membership to consider"),
    Kind.TRANSFER_UNACKNOWLEDGED: _("Transfer not acknowledged"),
}


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str  # the person concerned
    detail: str  # what is due
    organisation_id: int
    organisation_name: str
    due: dt.date
    overdue: bool
    url: str
    object_id: int

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


Source = Callable[[object, dt.date, dt.date], list[Alert]]
SOURCES: list[Source] = []


def source(fn: Source) -> Source:
    SOURCES.append(fn)
    return fn


def due_items(user, today: dt.date | None = None) -> list[Alert]:
    """Everything due by today + `alerts.soon_days` (overdue first, then by date) that the user may see."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=rules_on(today)["alerts.soon_days"])
    items = [alert for fn in SOURCES for alert in fn(user, today, horizon)]
    return sorted(items, key=lambda a: (not a.overdue, a.due, a.organisation_name, a.subject))


# --- Admission --------------------------------------------------------------------------------------


@source
def admission_steps(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """Open files with a deadline (ceremony, committee steps, certificate expiry, official decision).
    Probation itself is listed from the member record (below), for every probationary member."""
    from dangvu.admission.models import Candidate, Outcome, Stage

    scope = Scope.of(user, "admission.view")
    if scope.empty:
        return []
    rows = (
        Candidate.objects.filter(scope.q("organisation__path"), outcome=Outcome.OPEN, due_on__lte=horizon)
        .exclude(member__isnull=False, due_stage__in=[Stage.TRAINING, Stage.OFFICIAL_RESOLUTION])
        .select_related("organisation")
    )
    return [
        Alert(
            Kind.ADMISSION_STEP,
            c.full_name,
            str(Stage(c.due_stage).label),
            c.organisation_id,
            c.organisation.name,
            c.due_on,
            c.due_on < today,
            reverse("admission:candidate", args=[c.pk]),
            c.pk,
        )
        for c in rows
    ]


@source
def probation(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """Probationary members whose probation ends soon, or ended without a decision on official
    membership (due within `admission.official_working_days` working days after the end)."""
    from dangvu.accounts.scope import members_for
    from dangvu.admission.models import Stage
    from dangvu.members.models import Status

    members = (
        members_for(user)
        .filter(status=Status.PROBATIONARY, probation_end__lte=horizon)
        .exclude(candidacy__due_stage=Stage.OFFICIAL_DECISION)
        .select_related("organisation")
    )
    book = RuleBook.load()  # one query, however many members
    alerts = []
    for m in members:
        if m.probation_end > today:
            # The length in force on the admission date, the one the end was derived with (members.lifecycle).
            months = book.on(m.admission_date or m.probation_end)["admission.probation_months"]
            alerts.append(
                Alert(
                    Kind.PROBATION_ENDING,
                    m.full_name,
                    str(_("%(length)s of probation complete"))
                    % {"length": presentation.show("admission.probation_months", months)},
                    m.organisation_id,
                    m.organisation.name,
                    m.probation_end,
                    False,
                    reverse("members:detail", args=[m.pk]),
                    m.pk,
                )
            )
            continue
        values = book.on(m.probation_end)
        due = Calendar.from_rules(values).add_working_days(m.probation_end, values["admission.official_working_days"])
        alerts.append(
            Alert(
                Kind.OFFICIAL_DUE,
                m.full_name,
                str(_("Cell resolution on official membership")),
                m.organisation_id,
                m.organisation.name,
                due,
                due < today,
                reverse("members:detail", args=[m.pk]),
                m.pk,
            )
        )
    return alerts


# --- Transfers --------------------------------------------------------------------------------------


@source
def transfers(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """Letters nobody has acknowledged by the deadline for presenting them."""
    from dangvu.transfers.access import transfers_for
    from dangvu.transfers.models import Transfer, TransferState

    rows = transfers_for(user).filter(state=TransferState.IN_TRANSIT, due_on__lte=horizon)
    if Scope.of(user, "members.view").empty and getattr(user, "member_id", None):
        rows = Transfer.objects.filter(member_id=user.member_id, state=TransferState.IN_TRANSIT, due_on__lte=horizon)
    alerts = []
    for t in rows.select_related("member", "from_organisation", "to_organisation"):
        org = t.to_organisation or t.from_organisation
        alerts.append(
            Alert(
                Kind.TRANSFER_UNACKNOWLEDGED,
                t.member.full_name,
                str(_("%(letter)s to %(to)s")) % {"letter": t.letter_number, "to": t.destination},
                org.pk if org else 0,
                org.name if org else t.to_external,
                t.due_on,
                t.due_on < today,
                reverse("transfers:detail", args=[t.pk]),
                t.pk,
            )
        )
    return alerts
