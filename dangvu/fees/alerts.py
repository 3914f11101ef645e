"""The "3 months unpaid in a year" alert in the one alerts list (dangvu.alerts.sources), for those who record
fees (`fees.record`: the cell secretary, the committee office): a member still in the Party with at least
`fees.removal_unpaid_months` months of the current year ended, due and without any payment. Quy định 01-QĐ/TW:
the cell considers it and, without a good reason, proposes removal from the list (xóa tên) to the competent
committee — the alert links to the member's fee page, where the proposal is drawn up (DOCX)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.fees import access, calc, months, stats

FEE_UNPAID = "fee_unpaid"
KIND_LABELS[FEE_UNPAID] = _("Party fee unpaid: consider proposing removal")


@source
def fees_unpaid(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    if Scope.of(user, access.RECORD).empty:
        return []
    current = months.first(today)
    threshold = calc.rules_for(current).removal_unpaid_months
    rows = stats.unpaid_in_year(access.dues_for(user, access.RECORD), today.year, threshold, before=current)
    return [
        Alert(
            kind=FEE_UNPAID,
            subject=row.name,
            detail=ngettext("%(n)s month of %(year)s unpaid", "%(n)s months of %(year)s unpaid", row.months)
            % {"n": row.months, "year": today.year}
            + " · "
            + gettext("the cell considers proposing removal from the list"),
            organisation_id=row.organisation_id,
            organisation_name=row.organisation_name or "",
            due=months.last_day(row.last_month),
            overdue=True,
            url=reverse("fees:member", args=[row.member_id]),
            object_id=row.member_id,
        )
        for row in rows
    ]
