"""Letter deadlines in the one alerts list (dangvu.alerts.sources), for those who see the letters
(`letters.view`): letters being handled whose deadline (extended or not) falls within the horizon. The alert
names the letter's receipt number, never its senders."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.letters.access import letters_for
from dangvu.letters.models import State

LETTER_DUE = "letter_due"
KIND_LABELS[LETTER_DUE] = _("Letter to settle")


@source
def letters_due(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    rows = (
        letters_for(user)
        .filter(state=State.HANDLING)
        .annotate(deadline_on=Coalesce("extended_due_on", "due_on"))
        .filter(Q(deadline_on__lte=horizon))
        .select_related("committee")
    )
    return [
        Alert(
            kind=LETTER_DUE,
            subject=gettext("Letter %(number)s") % {"number": letter.number},
            detail=gettext("Received on %(day)s") % {"day": f"{letter.received_on:%d/%m/%Y}"},
            organisation_id=letter.committee_id,
            organisation_name=letter.committee.name,
            due=letter.deadline_on,
            overdue=letter.deadline_on < today,
            url=reverse("letters:detail", args=[letter.pk]),
            object_id=letter.pk,
        )
        for letter in rows
    ]
